'use strict';
/**
 * A real n8n in queue mode on loopback, for test/queue/run.js and bench/queue.js:
 * Redis (Debian's redis-server, started here on a random port, empty), a database shared by all
 * processes (PostgreSQL started here from the image's /usr/lib/postgresql; SQLite as a fallback),
 * one main (`n8n start`, webhooks) and N workers (`n8n worker --concurrency=C`), each n8n process
 * with its own user folder (as on separate machines: the package installed in each, nothing on a
 * shared disk), its own task broker port and health port, one shared N8N_ENCRYPTION_KEY.
 * Follows /work/shared/n8n-conventions.md, "Queue mode".
 *
 *   const cluster = await startCluster({ tarball, workers: 2, concurrency: 3, log });
 *   await cluster.setupOwner(); const id = await cluster.createCredential(...);
 *   await cluster.publishWorkflow(workflow);        // public API, then waits until the webhook is live
 *   const res = await cluster.webhook('path', body);
 *   const executions = await cluster.executions(workflowId);
 *   const bytes = await cluster.binary(binary.id);  // /rest/binary-data with the owner's cookie
 *   await cluster.stop();                           // SIGTERM to every process it started; always call
 *
 * Plain JS on purpose: n8n's lint forbids Node builtins, process and timers in .ts files.
 */
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');

const host = require('../../scripts/n8n-host');

const N8N_VERSION = '2.41.1';
const OWNER = { email: 'owner@queue.test', firstName: 'Queue', lastName: 'Owner', password: 'Queue-test-1234' };
const BROWSER_ID = 'queue-test-browser';

