'use strict';
/**
 * Process-level n8n environment for the in-process harness.
 *
 * n8n-core resolves its services through the `@n8n/di` Container. In a running n8n the CLI
 * package fills that container at start-up; here we do the minimum it needs:
 *
 * - `Logger`            → a capturing logger (also installed into n8n-workflow's `LoggerProxy`),
 *                          attributing every line to the harness run that emitted it (AsyncLocalStorage).
 * - `InstanceSettings`  → the real class, built on a throw-away temp folder with a fixed
 *                          encryption key (so it never reads or writes `~/.n8n`).
 * - `BinaryDataConfig` / `BinaryDataService` → the real service, created per run (see
 *                          `createBinaryDataService`) and installed with `installBinaryDataService`.
 *
 * Everything else (`ErrorReporter`, `Cipher`, `ExecutionContextService`, …) is left to the
 * Container to build from n8n-core's own decorators.
 *
 * NOTE: `@n8n/di`, `@n8n/backend-common` etc. must be the copies n8n-core itself uses
 * (n8n-core ships nested versions that differ from the top-level ones), hence `coreRequire`.
 */
const { AsyncLocalStorage } = require('node:async_hooks');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createRequire } = require('node:module');
const { createHash } = require('node:crypto');

const core = require('n8n-core');
const { LoggerProxy } = require('n8n-workflow');

/** `require` that resolves modules exactly like n8n-core does. */
const coreRequire = createRequire(require.resolve('n8n-core'));
/** @type {typeof import('@n8n/di').Container} */
const Container = coreRequire('@n8n/di').Container;
const { Logger } = coreRequire('@n8n/backend-common');

const TMP_PREFIX = 'n8n-harness-';
const ENCRYPTION_KEY = 'n8n-harness-encryption-key';

/**
 * @typedef {{ level: 'error'|'warn'|'info'|'debug', message: string, metadata?: Record<string, unknown>, line: string }} LogEntry
 * @typedef {{ entries: LogEntry[] }} LogSink
 */

/** @type {AsyncLocalStorage<LogSink>} */
const logContext = new AsyncLocalStorage();

/** @param {unknown} value */
function safeStringify(value) {
	const seen = new WeakSet();
	try {
		return JSON.stringify(value, (_key, v) => {
			if (v instanceof Error) {
				return { name: v.name, message: v.message, ...(/** @type {object} */ (v)) };
			}
			if (typeof v === 'bigint') return v.toString();
			if (Buffer.isBuffer(v)) return `<Buffer ${v.length} bytes>`;
			if (v && typeof v === 'object') {
				if (seen.has(v)) return '[Circular]';
				seen.add(v);
			}
			return v;
		});
	} catch {
		return String(value);
	}
}

/**
 * @param {LogEntry['level']} level
 * @returns {(message: string, metadata?: Record<string, unknown>) => void}
 */
function makeLogMethod(level) {
	return (message, metadata) => {
		const sink = logContext.getStore();
		if (!sink) return; // emitted outside any harness run: dropped
		const hasMeta = metadata !== undefined && metadata !== null && Object.keys(metadata).length > 0;
		const line = `${level}: ${message}${hasMeta ? ` ${safeStringify(metadata)}` : ''}`;
		sink.entries.push({ level, message: String(message), metadata, line });
	};
}

/** Capturing logger implementing n8n's `Logger` surface (`error/warn/info/debug/scoped`). */
const captureLogger = {
	error: makeLogMethod('error'),
	warn: makeLogMethod('warn'),
	info: makeLogMethod('info'),
	debug: makeLogMethod('debug'),
	/** @returns {typeof captureLogger} */
	scoped() {
		return captureLogger;
	},
};

