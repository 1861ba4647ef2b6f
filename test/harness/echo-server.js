'use strict';
/**
 * Tiny local HTTP server for harness tests (TS tests may not import `http` themselves).
 *
 * Every request is recorded (method, url, headers, raw body). The response comes from an
 * optional `handler`; by default it echoes the request as JSON. A handler may ask for a delay
 * (`delayMs`): the delay timer is cleared when the client disconnects (e.g. an aborted request)
 * or when the server closes, so nothing keeps jest alive.
 */
const http = require('node:http');

/**
 * @typedef {{
 *   method: string,
 *   url: string,
 *   path: string,
 *   query: Record<string, string>,
 *   headers: import('node:http').IncomingHttpHeaders,
 *   body: Buffer,
 *   text: string,
 *   json: unknown,
 * }} RecordedRequest
 *
 * @typedef {{
 *   status?: number,
 *   headers?: Record<string, string>,
 *   body?: unknown,      // Buffer/string sent as is, anything else as JSON
 *   delayMs?: number,
 * }} EchoResponse
 *
 * @typedef {(req: RecordedRequest) => EchoResponse | undefined | Promise<EchoResponse | undefined>} EchoHandler
 *
 * @typedef {{
 *   url: string,
 *   port: number,
 *   requests: RecordedRequest[],
 *   aborted: RecordedRequest[],
 *   setHandler: (handler: EchoHandler | undefined) => void,
 *   close: () => Promise<void>,
 * }} EchoServer
 */

/**
 * @param {{ handler?: EchoHandler }} [options]
 * @returns {Promise<EchoServer>}
 */
async function startEchoServer({ handler } = {}) {
	/** @type {RecordedRequest[]} */
	const requests = [];
	/** @type {RecordedRequest[]} */
	const aborted = [];
	/** @type {Set<NodeJS.Timeout>} */
	const timers = new Set();
	let currentHandler = handler;

	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
			const text = body.toString('utf8');
			let json;
			try {
				json = text ? JSON.parse(text) : undefined;
			} catch {
				json = undefined;
			}
			/** @type {RecordedRequest} */
			const recorded = {
				method: req.method ?? 'GET',
				url: req.url ?? '/',
				path: parsed.pathname,
				query: Object.fromEntries(parsed.searchParams),
				headers: req.headers,
				body,
				text,
				json,
			};
			requests.push(recorded);

			let done = false;
			res.on('close', () => {
				if (!res.writableFinished && !done) aborted.push(recorded);
				done = true;
			});

			/** @param {EchoResponse | undefined} spec */
			const send = (spec) => {
				if (done || res.destroyed) return;
				const response = spec ?? {
					body: { ok: true, method: recorded.method, path: recorded.path, query: recorded.query, headers: recorded.headers, body: json ?? text },
				};
				const status = response.status ?? 200;
				let payload = response.body ?? '';
				/** @type {Record<string, string>} */
				const headers = { ...(response.headers ?? {}) };
				if (!Buffer.isBuffer(payload) && typeof payload !== 'string') {
					payload = JSON.stringify(payload);
					headers['content-type'] ??= 'application/json';
				}
				res.writeHead(status, headers);
				res.end(payload);
			};

			Promise.resolve()
				.then(() => (currentHandler ? currentHandler(recorded) : undefined))
				.then(
					(spec) => {
						if (spec?.delayMs && spec.delayMs > 0) {
							const timer = setTimeout(() => {
								timers.delete(timer);
								send(spec);
							}, spec.delayMs);
							timers.add(timer);
							res.on('close', () => {
								clearTimeout(timer);
								timers.delete(timer);
							});
						} else {
							send(spec);
						}
					},
					(error) => send({ status: 500, body: { error: String(error?.message ?? error) } }),
				);
		});
	});

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve(undefined));
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());

	return {
		url: `http://127.0.0.1:${address.port}`,
		port: address.port,
		requests,
		aborted,
		setHandler(h) {
			currentHandler = h;
		},
		async close() {
			for (const t of timers) clearTimeout(t);
			timers.clear();
			server.closeAllConnections();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

module.exports = { startEchoServer };
