#!/usr/bin/env node
'use strict';
/**
 * End-to-end tests: the example workflows (and failure variants) run in a real, headless n8n —
 * n8n 1.123.81 and 2.41.1 on Node 24, n8n 2.8.4 on this machine's Node — with this package loaded from its
 * build (npm pack → the community nodes folder), against the Segmind emulator.
 *
 *   npm run test:e2e                         every n8n version (1.123.81, 2.8.4, 2.41.1)
 *   npm run test:e2e -- --n8n=2.8.4          one version (or E2E_N8N_VERSIONS=2.8.4)
 *   npm run test:e2e -- --grep=Deadline      only cases whose id or title matches
 *   E2E_KEEP=1 npm run test:e2e              keep each n8n user folder (database, storage)
 *
 * Per n8n version: start the emulator, make a fresh n8n user folder, install the packed package,
 * `n8n import:credentials` (the example's credential id, pointing at the emulator, plus one with
 * a wrong key), `n8n import:workflow`, one `n8n execute-batch` over every case, then read what
 * n8n stored (its SQLite database, its filesystem binary storage) and check it. n8n versions that
 * are not installed yet are installed first (scripts/n8n-host.js; minutes, once).
 *
 * Ends with a line "N passed, N failed" and exits non-zero when anything failed.
 */
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const sharp = require('sharp');
const host = require('../../scripts/n8n-host');
const { startEmulator } = require('../emulator');
const { startFakeChatModel } = require('../fake-chat-model');
const { cases, CREDENTIAL_ID, BAD_KEY_CREDENTIAL_ID, OPENAI_CREDENTIAL_ID } = require('./cases');

const ROOT = host.ROOT;
const GOOD_KEY = `e2e-key-${crypto.randomBytes(6).toString('hex')}`;
const BAD_KEY = `wrong-key-${crypto.randomBytes(6).toString('hex')}`;
const MODEL_KEY = `sk-fake-model-${crypto.randomBytes(6).toString('hex')}`;

// ---- arguments --------------------------------------------------------------------------------

function parseArgs(argv) {
	const options = { versions: null, grep: null, keep: process.env.E2E_KEEP === '1' };
	for (const arg of argv) {
		const [key, value] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, ''];
		if (key === '--n8n' || key === '--version') options.versions = value.split(',').filter(Boolean);
		else if (key === '--grep') options.grep = new RegExp(value, 'i');
		else if (key === '--keep') options.keep = true;
		else throw new Error(`unknown argument ${arg} (use --n8n=2.8.4,2.41.1 --grep=<regex> --keep)`);
	}
	if (!options.versions && process.env.E2E_N8N_VERSIONS) options.versions = process.env.E2E_N8N_VERSIONS.split(',').filter(Boolean);
	options.versions ??= host.VERSIONS;
	for (const version of options.versions) {
		if (!host.HOSTS[version]) throw new Error(`unknown n8n version ${version}; known: ${host.VERSIONS.join(', ')}`);
	}
	return options;
}

// ---- the build -----------------------------------------------------------------------------------



// ---- checks on images ------------------------------------------------------------------------

const MAGIC = {
	png: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
	jpeg: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
	webp: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};
const MIME = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

// ---- one n8n version -------------------------------------------------------------------------

/**
 * @param {import('../../scripts/n8n-host').Host} n8nHost
 * @param {string} tarball
 * @param {typeof cases} selected
 * @param {{ keep: boolean, grep: RegExp | null }} options
 * @param {(line: string) => void} report
 */