/**
 * Run `fn` with every n8n log line emitted inside it (including from async continuations)
 * collected into `sink`.
 * @template T
 * @param {LogSink} sink
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
function withLogCapture(sink, fn) {
	return logContext.run(sink, fn);
}

let initialised = false;

/** Fill the DI container once per module instance (i.e. once per jest test file). */
function ensureN8nEnvironment() {
	if (initialised) return;
	initialised = true;

	Container.set(Logger, /** @type {any} */ (captureLogger));
	LoggerProxy.init(/** @type {any} */ (captureLogger));

	// The real InstanceSettings writes `<n8nFolder>/config` on construction; give it a
	// temp folder and remove it right away (settings stay in memory).
	const n8nFolder = fs.mkdtempSync(path.join(os.tmpdir(), `${TMP_PREFIX}settings-`));
	try {
		const instanceSettings = new core.InstanceSettings(
			/** @type {any} */ ({
				n8nFolder,
				userHome: n8nFolder,
				encryptionKey: ENCRYPTION_KEY,
				enforceSettingsFilePermissions: false,
			}),
			/** @type {any} */ (captureLogger),
		);
		Container.set(core.InstanceSettings, instanceSettings);
	} finally {
		fs.rmSync(n8nFolder, { recursive: true, force: true });
	}

	// Every ExecuteContext asks the Container for the SSHClientsManager, whose constructor
	// starts a 60 s `setInterval` that would keep jest/node alive. Build the real one up front
	// and unref its timer (it is not exported from n8n-core's index, so require it by path).
	try {
		const { SSHClientsManager } = require('n8n-core/dist/execution-engine/ssh-clients-manager');
		const sshClientsManager = /** @type {any} */ (Container.get(SSHClientsManager));
		sshClientsManager.cleanupTimer?.unref?.();
	} catch {
		/* layout changed in another n8n-core version: nothing to unref */
	}
}

/**
 * Build a real, initialised BinaryDataService for one run.
 *
 * n8n 2.x: `mode` `'filesystem'` stores files under `localStoragePath` and ids look like
 * `filesystem-v2:workflows/<wf>/executions/<exec>/binary_data/<uuid>`; `'default'` keeps the
 * data base64 in the item (no manager is registered for it).
 *
 * @param {'filesystem'|'default'} mode
 * @param {string} localStoragePath
 */
async function createBinaryDataService(mode, localStoragePath) {
	ensureN8nEnvironment();
	const instanceSettings = Container.get(core.InstanceSettings);
	// BinaryDataConfig is an env-driven @Config class; build the instance directly so the
	// environment (N8N_DEFAULT_BINARY_DATA_MODE, …) cannot change what a test asked for.
	const config = Object.assign(Object.create(core.BinaryDataConfig.prototype), {
		mode,
		availableModes: ['filesystem', 's3', 'database'],
		localStoragePath,
		signingSecret: createHash('sha256')
			.update(`url-signing:${instanceSettings.encryptionKey}`)
			.digest('base64'),
		dbMaxFileSize: 512,
	});
	const service = new core.BinaryDataService(
		config,
		Container.get(core.ErrorReporter),
		/** @type {any} */ (captureLogger),
	);
	await service.init();
	return { config, service };
}

/**
 * Make `service`/`config` the ones n8n-core's helpers (`prepareBinaryData`,
 * `getBinaryDataBuffer`, `convertBinaryData`, …) get from the Container.
 * @param {{ config: object, service: object }} binary
 */
function installBinaryDataService({ config, service }) {
	Container.set(core.BinaryDataConfig, config);
	Container.set(core.BinaryDataService, service);
}

/** Create a fresh temp dir (unique per call). */
function makeTempDir(/** @type {string} */ label) {
	return fs.mkdtempSync(path.join(os.tmpdir(), `${TMP_PREFIX}${label}-`));
}

/** @param {string} dir */
function removeDir(dir) {
	fs.rmSync(dir, { recursive: true, force: true });
}

module.exports = {
	Container,
	coreRequire,
	captureLogger,
	withLogCapture,
	ensureN8nEnvironment,
	createBinaryDataService,
	installBinaryDataService,
	makeTempDir,
	removeDir,
	safeStringify,
};
