'use strict';
/**
 * Segmind API emulator: a local stand-in for api.segmind.com (async v2 submit/status/result, sync
 * v1, credits, upload-asset) plus a second origin that hosts images, following
 * /work/shared/segmind-api.md and the model pages in /work/shared/seeds.
 *
 *   const { startEmulator } = require('./test/emulator');
 *   const emu = await startEmulator({ jobDurationMs: 200 });
 *   // … point the code under test at emu.apiUrl with key 'test-key' …
 *   await emu.close();
 *
 * Plain CommonJS on purpose: n8n's lint forbids Node builtins and timers in .ts files.
 */

const http = require('node:http');
const crypto = require('node:crypto');
const { getModel, validateBody } = require('./models');
const images = require('./images');
const { mediaFixtures } = require('./media');
const {
	DEFAULT_FAIL_ERROR,
	RESULT_SHAPES,
	Job,
	checkBehaviour,
	behaviourFromPrompt,
	resolveBehaviour,
	completedBody,
} = require('./jobs');

/**
 * @typedef {import('./jobs').JobBehaviour} JobBehaviour
 * @typedef {import('./jobs').ResolvedBehaviour} ResolvedBehaviour
 * @typedef {import('./jobs').ResultShape} ResultShape
 * @typedef {import('./jobs').JobState} JobState
 * @typedef {import('./jobs').JobOutput} JobOutput
 * @typedef {import('./images').StoredImage} StoredImage
 */

/**
 * @typedef {object} EmulatorOptions
 * @property {string} [apiKey]          accepted `x-api-key` (default 'test-key')
 * @property {string} [forbiddenKey]    key that passes auth but gets 403 on submits (default 'forbidden-key')
 * @property {string} [host]            bind address (default '127.0.0.1')
 * @property {number} [port]            API origin port (default 0 = random)
 * @property {number} [imagePort]       image origin port (default 0 = random)
 * @property {number} [jobDurationMs]   submit → COMPLETED (default 300)
 * @property {number} [queuedMs]        time in QUEUED (default 30% of jobDurationMs)
 * @property {number} [retentionMs]     status/result answer 404 this long after completion (default 3_600_000)
 * @property {{ credits: number, 'free-credits': number }} [credits] starting balance (default {credits: 100, 'free-credits': 0.018}: enough for a suite's jobs, gpt-image-2's ~$5 included)
 * @property {'file_urls' | 'urls'} [uploadResponseKey] key of the URL list in the upload-asset answer (default 'file_urls')
 * @property {Record<string, { status?: number, error: string }>} [retiredModels] models whose submits
 *   (v2 and v1) Segmind refuses, e.g. after the model's maker shut it down: answered with `status`
 *   (default 410) and `{"error": error}`, before any job is created or billed
 * @property {(line: string) => void} [log]  receives one line per request (never contains the key)
 */

/**
 * @typedef {'submit' | 'status' | 'result' | 'image' | 'credits' | 'upload' | 'sync'} FaultRoute
 * @typedef {'http' | 'malformed' | 'reset' | 'reset-after-create' | 'reset-mid-body' | 'delay'} FaultKind
 */

/**
 * A fault to inject on the next matching request(s).
 * @typedef {object} Fault
 * @property {FaultRoute} route
 * @property {FaultKind} [kind]       default 'http'
 * @property {number} [times]         how many requests it hits (default 1; Infinity allowed)
 * @property {number} [status]        'http': status to answer (default 500); 'malformed': default 200
 * @property {string | object} [body] 'http': body (object → JSON; default {"error": <reason phrase>})
 * @property {string} [contentType]   Content-Type of the fault answer
 * @property {Record<string, string>} [headers] extra headers, e.g. {'retry-after': '1'}
 * @property {number} [delayMs]       'delay': wait this long (real time), then answer normally
 * @property {boolean} [after]        handle the request normally first (creating the job on
 *                                    submit), then answer with the fault instead ('reset-after-create'
 *                                    is 'reset' with after: true)
 * @property {string} [model]         only requests for this model slug (submit/sync)
 */

/**
 * @typedef {object} RecordedRequest
 * @property {'api' | 'images'} origin
 * @property {string} method
 * @property {string} path       pathname, without the query string
 * @property {string} url        path with query string, as received
 * @property {import('node:http').IncomingHttpHeaders} headers  lower-cased names
 * @property {string} body       utf8, first 2000 characters
 * @property {number} status     0 until answered; stays 0 when the socket was reset
 * @property {number} at         emulator clock (ms) when received
 * @property {string | null} fault  kind of the injected fault that hit it, if any
 */