async function runVersion(n8nHost, tarball, selected, options, report) {
	const version = n8nHost.version;
	/** @type {{ name: string, ok: boolean, error?: string }[]} */
	const results = [];
	const record = async (name, fn) => {
		try {
			await fn();
			results.push({ name, ok: true });
			report(`  ✓ ${name}`);
		} catch (error) {
			const message = error instanceof assert.AssertionError ? assertionText(error) : error.stack || String(error);
			results.push({ name, ok: false, error: message });
			report(`  ✗ ${name}\n${indent(message, 6)}`);
		}
	};

	const emulatorLog = [];
	const emulator = await startEmulator({
		apiKey: GOOD_KEY,
		jobDurationMs: 1500,
		log: (line) => emulatorLog.push(line),
	});
	const fakeModel = await startFakeChatModel();
	const session = await host.createSession(n8nHost, { name: 'e2e' });
	const binaryMode = host.HOSTS[version].binaryMode;
	const timings = {};
	try {
		let started = Date.now();
		const packageDir = session.installPackage(tarball);
		await record(`[n8n ${version}] the package is installed from its tarball and uses n8n's own n8n-workflow`, () => {
			const resolved = session.resolveFromPackage('n8n-workflow');
			assert.ok(
				resolved.startsWith(path.join(n8nHost.dir, 'node_modules') + path.sep),
				`n8n-workflow resolved to ${resolved}, not to n8n ${version}'s copy`,
			);
			const packed = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
			assert.equal(packed.name, 'n8n-nodes-segmind');
			assert.equal(packed.dependencies, undefined, 'the package has no runtime dependencies');
		});

		await session.importCredentials([
			{ id: CREDENTIAL_ID, name: 'Segmind account', type: 'segmindApi', data: { apiKey: GOOD_KEY, baseUrl: emulator.apiUrl } },
			{ id: BAD_KEY_CREDENTIAL_ID, name: 'Segmind (wrong key)', type: 'segmindApi', data: { apiKey: BAD_KEY, baseUrl: emulator.apiUrl } },
			{ id: OPENAI_CREDENTIAL_ID, name: 'OpenAI account', type: 'openAiApi', data: { apiKey: MODEL_KEY, url: fakeModel.baseUrl, header: false } },
		]);
		const workflows = selected.map((c) => ({ ...c.workflow({ emulator, n8n: host.HOSTS[version] }), id: c.id }));
		await session.importWorkflows(workflows);
		timings.setup = Date.now() - started;

		started = Date.now();
		const batch = await session.executeBatch(
			selected.map((c) => c.id),
			{ concurrency: selected.length, timeoutMs: 240_000 },
		);
		timings.execute = Date.now() - started;
		const executions = session.readExecutions();
		const byWorkflow = new Map(executions.map((execution) => [execution.workflowId, execution]));
		const n8nOutput = `${batch.stdout}\n${batch.stderr}`;

		await record(`[n8n ${version}] execute-batch ran every workflow; only the expected ones failed`, () => {
			assert.ok(batch.summary, `no summary from execute-batch (exit ${batch.code}):\n${n8nOutput.slice(-3000)}`);
			const failedIds = batch.summary.summary.errors.map((e) => e.workflowId).sort();
			const expected = selected.filter((c) => c.expectError).map((c) => c.id).sort();
			assert.deepEqual(failedIds, expected, `failed workflows: ${JSON.stringify(batch.summary.summary.errors)}`);
			assert.equal(batch.code, expected.length ? 1 : 0, 'execute-batch exit code');
			for (const c of selected) assert.ok(byWorkflow.has(c.id), `no stored execution for ${c.id}`);
		});

		for (const c of selected) {
			await record(`[n8n ${version}] ${c.title}`, async () => {
				const execution = byWorkflow.get(c.id);
				assert.ok(execution, 'no stored execution');
				if (!c.expectError) {
					const error = execution.data.resultData.error;
					assert.equal(error, undefined, `the run failed: ${error?.message} ${error?.description ?? ''}`);
					assert.equal(execution.status, 'success');
				}
				await c.check(makeContext({ c, execution, session, emulator, fakeModel, binaryMode, batch }));
			});
		}

		await record(`[n8n ${version}] the API key went only to API calls, never to the image host or into n8n's data`, () => {
			const api = emulator.requests.filter((r) => r.origin === 'api');
			const images = emulator.requests.filter((r) => r.origin === 'images');
			// (a --grep selection may hold no workflow that downloads an image)
			assert.ok(api.length > 0 && (images.length > 0 || options.grep), 'the emulator saw API calls and image downloads');
			for (const r of api) {
				assert.ok([GOOD_KEY, BAD_KEY].includes(r.headers['x-api-key']), `${r.method} ${r.path} came without the key`);
				assert.ok(!r.url.includes(GOOD_KEY) && !r.body.includes(GOOD_KEY), `the key is in the URL or body of ${r.method} ${r.path}`);
			}
			assert.deepEqual(emulator.imageKeyLeaks(), [], 'an image download carried x-api-key');
			for (const r of images) {
				const text = `${r.url} ${JSON.stringify(r.headers)} ${r.body}`;
				assert.ok(!text.includes(GOOD_KEY) && !text.includes(BAD_KEY), `the key reached the image host: ${r.method} ${r.path}`);
			}
			const stored = JSON.stringify(executions);
			assert.ok(!stored.includes(GOOD_KEY) && !stored.includes(BAD_KEY), 'an API key is in the stored execution data');
			assert.ok(!n8nOutput.includes(GOOD_KEY) && !n8nOutput.includes(BAD_KEY), "an API key is in n8n's output");
			assert.ok(!emulatorLog.join('\n').includes(GOOD_KEY));
			for (const r of fakeModel.requests) {
				const text = `${JSON.stringify(r.headers)} ${r.raw}`;
				assert.ok(!text.includes(GOOD_KEY) && !text.includes(BAD_KEY), `a Segmind API key reached the chat model: ${r.method} ${r.path}`);
			}
		});

		await record(`[n8n ${version}] binary data is where this n8n keeps it by default (${binaryMode} mode)`, () => {
			const binaries = executions.flatMap((execution) =>
				Object.values(execution.data.resultData.runData).flatMap((tasks) =>
					tasks.flatMap((task) => Object.values(task.data ?? {}).flat(2).filter(Boolean).flatMap((item) => Object.values(item.binary ?? {}))),
				),
			);
			if (!options.grep) assert.ok(binaries.length >= 5, `only ${binaries.length} binaries`);
			for (const binary of binaries) {
				if (binaryMode === 'filesystem') {
					assert.match(binary.id ?? '', /^filesystem(-v2)?:workflows\//, `binary ${binary.fileName} is not in filesystem storage`);
					assert.ok(fs.existsSync(session.binaryPath(binary)));
				} else {
					// n8n 1.x keeps binaries inside the execution data (base64) unless told otherwise
					assert.equal(binary.id, undefined, `binary ${binary.fileName} has a storage id in ${binaryMode} mode`);
					assert.ok(typeof binary.data === 'string' && binary.data.length > 100, `binary ${binary.fileName} has no inline data`);
				}
			}
		});
		report(`  (n8n ${version}: setup ${(timings.setup / 1000).toFixed(1)} s, execute-batch ${(timings.execute / 1000).toFixed(1)} s)`);
		if (results.some((r) => !r.ok)) {
			report(`  n8n user folder of this run: ${session.userFolder}${options.keep ? '' : ' (removed; keep it with E2E_KEEP=1)'}`);
			report(`  execute-batch output (last lines):\n${indent(n8nOutput.trim().split('\n').slice(-15).join('\n'), 4)}`);
		}
	} catch (error) {
		results.push({ name: `[n8n ${version}] setup and run`, ok: false, error: error.stack || String(error) });
		report(`  ✗ [n8n ${version}] setup and run\n${indent(error.stack || String(error), 6)}`);
	} finally {
		await emulator.close();
		await fakeModel.close();
		if (options.keep) report(`  kept n8n user folder: ${session.userFolder}`);
		else session.dispose();
	}
	return results;
}

/** What a case's check gets. */
function makeContext({ c, execution, session, emulator, fakeModel, binaryMode, batch }) {
	const runData = execution.data.resultData.runData;
	const context = {
		execution,
		emulator,
		fakeModel,
		modelKey: MODEL_KEY,
		goodKey: GOOD_KEY,
		badKey: BAD_KEY,
		summaryError: batch.summary?.summary.errors.find((e) => e.workflowId === c.id)?.error,
		/** Items a node put on one of its outputs (its first run). */
		output(nodeName, outputIndex = 0) {
			const tasks = runData[nodeName];
			assert.ok(tasks && tasks.length, `node "${nodeName}" did not run`);
			return tasks[0].data?.main?.[outputIndex] ?? [];
		},
		/** Every run (task data) of a node, e.g. a tool the agent called. */
		runs(nodeName) {
			return runData[nodeName] ?? [];
		},
		/** The emulator's record of a Segmind job. */
		job(requestId) {
			assert.equal(typeof requestId, 'string', 'the item carries a requestId');
			const job = emulator.jobs.get(requestId);
			assert.ok(job, `the emulator knows no job ${requestId}`);
			return job;
		},
		jobsWithPrompts(prompts) {
			return [...emulator.jobs.values()].filter((job) => prompts.includes(job.body.prompt));
		},
		/**
		 * The binary in `field`: decoded from n8n's storage, it must be a real image of `format`
		 * (and size, when given), equal to the bytes Segmind (the emulator) served, and described
		 * truthfully by the item (MIME type, size, file name, json.width/height).
		 */
		async checkImage(item, field, expected) {
			const binary = item.binary?.[field];
			assert.ok(binary, `no binary "${field}" on the item`);
			if (binaryMode === 'filesystem') assert.match(binary.id ?? '', /^filesystem(-v2)?:/, 'stored in filesystem mode');
			else assert.equal(typeof binary.data, 'string', `kept inline in ${binaryMode} mode`);
			const bytes = session.readBinary(binary);
			assert.ok(MAGIC[expected.format](bytes), `the stored bytes are not a ${expected.format} file`);
			const meta = await sharp(bytes).metadata();
			assert.equal(meta.format, expected.format);
			if (expected.width) assert.equal(meta.width, expected.width, 'image width');
			if (expected.height) assert.equal(meta.height, expected.height, 'image height');
			assert.equal(item.json.width, meta.width, 'json.width is the image width');
			assert.equal(item.json.height, meta.height, 'json.height is the image height');
			assert.equal(binary.mimeType, MIME[expected.format]);
			assert.equal(item.json.mimeType, MIME[expected.format]);
			if (binary.bytes !== undefined) assert.equal(binary.bytes, bytes.length, 'binary.bytes');
			assert.equal(binary.fileName, item.json.fileName);
			const served = Buffer.from(await (await fetch(item.json.outputUrl)).arrayBuffer());
			assert.ok(served.equals(bytes), 'the stored image is byte-identical to what the image host served');
		},
	};
	return context;
}

function assertionText(error) {
	const lines = [error.message.split('\n')[0]];
	if ('expected' in error && error.operator !== 'fail' && error.operator !== '==') {
		const show = (value) => (JSON.stringify(value) ?? String(value)).slice(0, 600);
		lines.push(`expected: ${show(error.expected)}`, `actual:   ${show(error.actual)}`);
	}
	const frame = (error.stack || '').split('\n').find((line) => line.includes('/test/e2e/cases.js') || line.includes('/test/e2e/run.js'));
	if (frame) lines.push(frame.trim());
	return lines.join('\n');
}

function indent(text, spaces) {
	return text
		.split('\n')
		.map((line) => ' '.repeat(spaces) + line)
		.join('\n');
}

// ---- main --------------------------------------------------------------------------------------

async function main() {
	const options = parseArgs(process.argv.slice(2));
	const selected = cases.filter((c) => !options.grep || options.grep.test(c.id) || options.grep.test(c.title));
	if (!selected.length) throw new Error('no case matches --grep');
	const started = Date.now();
	host.ensureBuilt();

	// Install what is missing, the versions in parallel (each install is mostly waiting on npm).
	const hosts = await Promise.all(
		options.versions.map((version) =>
			host.ensureHost(version, { log: (line) => console.log(options.versions.length > 1 ? `[n8n ${version}] ${line}` : line) }),
		),
	);
	const tarball = await host.packPackage();
	console.log(`e2e: ${selected.length} workflows × n8n ${options.versions.join(' and ')}, package ${path.basename(tarball)}`);

	/** @type {{ name: string, ok: boolean }[]} */
	const results = [];
	for (const n8nHost of hosts) {
		const versionStarted = Date.now();
		console.log(`n8n ${n8nHost.version} (Node ${n8nHost.nodeVersion})`);
		results.push(...(await runVersion(n8nHost, tarball, selected, options, (line) => console.log(line))));
		console.log(`  n8n ${n8nHost.version} done in ${((Date.now() - versionStarted) / 1000).toFixed(1)} s`);
	}
	fs.rmSync(path.dirname(tarball), { recursive: true, force: true });

	const failed = results.filter((r) => !r.ok);
	console.log('');
	if (failed.length) {
		console.log('Failed:');
		for (const r of failed) console.log(`  ✗ ${r.name}`);
	}
	console.log(`e2e: ${results.length - failed.length} passed, ${failed.length} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	return failed.length ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error.stack || String(error));
		console.log('e2e: 0 passed, 1 failed (could not run)');
		process.exit(1);
	},
);