/** stop() of every cluster that is starting or running in this process (for signal handlers). */
const live = new Set();
async function stopAll() {
	await Promise.all([...live].map((stop) => stop()));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const REDIS_MISSING =
	'redis-server was not found on PATH. The queue-mode tests need Redis: install it with\n' +
	'  apt-get update && apt-get install -y redis-server     (Debian/Ubuntu, as root; .ci/run does this)\n' +
	'  brew install redis                                    (macOS)';

function findRedis() {
	if (process.env.REDIS_SERVER) return fs.existsSync(process.env.REDIS_SERVER) ? process.env.REDIS_SERVER : null;
	for (const dir of (process.env.PATH || '').split(path.delimiter).concat(['/usr/bin', '/usr/sbin', '/usr/local/bin'])) {
		const candidate = path.join(dir, 'redis-server');
		try {
			fs.accessSync(candidate, fs.constants.X_OK);
			return candidate;
		} catch {
			/* next */
		}
	}
	return null;
}

function findPostgres() {
	const base = '/usr/lib/postgresql';
	let versions = [];
	try {
		versions = fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin', 'postgres')));
	} catch {
		return null;
	}
	if (!versions.length) return null;
	versions.sort((a, b) => Number(b) - Number(a));
	return path.join(base, versions[0], 'bin');
}

/** One Redis command over a raw socket (no client library): returns the first reply line. */
function redisCommand(port, ...args) {
	return new Promise((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1');
		let data = '';
		socket.setTimeout(2000, () => socket.destroy(new Error('redis: timeout')));
		socket.on('connect', () => socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`));
		socket.on('data', (chunk) => {
			data += chunk;
			if (data.includes('\r\n')) {
				socket.end();
				resolve(data.split('\r\n')[0]);
			}
		});
		socket.on('error', reject);
	});
}

async function waitFor(what, fn, { timeoutMs = 60_000, intervalMs = 250, child } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last;
	for (;;) {
		if (child && child.exitCode !== null) throw new Error(`${what}: the process exited with ${child.exitCode} before it was ready`);
		try {
			const value = await fn();
			if (value) return value;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline) throw new Error(`${what}: not ready within ${timeoutMs / 1000} s${last ? ` (${last.message})` : ''}`);
		await sleep(intervalMs);
	}
}

/**
 * @param {{ tarball: string, workers?: number, concurrency?: number, log?: (line: string) => void,
 *   keep?: boolean, db?: 'postgres' | 'sqlite', env?: Record<string, string>, version?: string,
 *   executionsMode?: 'queue' | 'regular' }} options
 */
async function startCluster(options) {
	const log = options.log ?? (() => {});
	const workerCount = options.workers ?? 2;
	const concurrency = options.concurrency ?? 3;
	const redisBin = findRedis();
	if (!redisBin) throw new Error(REDIS_MISSING);
	const n8nHost = await host.ensureHost(options.version ?? N8N_VERSION, { log });

	const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'segmind-queue-'));
	const logDir = path.join(runDir, 'logs');
	fs.mkdirSync(logDir);
	/** @type {{ name: string, child: import('node:child_process').ChildProcess, logFile: string }[]} */
	const processes = [];
	const sessions = [];
	const timings = {};
	let cookie = '';
	let apiKey = '';
	let stopped = false;

	function launch(name, command, args, { env, cwd, uid, gid } = {}) {
		const logFile = path.join(logDir, `${name}.log`);
		const fd = fs.openSync(logFile, 'a');
		const child = spawn(command, args, { env, cwd, uid, gid, stdio: ['ignore', fd, fd] });
		fs.closeSync(fd);
		child.on('error', (error) => fs.appendFileSync(logFile, `\n[spawn error] ${error.message}\n`));
		processes.push({ name, child, logFile });
		return { child, logFile };
	}

	async function stop() {
		if (stopped) return;
		stopped = true;
		live.delete(stop);
		// n8n first (workers, then main), then Redis and the database they use
		const order = [...processes].reverse().sort((a, b) => rank(a.name) - rank(b.name));
		for (const group of [0, 1, 2]) {
			await Promise.all(order.filter((p) => rank(p.name) === group).map((p) => terminate(p.child)));
		}
		for (const session of sessions) if (!options.keep) session.dispose();
		if (!options.keep) fs.rmSync(runDir, { recursive: true, force: true });
		else log(`kept: ${runDir} and n8n user folders ${sessions.map((s) => s.userFolder).join(', ')}`);
	}
	live.add(stop);
	const rank = (name) => (name.startsWith('worker') ? 0 : name === 'main' ? 1 : 2);

	const cluster = {
		runDir,
		logDir,
		host: n8nHost,
		timings,
		processes,
		workers: /** @type {string[]} */ ([]),
		/** @type {Record<string, string>} n8n process name → its own user folder */
		userFolders: {},
		stop,
		/** Every log file of every process started (n8n, Redis, database). */
		logFiles: () => fs.readdirSync(logDir).map((f) => path.join(logDir, f)),
		readLog: (name) => fs.readFileSync(path.join(logDir, `${name}.log`), 'utf8'),
	};

	try {
		let started = Date.now();
		// ---- Redis ---------------------------------------------------------------------------------
		const redisPort = await host.freePort();
		const redisDir = path.join(runDir, 'redis');
		fs.mkdirSync(redisDir);
		const redis = launch('redis', redisBin, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', redisDir]);
		await waitFor('redis', async () => (await redisCommand(redisPort, 'PING')) === '+PONG', { child: redis.child, timeoutMs: 15_000, intervalMs: 100 });
		await redisCommand(redisPort, 'FLUSHALL');
		cluster.redisPort = redisPort;

		// ---- database --------------------------------------------------------------------------------
		const pgBin = (options.db ?? process.env.QUEUE_DB) === 'sqlite' ? null : findPostgres();
		let dbEnv;
		if (pgBin) {
			const pgDir = path.join(runDir, 'pg');
			fs.mkdirSync(pgDir);
			let uid;
			let gid;
			if (process.getuid && process.getuid() === 0) {
				// PostgreSQL refuses to run as root: run it as the image's postgres user
				try {
					uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
					gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
				} catch {
					throw new Error('running as root and there is no "postgres" user to run PostgreSQL as; use QUEUE_DB=sqlite');
				}
				fs.chownSync(runDir, uid, gid);
				fs.chownSync(pgDir, uid, gid);
				fs.chmodSync(runDir, 0o755);
			}
			execFileSync(path.join(pgBin, 'initdb'), ['-D', path.join(pgDir, 'data'), '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], {
				uid,
				gid,
				stdio: ['ignore', 'ignore', 'pipe'],
			});
			const pgPort = await host.freePort();
			const pg = launch('postgres', path.join(pgBin, 'postgres'), ['-D', path.join(pgDir, 'data'), '-p', String(pgPort), '-k', pgDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=100'], { uid, gid });
			await waitFor('postgres', () => {
				try {
					execFileSync(path.join(pgBin, 'createdb'), ['-h', '127.0.0.1', '-p', String(pgPort), '-U', 'n8n', 'n8n'], { stdio: 'ignore' });
					return true;
				} catch {
					return false;
				}
			}, { child: pg.child, timeoutMs: 20_000, intervalMs: 200 });
			dbEnv = { DB_TYPE: 'postgresdb', DB_POSTGRESDB_HOST: '127.0.0.1', DB_POSTGRESDB_PORT: String(pgPort), DB_POSTGRESDB_DATABASE: 'n8n', DB_POSTGRESDB_USER: 'n8n', DB_POSTGRESDB_PASSWORD: '' };
			cluster.database = `PostgreSQL ${path.basename(path.dirname(pgBin))}`;
		} else {
			dbEnv = { DB_TYPE: 'sqlite', DB_SQLITE_DATABASE: path.join(runDir, 'shared.sqlite'), DB_SQLITE_POOL_SIZE: '2' };
			cluster.database = 'SQLite (shared file; n8n does not support it for scaling)';
			log('PostgreSQL not found under /usr/lib/postgresql: using a shared SQLite file (n8n warns it is unsupported in queue mode)');
		}
		timings.infra = Date.now() - started;

		// ---- n8n: one user folder per process, the package installed in each -------------------------
		started = Date.now();
		const mainPort = await host.freePort();
		cluster.baseUrl = `http://127.0.0.1:${mainPort}`;
		const commonEnv = {
			...dbEnv,
			EXECUTIONS_MODE: options.executionsMode ?? 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			N8N_LOG_LEVEL: 'info', // workers log "Worker started execution N" at info
			N8N_SECURE_COOKIE: 'false',
			N8N_PROXY_HOPS: '0',
			N8N_RUNNERS_ENABLED: 'true',
			N8N_BLOCK_ENV_ACCESS_IN_NODE: 'true',
			...(options.env ?? {}),
		};
		async function n8nProcess(name, args, extra) {
			const session = await host.createSession(n8nHost, { name: `queue-${name}` });
			sessions.push(session);
			session.installPackage(options.tarball);
			const healthPort = await host.freePort();
			const env = host.n8nEnv(n8nHost, {
				userFolder: session.userFolder,
				brokerPort: session.brokerPort,
				extra: { ...commonEnv, QUEUE_HEALTH_CHECK_PORT: String(healthPort), ...extra },
			});
			const { child, logFile } = launch(name, n8nHost.nodeBin, [n8nHost.n8nBin, ...args], { env, cwd: session.userFolder });
			cluster.userFolders[name] = session.userFolder;
			return { child, logFile, healthPort, session };
		}

		// the main first: it migrates the fresh database before any worker connects
		const main = await n8nProcess('main', ['start'], { N8N_PORT: String(mainPort), N8N_LISTEN_ADDRESS: '127.0.0.1', WEBHOOK_URL: `${cluster.baseUrl}/` });
		cluster.main = main;
		await waitFor('n8n main', async () => (await fetch(`${cluster.baseUrl}/healthz/readiness`)).status === 200, { child: main.child, timeoutMs: 120_000, intervalMs: 300 });
		timings.main = Date.now() - started;

		started = Date.now();
		const workers = [];
		for (let index = 1; index <= workerCount; index++) {
			workers.push(await n8nProcess(`worker${index}`, ['worker', `--concurrency=${concurrency}`], { QUEUE_HEALTH_CHECK_ACTIVE: 'true' }));
			cluster.workers.push(`worker${index}`);
		}
		cluster.workersReady = Promise.all(
			workers.map((worker, index) =>
				waitFor(`n8n worker${index + 1}`, async () => (await fetch(`http://127.0.0.1:${worker.healthPort}/healthz/readiness`)).status === 200, {
					child: worker.child,
					timeoutMs: 120_000,
					intervalMs: 300,
				}),
			),
		).then(() => {
			timings.workers = Date.now() - started;
		});
		// a rejection is awaited by the caller; keep Node from reporting it as unhandled meanwhile
		cluster.workersReady.catch(() => {});
	} catch (error) {
		await stop();
		throw error;
	}

	// ---- HTTP helpers ----------------------------------------------------------------------------
	async function rest(method, route, body) {
		const response = await fetch(`${cluster.baseUrl}/rest${route}`, {
			method,
			headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID, ...(cookie ? { cookie } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /rest${route}: ${response.status} ${text.slice(0, 500)}`);
		return { response, json: text ? JSON.parse(text) : null };
	}
	async function api(method, route, body) {
		const response = await fetch(`${cluster.baseUrl}/api/v1${route}`, {
			method,
			headers: { 'content-type': 'application/json', 'x-n8n-api-key': apiKey },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /api/v1${route}: ${response.status} ${text.slice(0, 500)}`);
		return text ? JSON.parse(text) : null;
	}

	Object.assign(cluster, {
		/** Owner account (cookie for /rest) and a public-API key with every scope the owner may have. */
		async setupOwner() {
			const { response } = await rest('POST', '/owner/setup', OWNER);
			const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
			if (!setCookie) throw new Error('owner setup returned no n8n-auth cookie');
			cookie = setCookie.split(';')[0];
			const scopes = (await rest('GET', '/api-keys/scopes')).json.data;
			const created = (await rest('POST', '/api-keys', { label: 'queue-test', scopes, expiresAt: null })).json.data;
			apiKey = created.rawApiKey;
		},
		rest,
		api,
		async createCredential(credential) {
			return (await api('POST', '/credentials', credential)).id;
		},
		/** Create a workflow through the public API, publish (activate) it, wait until its webhook answers. */
		async publishWorkflow(workflow, webhookPath) {
			const { name, nodes, connections, settings } = workflow;
			const created = await api('POST', '/workflows', { name, nodes, connections, settings });
			await api('POST', `/workflows/${created.id}/activate`);
			// a POST webhook answers a GET with "not registered for GET" once it is live (no execution)
			await waitFor(`webhook ${webhookPath}`, async () => {
				const response = await fetch(`${cluster.baseUrl}/webhook/${webhookPath}`);
				const text = await response.text();
				return response.status !== 404 || /not registered for GET|Did you mean/i.test(text);
			}, { timeoutMs: 30_000, intervalMs: 200 });
			return created.id;
		},
		async webhook(webhookPath, body) {
			const started = Date.now();
			const response = await fetch(`${cluster.baseUrl}/webhook/${webhookPath}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			const text = await response.text();
			let json = null;
			try {
				json = JSON.parse(text);
			} catch {
				/* not JSON */
			}
			return { status: response.status, text, json, ms: Date.now() - started };
		},
		/** Every execution of a workflow, with its data (public API, paged). */
		async executions(workflowId) {
			const all = [];
			let cursor;
			do {
				const page = await api('GET', `/executions?workflowId=${workflowId}&includeData=true&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
				all.push(...page.data);
				cursor = page.nextCursor;
			} while (cursor);
			return all;
		},
		/** The bytes of a binary stored by n8n, through the main's /rest/binary-data (owner cookie). */
		async binary(id) {
			const response = await fetch(`${cluster.baseUrl}/rest/binary-data?id=${encodeURIComponent(id)}&action=download`, {
				headers: { cookie, 'browser-id': BROWSER_ID },
			});
			if (response.status !== 200) throw new Error(`GET /rest/binary-data ${id}: ${response.status} ${(await response.text()).slice(0, 200)}`);
			return Buffer.from(await response.arrayBuffer());
		},
		/** How many executions each worker's log says it started. */
		startedPerWorker() {
			return Object.fromEntries(cluster.workers.map((name) => [name, (cluster.readLog(name).match(/Worker started execution \d+/g) ?? []).length]));
		},
	});
	return cluster;
}

/** SIGTERM, wait up to `ms`, then SIGKILL; resolves when the process is gone. */
function terminate(child, ms = 20_000) {
	return new Promise((resolve) => {
		if (!child || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve(undefined);
		const timer = setTimeout(() => {
			try {
				child.kill('SIGKILL');
			} catch {
				/* gone */
			}
		}, ms);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve(undefined);
		});
		try {
			child.kill('SIGTERM');
		} catch {
			clearTimeout(timer);
			resolve(undefined);
		}
	});
}

module.exports = { startCluster, stopAll, findRedis, findPostgres, REDIS_MISSING, N8N_VERSION, terminate };
