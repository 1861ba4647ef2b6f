'use strict';
/**
 * `n8n start` (the editor and its REST API) in a session made by scripts/n8n-host.js, and a small
 * REST client logged in as the instance owner.
 */

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const nodeHost = require('../../scripts/n8n-host');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Start the n8n server of `session` on a free 127.0.0.1 port and wait until it answers.
 * @returns {Promise<{ url: string, port: number, logFile: string, stop: () => Promise<void> }>}
 */
async function startServer(session, { timeoutMs = 120_000 } = {}) {
	const port = await nodeHost.freePort();
	const env = nodeHost.n8nEnv(session.host, {
		userFolder: session.userFolder,
		brokerPort: session.brokerPort,
		extra: {
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_SECURE_COOKIE: 'false',
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
			N8N_LOG_LEVEL: 'warn',
		},
	});
	const logFile = path.join(session.userFolder, 'n8n-server.log');
	const out = fs.openSync(logFile, 'a');
	const child = spawn(session.host.nodeBin, [session.host.n8nBin, 'start'], {
		cwd: session.userFolder,
		env,
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	let exited = null;
	child.on('exit', (code, signal) => (exited = { code, signal }));
	const url = `http://127.0.0.1:${port}`;
	const started = Date.now();
	for (;;) {
		if (exited) {
			throw new Error(`n8n start exited (${JSON.stringify(exited)}); log ${logFile}:\n${tail(logFile)}`);
		}
		try {
			const res = await fetch(`${url}/healthz/readiness`);
			const settings = res.ok ? await fetch(`${url}/rest/settings`) : null;
			if (settings && settings.ok && /^application\/json/.test(settings.headers.get('content-type') ?? '')) break;
		} catch {
			/* not listening yet */
		}
		if (Date.now() - started > timeoutMs) {
			child.kill('SIGKILL');
			throw new Error(`n8n start did not answer within ${timeoutMs / 1000} s; log ${logFile}:\n${tail(logFile)}`);
		}
		await sleep(250);
	}
	return {
		url,
		port,
		logFile,
		readyMs: Date.now() - started,
		async stop() {
			if (exited) return;
			const done = new Promise((resolve) => child.on('exit', resolve));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await done;
			clearTimeout(timer);
		},
	};
}

function tail(file, lines = 30) {
	try {
		return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

/** Set up the owner of a fresh instance; returns a REST client carrying the owner's `n8n-auth` cookie. */
async function ownerClient(url) {
	const owner = { email: 'owner@example.com', firstName: 'Browser', lastName: 'Test', password: 'Browser-test-1234' };
	const res = await fetch(`${url}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(owner),
	});
	if (!res.ok) throw new Error(`POST /rest/owner/setup: ${res.status} ${await res.text()}`);
	const cookies = res.headers.getSetCookie ? res.headers.getSetCookie() : [res.headers.get('set-cookie') ?? ''];
	const auth = cookies.map((c) => /n8n-auth=([^;]+)/.exec(c)).find(Boolean);
	if (!auth) throw new Error(`owner setup gave no n8n-auth cookie (${res.status}): ${cookies.join(' | ')} ${(await res.text()).slice(0, 300)}`);
	const cookie = auth[1];

	async function call(method, route, body) {
		const response = await fetch(`${url}/rest${route}`, {
			method,
			headers: { 'content-type': 'application/json', cookie: `n8n-auth=${cookie}`, 'browser-id': 'segmind-browser-test' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /rest${route}: ${response.status} ${text.slice(0, 500)}`);
		const parsed = text ? JSON.parse(text) : {};
		return parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed;
	}
	return { cookie, owner, call };
}

module.exports = { startServer, ownerClient, sleep };