/**
 * @typedef {object} Emulator
 * @property {string} apiUrl      API origin, e.g. http://127.0.0.1:PORT
 * @property {string} imageUrl    image origin (another port)
 * @property {string} apiKey
 * @property {RecordedRequest[]} requests  every request on either origin (same array across reset())
 * @property {Map<string, Job>} jobs        request_id → job (async and sync)
 * @property {(model?: string) => number} submitCount  accepted v2 submits (jobs created)
 * @property {(...behaviours: JobBehaviour[]) => void} nextJobs  behaviours for the next jobs, FIFO
 * @property {(fault: Fault) => void} injectFault
 * @property {(options: { rate: number, routes: string[], faults: Array<Omit<Fault, 'route'> & { route: FaultRoute | '*' }>, seed?: number } | null) => void} setChaos  random faults on some routes (soak tests); null turns them off
 * @property {(ms: number) => void} advanceTime  move the emulator clock forward
 * @property {() => number} now      emulator clock (Date.now() + offset)
 * @property {() => void} reset      clear requests, jobs, queues, faults, clock offset, credits, stored outputs
 * @property {() => Promise<void>} close
 * @property {(name: string) => string} fixtureUrl   URL of a built-in fixture image
 * @property {string[]} fixtureNames
 * @property {(name: string, bytes: Buffer | Uint8Array, contentType?: string) => string} storeImage  host bytes on the image origin, returns the URL
 * @property {() => RecordedRequest[]} imageKeyLeaks  image-origin requests that carried the key
 * @property {() => { credits: number, 'free-credits': number }} getCredits
 * @property {(c: { credits?: number, 'free-credits'?: number }) => void} setCredits
 */

const FAULT_ROUTES = ['submit', 'status', 'result', 'image', 'credits', 'upload', 'sync'];
const FAULT_KINDS = ['http', 'malformed', 'reset', 'reset-after-create', 'reset-mid-body', 'delay'];
const MAX_BODY = 80 * 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1', '0.0.0.0']);

/**
 * @typedef {object} Reply
 * @property {number} status
 * @property {Record<string, string>} [headers]
 * @property {Buffer | string | object | null} [body]  object → JSON
 * @property {string} [contentType]
 */

/**
 * @param {number} status
 * @param {object} body
 * @param {Record<string, string>} [headers]
 * @returns {Reply}
 */
function json(status, body, headers) {
	return { status, body, headers, contentType: 'application/json' };
}

/** @param {number} n */
function round6(n) {
	return Math.round(n * 1e6) / 1e6;
}

/**
 * Start the emulator (both origins) and build the fixture images.
 * @param {EmulatorOptions} [options]
 * @returns {Promise<Emulator>}
 */
async function startEmulator(options = {}) {
	const apiKey = options.apiKey ?? 'test-key';
	const forbiddenKey = options.forbiddenKey ?? 'forbidden-key';
	const host = options.host ?? '127.0.0.1';
	const jobDurationMs = options.jobDurationMs ?? 300;
	const defaultQueuedMs = options.queuedMs;
	const retentionMs = options.retentionMs ?? 3_600_000;
	const initialCredits = {
		credits: options.credits?.credits ?? 100,
		'free-credits': options.credits?.['free-credits'] ?? 0.018,
	};
	const uploadResponseKey = options.uploadResponseKey ?? 'file_urls';
	const retiredModels = options.retiredModels ?? {};
	const log = typeof options.log === 'function' ? options.log : null;

	const fixtures = await images.makeFixtures();
	for (const [name, file] of mediaFixtures()) fixtures.set(name, file);

	let offset = 0;
	const now = () => Date.now() + offset;
	let closed = false;

	/** @type {RecordedRequest[]} */
	const requests = [];
	/** @type {Map<string, Job>} */
	const jobs = new Map();
	/** @type {JobBehaviour[]} */
	const behaviourQueue = [];
	/** @type {(Fault & { remaining: number })[]} */
	let faults = [];
	/**
	 * Random faults for soak tests: each request on one of `routes` gets, with probability `rate`,
	 * one of `faults`, both decided by a hash of the seed, the request and its attempt number.
	 * @type {{ rate: number, routes: string[], faults: Fault[], draw: (key: string, attempt: number) => number[], attempts: Map<string, number> } | null}
	 */
	let chaos = null;
	let credits = { ...initialCredits };
	/** @type {Map<string, StoredImage>} name → bytes; fixtures plus outputs and uploads */
	const store = new Map(fixtures);
	/** Host names under which this machine's image origin may be addressed. */
	const knownHosts = new Set([...LOOPBACK, host.toLowerCase()]);

	// ---- timers that never outlive close() ------------------------------------------------------
	/** @type {Set<{ t: NodeJS.Timeout, resolve: () => void }>} */
	const timers = new Set();
	/** @param {number} ms */
	function sleep(ms) {
		return new Promise((resolve) => {
			if (closed) return resolve(undefined);
			/** @type {{ t: NodeJS.Timeout, resolve: () => void }} */
			const entry = {
				t: setTimeout(() => {
					timers.delete(entry);
					resolve(undefined);
				}, Math.max(0, ms)),
				resolve: () => resolve(undefined),
			};
			timers.add(entry);
		});
	}

	// ---- servers ----------------------------------------------------------------------------------
	const apiServer = http.createServer((req, res) => onRequest('api', req, res));
	const imageServer = http.createServer((req, res) => onRequest('images', req, res));
	for (const s of [apiServer, imageServer]) {
		s.keepAliveTimeout = 2000;
		s.headersTimeout = 10000;
	}
	const apiPort = await listen(apiServer, options.port ?? 0, host);
	const imagePort = await listen(imageServer, options.imagePort ?? 0, host).catch(async (e) => {
		await new Promise((r) => apiServer.close(() => r(undefined)));
		throw e;
	});
	const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
	const apiUrl = `http://${urlHost}:${apiPort}`;
	const imageUrl = `http://${urlHost}:${imagePort}`;

	/**
	 * @param {'api' | 'images'} origin
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 */
	function onRequest(origin, req, res) {
		const started = Date.now();
		const rawUrl = req.url || '/';
		const qi = rawUrl.indexOf('?');
		/** @type {RecordedRequest} */
		const rec = {
			origin,
			method: req.method || 'GET',
			path: qi >= 0 ? rawUrl.slice(0, qi) : rawUrl,
			url: rawUrl,
			headers: { ...req.headers },
			body: '',
			status: 0,
			at: now(),
			fault: null,
		};
		requests.push(rec);
		const hostHeader = typeof req.headers.host === 'string' ? req.headers.host : '';
		const hn = hostnameOf(hostHeader);
		if (hn) knownHosts.add(hn);

		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		let tooBig = false;
		req.on('data', (c) => {
			size += c.length;
			if (size > MAX_BODY) tooBig = true;
			else chunks.push(c);
		});
		req.on('error', () => undefined);
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			rec.body = body.toString('utf8').slice(0, 2000);
			/** @type {Ctx} */
			const ctx = { origin, req, res, rec, body, started, hostHeader };
			if (tooBig) {
				send(ctx, json(413, { error: 'Request body too large' }));
				return;
			}
			dispatch(ctx).catch((e) => {
				if (!res.headersSent && !res.destroyed) {
					send(ctx, json(500, { error: `Emulator error: ${e && e.message ? e.message : e}` }));
				}
			});
		});
	}

	/**
	 * @typedef {object} Ctx
	 * @property {'api' | 'images'} origin
	 * @property {import('node:http').IncomingMessage} req
	 * @property {import('node:http').ServerResponse} res
	 * @property {RecordedRequest} rec
	 * @property {Buffer} body
	 * @property {number} started
	 * @property {string} hostHeader
	 */

	/**
	 * @param {Ctx} ctx
	 * @param {Reply} reply
	 */
	function send(ctx, reply) {
		const { res, rec } = ctx;
		if (res.headersSent || res.destroyed) return;
		let payload;
		let contentType = reply.contentType;
		if (reply.body === null || reply.body === undefined) payload = Buffer.alloc(0);
		else if (Buffer.isBuffer(reply.body)) payload = reply.body;
		else if (typeof reply.body === 'string') payload = Buffer.from(reply.body, 'utf8');
		else {
			payload = Buffer.from(JSON.stringify(reply.body), 'utf8');
			contentType = contentType || 'application/json';
		}
		/** @type {Record<string, string | number>} */
		const headers = { 'content-length': payload.length };
		if (contentType) headers['content-type'] = contentType;
		for (const [k, v] of Object.entries(reply.headers || {})) headers[k.toLowerCase()] = v;
		rec.status = reply.status;
		res.writeHead(reply.status, headers);
		res.end(ctx.req.method === 'HEAD' ? undefined : payload);
		logLine(ctx, String(reply.status));
	}

	/**
	 * Like send(), but only the first half of the body goes out before the socket is destroyed.
	 * @param {Ctx} ctx
	 * @param {Reply} reply
	 */
	function sendHalfThenReset(ctx, reply) {
		const { res, rec } = ctx;
		if (res.headersSent || res.destroyed) return;
		const payload = Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? ''), 'utf8');
		/** @type {Record<string, string | number>} */
		const headers = { 'content-length': payload.length };
		if (reply.contentType) headers['content-type'] = reply.contentType;
		rec.status = reply.status;
		res.writeHead(reply.status, headers);
		res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => {
			setTimeout(() => ctx.req.socket.destroy(), 20);
		});
		logLine(ctx, `${reply.status} RESET-MID-BODY`);
	}

	/** @param {Ctx} ctx */
	function resetSocket(ctx) {
		ctx.rec.status = 0;
		ctx.req.socket.destroy();
		logLine(ctx, 'RESET');
	}

	/**
	 * @param {Ctx} ctx
	 * @param {string} outcome
	 */
	function logLine(ctx, outcome) {
		if (!log) return;
		const f = ctx.rec.fault ? ` [fault:${ctx.rec.fault}]` : '';
		try {
			log(
				`${ctx.origin === 'api' ? 'api   ' : 'images'} ${ctx.rec.method} ${redact(ctx.rec.url)} -> ${outcome} ${
					Date.now() - ctx.started
				}ms${f}`,
			);
		} catch {
			/* a throwing logger must not break the emulator */
		}
	}

	/** @param {string} s */
	function redact(s) {
		return apiKey && s.includes(apiKey) ? s.split(apiKey).join('***') : s;
	}

	// ---- routing ----------------------------------------------------------------------------------

	/**
	 * @param {'api' | 'images'} origin
	 * @param {string} method
	 * @param {string} path
	 * @returns {{ route: FaultRoute | 'not-found' | 'bad-method', handler: (ctx: Ctx) => Promise<Reply | null>, model?: string }}
	 */
	function classify(origin, method, path) {
		let seg;
		try {
			seg = path.split('/').filter(Boolean).map(decodeURIComponent);
		} catch {
			seg = [];
		}
		const notFound = { route: /** @type {'not-found'} */ ('not-found'), handler: async () => json(404, { error: 'Not found' }) };
		const badMethod = {
			route: /** @type {'bad-method'} */ ('bad-method'),
			handler: async () => json(405, { error: `Method ${method} not allowed` }),
		};
		const isGet = method === 'GET' || method === 'HEAD';
		if (origin === 'images') {
			if (seg[0] === 'images' && seg.length >= 2) {
				if (!isGet) return badMethod;
				const name = seg.slice(1).join('/');
				return { route: 'image', handler: (ctx) => handleImage(ctx, name) };
			}
			return notFound;
		}
		if ((seg[0] === 'v1' || seg[0] === 'v2') && seg[1] === 'requests') {
			if (seg.length === 4 && seg[0] === 'v2' && seg[3] === 'status') {
				if (!isGet) return badMethod;
				return { route: 'status', handler: (ctx) => handleStatus(ctx, seg[2]) };
			}
			if (seg.length === 3) {
				if (!isGet) return badMethod;
				return { route: 'result', handler: (ctx) => handleResult(ctx, seg[2]) };
			}
			return notFound;
		}
		if (seg.length === 2 && seg[0] === 'v1' && seg[1] === 'get-user-credits') {
			if (!isGet) return badMethod;
			return { route: 'credits', handler: handleCredits };
		}
		if (seg.length === 1 && seg[0] === 'upload-asset') {
			if (method !== 'POST') return badMethod;
			return { route: 'upload', handler: handleUpload };
		}
		if (seg.length === 2 && seg[0] === 'v2') {
			if (method !== 'POST') return badMethod;
			return { route: 'submit', model: seg[1], handler: (ctx) => handleSubmit(ctx, seg[1]) };
		}
		if (seg.length === 2 && seg[0] === 'v1') {
			if (method !== 'POST') return badMethod;
			return { route: 'sync', model: seg[1], handler: (ctx) => handleSync(ctx, seg[1]) };
		}
		return notFound;
	}

	/** @param {Ctx} ctx */
	async function dispatch(ctx) {
		const { route, handler, model } = classify(ctx.origin, ctx.rec.method, ctx.rec.path);
		const fault = takeFault(route, model, ctx);
		if (!fault) {
			const reply = await handler(ctx);
			if (reply) send(ctx, reply);
			return;
		}
		const kind = fault.kind || 'http';
		ctx.rec.fault = kind;
		if (kind === 'delay') {
			await sleep(fault.delayMs ?? 1000);
			if (closed) return;
			const reply = await handler(ctx);
			if (reply) send(ctx, reply);
			return;
		}
		if (kind === 'reset-mid-body') {
			// The real answer's headers and the first half of its body, then the connection drops.
			const reply = await handler(ctx);
			if (reply) sendHalfThenReset(ctx, reply);
			return;
		}
		if (kind === 'reset-after-create' || fault.after) {
			await handler(ctx); // e.g. creates the job; its answer is lost
		}
		if (kind === 'reset' || kind === 'reset-after-create') {
			resetSocket(ctx);
			return;
		}
		if (kind === 'malformed') {
			send(ctx, malformedReply(fault, route, ctx));
			return;
		}
		send(ctx, faultReply(fault));
	}

	/**
	 * @param {string} route
	 * @param {string | undefined} model
	 */
	function takeFault(route, model, ctx) {
		if (chaos && chaos.routes.includes(route)) {
			// Decided per request, not by arrival order: the same request (path, and body for a
			// submit) on its n-th attempt meets the same fault in every run, however requests interleave.
			const key = `${route} ${ctx.rec.path} ${route === 'submit' || route === 'sync' ? ctx.body.toString('utf8') : ''}`;
			const attempt = chaos.attempts.get(key) ?? 0;
			chaos.attempts.set(key, attempt + 1);
			const [hit, pick] = chaos.draw(key, attempt);
			if (hit < chaos.rate) {
				const picked = chaos.faults.filter((f) => f.route === route || f.route === '*');
				if (picked.length > 0) return { ...picked[Math.floor(pick * picked.length)], route };
			}
		}
		const i = faults.findIndex(
			(f) => f.route === route && f.remaining > 0 && (!f.model || f.model === model),
		);
		if (i < 0) return null;
		const f = faults[i];
		f.remaining -= 1;
		if (f.remaining <= 0) faults.splice(i, 1);
		return f;
	}

	/**
	 * @param {Fault} f
	 * @returns {Reply}
	 */
	function faultReply(f) {
		const status = f.status ?? 500;
		let body = f.body;
		if (body === undefined) body = { error: http.STATUS_CODES[status] || 'Error' };
		let contentType = f.contentType;
		if (!contentType) {
			if (typeof body !== 'string') contentType = 'application/json';
			else contentType = /^\s*[[{]/.test(body) ? 'application/json' : 'text/plain; charset=utf-8';
		}
		return { status, body, contentType, headers: f.headers };
	}

	/**
	 * 200 (by default) with a truncated body: invalid JSON, or on the image route the first third of
	 * the image bytes.
	 * @param {Fault} f
	 * @param {string} route
	 * @param {Ctx} ctx
	 * @returns {Reply}
	 */
	function malformedReply(f, route, ctx) {
		const status = f.status ?? 200;
		if (route === 'image') {
			const name = decodeURIComponent(ctx.rec.path.replace(/^\/images\//, ''));
			const img = store.get(name);
			if (img) {
				return {
					status,
					body: img.bytes.subarray(0, Math.max(1, Math.floor(img.bytes.length / 3))),
					contentType: f.contentType || img.contentType,
					headers: f.headers,
				};
			}
		}
		const full =
			typeof f.body === 'string'
				? f.body
				: JSON.stringify(
						f.body ?? {
							status: 'COMPLETED',
							request_id: crypto.randomUUID(),
							output: `${imageUrl}/images/truncated.png`,
						},
					);
		return {
			status,
			body: full.slice(0, Math.max(1, Math.floor(full.length / 2))),
			contentType: f.contentType || 'application/json',
			headers: f.headers,
		};
	}

	// ---- helpers for handlers -----------------------------------------------------------------------

	/**
	 * null if the key is accepted (the forbidden key is accepted here), else a 401 reply.
	 * @param {Ctx} ctx
	 * @returns {Reply | null}
	 */
	function checkAuth(ctx) {
		const key = ctx.req.headers['x-api-key'];
		if (typeof key === 'string' && (key === apiKey || key === forbiddenKey)) return null;
		return json(401, { error: 'Invalid API key' });
	}

	/** @param {Ctx} ctx */
	function apiBase(ctx) {
		return ctx.hostHeader ? `http://${ctx.hostHeader}` : apiUrl;
	}

	/** @param {Ctx} ctx */
	function imageBase(ctx) {
		const hn = hostnameOf(ctx.hostHeader);
		return hn ? `http://${hn}:${imagePort}` : imageUrl;
	}

	/**
	 * @param {Ctx} ctx
	 * @returns {{ ok: true, value: unknown } | { ok: false, reply: Reply }}
	 */
	function parseJson(ctx) {
		const text = ctx.body.toString('utf8');
		if (text.trim() === '') {
			return { ok: false, reply: json(400, { error: 'Request body must be a JSON object' }) };
		}
		try {
			return { ok: true, value: JSON.parse(text) };
		} catch (e) {
			return {
				ok: false,
				reply: json(400, { error: `Invalid JSON body: ${e && e.message ? e.message : e}` }),
			};
		}
	}

	function totalCredits() {
		return credits.credits + credits['free-credits'];
	}

	/** @param {number} price */
	function charge(price) {
		const fromFree = Math.min(Math.max(0, credits['free-credits']), price);
		credits['free-credits'] = round6(credits['free-credits'] - fromFree);
		credits.credits = round6(Math.max(0, credits.credits - (price - fromFree)));
	}

	/**
	 * Auth, model, permission, validation and credit checks; on success the job exists (and is billed).
	 * @param {Ctx} ctx
	 * @param {string} slug
	 * @param {'async' | 'sync'} mode
	 * @returns {{ reply: Reply } | { job: Job }}
	 */
	function createJob(ctx, slug, mode) {
		const authErr = checkAuth(ctx);
		if (authErr) return { reply: authErr };
		const model = getModel(slug);
		if (!model) return { reply: json(404, { error: 'Model not found' }) };
		const retired = retiredModels[slug];
		if (retired) return { reply: json(retired.status ?? 410, { error: retired.error }) };
		if (ctx.req.headers['x-api-key'] === forbiddenKey) {
			return {
				reply: json(403, { error: `Forbidden: this API key does not have access to ${slug}` }),
			};
		}
		const parsed = parseJson(ctx);
		if (!parsed.ok) return { reply: parsed.reply };
		const v = validateBody(model, parsed.value);
		if (!v.ok) return { reply: json(400, { error: v.error }) };
		if (totalCredits() <= 0) return { reply: json(406, { error: 'Insufficient credits' }) };

		const behaviour = resolveBehaviour(behaviourQueue.shift(), behaviourFromPrompt(v.params.prompt), {
			durationMs: jobDurationMs,
			queuedMs: defaultQueuedMs,
		});
		const job = new Job({
			id: crypto.randomUUID(),
			model: slug,
			mode,
			body: /** @type {Record<string, unknown>} */ (parsed.value),
			params: v.params,
			createdAt: now(),
			behaviour,
			price: model.price,
			retentionMs,
			now,
		});
		charge(model.price);
		jobs.set(job.id, job);
		return { job };
	}

	/**
	 * Render the output once (lazily, when first needed after completion). Failures to read the
	 * input images turn the job FAILED.
	 * @param {Job} job
	 */
	function ensureRendered(job) {
		if (job.behaviour.outcome === 'FAILED') return Promise.resolve();
		if (!job.rendering) {
			job.rendering = renderJob(job).catch((e) => {
				job.renderError = e && e.message ? e.message : String(e);
			});
		}
		return job.rendering;
	}

	/** @param {Job} job */
	async function renderJob(job) {
		const p = job.params;
		const model = /** @type {import('./models').ModelSpec} */ (getModel(job.model));
		/** @type {Buffer | null} */
		let input = null;
		/** @type {{ width: number, height: number } | null} */
		let firstDims = null;
		let seed;
		const editing = p.image_urls.length > 0;
		if (editing) {
			for (let i = 0; i < p.image_urls.length; i++) {
				const label = model.kind === 'single-image' ? 'image' : `image_urls[${i}]`;
				const bytes = await loadInput(p.image_urls[i], label);
				if (!bytes) continue; // internet URL: synthesized
				const kind = images.sniffImage(bytes);
				if (!kind || kind.format === 'gif') {
					throw new Error(
						`invalid_image_format: ${label} is not a supported image (png, jpeg or webp)`,
					);
				}
				const dims = await images.probe(bytes);
				if (!dims) throw new Error(`invalid_image: ${label} could not be decoded`);
				if (i === 0) {
					input = bytes;
					firstDims = dims;
				}
			}
			if (p.mask) {
				const bytes = await loadInput(p.mask, 'mask');
				if (bytes) {
					const kind = images.sniffImage(bytes);
					if (!kind || kind.format !== 'png') {
						throw new Error('invalid_image_format: mask must be a PNG image');
					}
					const dims = await images.probe(bytes);
					if (!dims) throw new Error('invalid_image: mask could not be decoded');
					if (firstDims && (dims.width !== firstDims.width || dims.height !== firstDims.height)) {
						throw new Error(
							`invalid_mask: mask size ${dims.width}x${dims.height} does not match image_urls[0] size ${firstDims.width}x${firstDims.height}`,
						);
					}
				}
			}
			seed = images.seedOf(p.image_urls[0]);
		} else {
			seed = images.seedOf(p.prompt);
		}
		const out = await images.renderOutput({
			input,
			seed,
			size: p.size,
			format: p.output_format,
			compression: p.output_compression,
			transparent: p.background === 'transparent',
			edit: editing,
		});
		const name = `${job.id}.${images.extFor(out.format)}`;
		store.set(name, {
			bytes: out.bytes,
			contentType: job.behaviour.imageContentType || out.contentType,
		});
		job.output = { name, ...out };
	}

	/**
	 * Bytes of an input image URL; null for an internet URL (no network here: synthesize instead).
	 * Throws (→ job FAILED) when a local image cannot be read.
	 * @param {string} url
	 * @param {string} label
	 * @returns {Promise<Buffer | null>}
	 */
	async function loadInput(url, label) {
		if (url.startsWith('data:')) {
			const d = images.decodeDataUrl(url);
			if (!d) throw new Error(`invalid_image_url: ${label} is not a valid base64 data URL`);
			return d.bytes;
		}
		let u;
		try {
			u = new URL(url);
		} catch {
			throw new Error(`invalid_image_url: ${label} is not a valid URL`);
		}
		if (u.protocol !== 'http:' && u.protocol !== 'https:') {
			throw new Error(`invalid_image_url: ${label} must be an http(s) URL`);
		}
		const hn = u.hostname.toLowerCase();
		const local = knownHosts.has(hn) || hn.startsWith('127.');
		if (!local) return null;
		if (Number(u.port || 80) === imagePort && u.pathname.startsWith('/images/')) {
			const img = store.get(decodeURIComponent(u.pathname.slice('/images/'.length)));
			if (!img) throw new Error(`image_download_failed: ${label} answered HTTP 404`);
			return img.bytes;
		}
		if (u.protocol !== 'http:') return null;
		return httpGet(u, label);
	}

	/**
	 * @param {URL} u
	 * @param {string} label
	 * @returns {Promise<Buffer>}
	 */
	function httpGet(u, label) {
		return new Promise((resolve, reject) => {
			const r = http.get(u, { agent: false, timeout: 10000 }, (res) => {
				/** @type {Buffer[]} */
				const parts = [];
				res.on('data', (c) => parts.push(c));
				res.on('end', () => {
					if ((res.statusCode || 0) >= 400) {
						reject(new Error(`image_download_failed: ${label} answered HTTP ${res.statusCode}`));
					} else resolve(Buffer.concat(parts));
				});
				res.on('error', (e) => reject(new Error(`image_download_failed: ${label}: ${e.message}`)));
			});
			r.on('timeout', () => r.destroy(new Error('timeout')));
			r.on('error', (e) => reject(new Error(`image_download_failed: ${label}: ${e.message}`)));
		});
	}

	/**
	 * Status/result lookup: 404 for unknown or expired ids.
	 * @param {Ctx} ctx
	 * @param {string} id
	 * @returns {{ reply: Reply } | { job: Job }}
	 */
	function findJob(ctx, id) {
		const authErr = checkAuth(ctx);
		if (authErr) return { reply: authErr };
		const job = jobs.get(id);
		if (!job || job.expired) return { reply: json(404, { error: 'Request not found' }) };
		return { job };
	}

	/** @param {Job} job */
	function failedBody(job) {
		return { status: 'FAILED', error: job.error, metrics: job.metrics, request_id: job.id };
	}

	// ---- handlers -----------------------------------------------------------------------------------

	/**
	 * @param {Ctx} ctx
	 * @param {string} slug
	 * @returns {Promise<Reply>}
	 */
	async function handleSubmit(ctx, slug) {
		const r = createJob(ctx, slug, 'async');
		if ('reply' in r) return r.reply;
		const id = r.job.id;
		const base = apiBase(ctx);
		return json(200, {
			request_id: id,
			status: 'QUEUED',
			poll_url: `${base}/v1/requests/${id}`,
			status_url: `${base}/v2/requests/${id}/status`,
			response_url: `${base}/v2/requests/${id}`,
		});
	}

	/**
	 * @param {Ctx} ctx
	 * @param {string} id
	 * @returns {Promise<Reply>}
	 */
	async function handleStatus(ctx, id) {
		const r = findJob(ctx, id);
		if ('reply' in r) return r.reply;
		const job = r.job;
		if (job.finished) await ensureRendered(job);
		const state = job.state;
		if (state === 'FAILED') return json(422, failedBody(job));
		if (state === 'COMPLETED') {
			return json(200, { status: 'COMPLETED', request_id: job.id, metrics: job.metrics });
		}
		return json(200, { status: state, request_id: job.id, metrics: {} });
	}

	/**
	 * @param {Ctx} ctx
	 * @param {string} id
	 * @returns {Promise<Reply>}
	 */
	async function handleResult(ctx, id) {
		const r = findJob(ctx, id);
		if ('reply' in r) return r.reply;
		const job = r.job;
		if (job.finished) await ensureRendered(job);
		const state = job.state;
		if (state === 'FAILED') return json(422, failedBody(job));
		if (state === 'COMPLETED') {
			const out = /** @type {JobOutput} */ (job.output);
			return json(200, completedBody(job, `${imageBase(ctx)}/images/${out.name}`));
		}
		return json(200, { status: state, request_id: job.id, metrics: {} });
	}

	/**
	 * Sync v1: wait for the job, answer the image bytes.
	 * @param {Ctx} ctx
	 * @param {string} slug
	 * @returns {Promise<Reply | null>}
	 */
	async function handleSync(ctx, slug) {
		const r = createJob(ctx, slug, 'sync');
		if ('reply' in r) return r.reply;
		const job = r.job;
		while (!job.finished) {
			if (closed || ctx.res.destroyed) return null;
			await sleep(Math.min(25, Math.max(1, job.completedAt - now())));
		}
		await ensureRendered(job);
		if (job.state === 'FAILED') {
			return json(422, { status: 'FAILED', error: job.error, request_id: job.id });
		}
		const headers = {
			'x-remaining-credits': String(round6(totalCredits())),
			'x-credits-consumed': String(job.price),
			'x-generation-time': String(job.behaviour.inferenceTime),
			'x-request-id': job.id,
		};
		if (job.behaviour.cost !== undefined) headers['x-cost'] = String(job.behaviour.cost);
		if (job.behaviour.resultShape === 'none') {
			return json(200, { status: 'COMPLETED', request_id: job.id, output: null }, headers);
		}
		const out = /** @type {JobOutput} */ (job.output);
		return {
			status: 200,
			body: out.bytes,
			contentType: job.behaviour.imageContentType || out.contentType,
			headers,
		};
	}

	/**
	 * @param {Ctx} ctx
	 * @returns {Promise<Reply>}
	 */
	async function handleCredits(ctx) {
		const authErr = checkAuth(ctx);
		if (authErr) return authErr;
		return json(200, {
			credits: round6(credits.credits),
			'free-credits': round6(credits['free-credits']),
		});
	}

	/**
	 * @param {Ctx} ctx
	 * @returns {Promise<Reply>}
	 */
	async function handleUpload(ctx) {
		const authErr = checkAuth(ctx);
		if (authErr) return authErr;
		const parsed = parseJson(ctx);
		if (!parsed.ok) return parsed.reply;
		const b = /** @type {any} */ (parsed.value);
		if (!b || typeof b !== 'object' || !Array.isArray(b.data_urls)) {
			return json(400, { error: 'data_urls must be an array of base64 data URLs' });
		}
		if (b.data_urls.length === 0) {
			return json(400, { error: 'data_urls must contain at least one data URL' });
		}
		/** @type {{ name: string, img: StoredImage }[]} */
		const items = [];
		for (let i = 0; i < b.data_urls.length; i++) {
			const s = b.data_urls[i];
			if (typeof s !== 'string') return json(400, { error: `data_urls[${i}] must be a string` });
			const d = images.decodeDataUrl(s);
			if (!d) return json(400, { error: `data_urls[${i}] is not a base64 data URL` });
			const kind = images.sniffImage(d.bytes);
			if (!kind) return json(400, { error: `data_urls[${i}] does not contain an image` });
			items.push({
				name: `assets/${crypto.randomUUID()}.${images.extFor(kind.format)}`,
				img: { bytes: d.bytes, contentType: kind.mime },
			});
		}
		const base = imageBase(ctx);
		const urls = items.map(({ name, img }) => {
			store.set(name, img);
			return `${base}/images/${name}`;
		});
		return json(200, { [uploadResponseKey]: urls, message: 'Files uploaded successfully' });
	}

	/**
	 * @param {Ctx} ctx
	 * @param {string} name
	 * @returns {Promise<Reply>}
	 */
	async function handleImage(ctx, name) {
		if (ctx.req.headers['x-api-key'] !== undefined) {
			return json(403, {
				error: 'The image host must not receive the Segmind API key (x-api-key header present)',
			});
		}
		const img = store.get(name);
		if (!img) return json(404, { error: 'Image not found' });
		return {
			status: 200,
			body: img.bytes,
			contentType: img.contentType,
			headers: { 'cache-control': 'public, max-age=3600' },
		};
	}

	// ---- public object ------------------------------------------------------------------------------

	const fixtureNames = [...fixtures.keys()];

	/** @type {Emulator} */
	const emu = {
		apiUrl,
		imageUrl,
		apiKey,
		requests,
		jobs,
		fixtureNames,
		now,
		submitCount(model) {
			let n = 0;
			for (const j of jobs.values()) {
				if (j.mode === 'async' && (model === undefined || j.model === model)) n++;
			}
			return n;
		},
		nextJobs(...behaviours) {
			for (const b of behaviours) checkBehaviour(b);
			behaviourQueue.push(...behaviours.map((b) => ({ ...b })));
		},
		injectFault(fault) {
			if (!fault || !FAULT_ROUTES.includes(fault.route)) {
				throw new TypeError(`fault.route must be one of ${FAULT_ROUTES.join(', ')}`);
			}
			if (fault.kind !== undefined && !FAULT_KINDS.includes(fault.kind)) {
				throw new TypeError(`fault.kind must be one of ${FAULT_KINDS.join(', ')}`);
			}
			const times = fault.times ?? 1;
			if (!(times > 0)) throw new TypeError('fault.times must be > 0');
			faults.push({ ...fault, remaining: times });
		},
		advanceTime(ms) {
			if (!Number.isFinite(ms) || ms < 0) throw new TypeError('advanceTime(ms): ms must be >= 0');
			offset += ms;
		},
		setChaos(options) {
			if (!options) {
				chaos = null;
				return;
			}
			// Two numbers in [0, 1) from a hash of (seed, request, attempt): a failing soak replays exactly.
			const seed = options.seed ?? 1;
			/** @param {string} key @param {number} attempt */
			const draw = (key, attempt) => {
				const digest = crypto.createHash('sha256').update(`${seed}\n${key}\n${attempt}`).digest();
				return [digest.readUInt32BE(0) / 4294967296, digest.readUInt32BE(4) / 4294967296];
			};
			chaos = { rate: options.rate, routes: options.routes, faults: options.faults, draw, attempts: new Map() };
		},
		reset() {
			chaos = null;
			requests.length = 0;
			jobs.clear();
			behaviourQueue.length = 0;
			faults = [];
			offset = 0;
			credits = { ...initialCredits };
			store.clear();
			for (const [k, v] of fixtures) store.set(k, v);
		},
		async close() {
			if (closed) return;
			closed = true;
			for (const t of timers) {
				clearTimeout(t.t);
				t.resolve();
			}
			timers.clear();
			await Promise.all([closeServer(apiServer), closeServer(imageServer)]);
		},
		fixtureUrl(name) {
			if (!fixtures.has(name)) {
				throw new Error(`unknown fixture ${JSON.stringify(name)}; one of ${fixtureNames.join(', ')}`);
			}
			return `${imageUrl}/images/${name}`;
		},
		storeImage(name, bytes, contentType) {
			const b = Buffer.from(bytes);
			const ct =
				contentType || images.sniffImage(b)?.mime || images.contentTypeForName(name);
			store.set(name, { bytes: b, contentType: ct });
			return `${imageUrl}/images/${name.split('/').map(encodeURIComponent).join('/')}`;
		},
		imageKeyLeaks() {
			return requests.filter(
				(r) =>
					r.origin === 'images' &&
					(r.headers['x-api-key'] !== undefined ||
						(apiKey !== '' &&
							(r.url.includes(apiKey) ||
								Object.values(r.headers).some((v) => String(v).includes(apiKey))))),
			);
		},
		getCredits() {
			return { credits: round6(credits.credits), 'free-credits': round6(credits['free-credits']) };
		},
		setCredits(c) {
			if (c.credits !== undefined) credits.credits = c.credits;
			if (c['free-credits'] !== undefined) credits['free-credits'] = c['free-credits'];
		},
	};
	return emu;
}

/**
 * @param {import('node:http').Server} server
 * @param {number} port
 * @param {string} host
 * @returns {Promise<number>}
 */
function listen(server, port, host) {
	return new Promise((resolve, reject) => {
		const onError = (/** @type {Error} */ e) => reject(e);
		server.once('error', onError);
		server.listen(port, host, () => {
			server.off('error', onError);
			const addr = server.address();
			resolve(typeof addr === 'object' && addr ? addr.port : port);
		});
	});
}

/** @param {import('node:http').Server} server */
function closeServer(server) {
	return new Promise((resolve) => {
		if (!server.listening) return resolve(undefined);
		server.close(() => resolve(undefined));
		server.closeIdleConnections();
		server.closeAllConnections();
	});
}

/**
 * Host name (no port) of a Host header value, lower-cased; '' if none.
 * @param {string} hostHeader
 */
function hostnameOf(hostHeader) {
	if (!hostHeader) return '';
	try {
		return new URL(`http://${hostHeader}`).hostname.toLowerCase();
	} catch {
		return '';
	}
}

module.exports = { startEmulator, Job, DEFAULT_FAIL_ERROR, RESULT_SHAPES };
