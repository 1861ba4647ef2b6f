#!/usr/bin/env node
'use strict';
/**
 * Queue mode: the node in a real n8n 2.41.1 scaled out — Redis, PostgreSQL, one main and two
 * workers (concurrency 3), each n8n process with its own user folder — against the Segmind
 * emulator. Two example workflows, turned into webhook workflows (workflows.js), are published;
 * 8 executions are fired at once through the webhooks (4 × 3 edits; 2 × 3 with On Error →
 * Continue (error output) and 2 × 3 with Continue (regular output), each with a FAILED job)
 * and what n8n stored is checked. See README.md (this folder).
 *
 *   npm run test:queue
 *   QUEUE_KEEP=1 npm run test:queue      keep logs, database and user folders to inspect them
 *
 * Prints one line per check and ends with `queue: N passed, N failed`; exit code 1 on failure.
 */
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const host = require('../../scripts/n8n-host');
const { startEmulator } = require('../emulator');
const { startCluster, stopAll, findRedis, REDIS_MISSING, N8N_VERSION } = require('./cluster');
const { editWorkflow, continueWorkflow, continueBaseline, exampleImageUrl } = require('./workflows');
const { audit } = require('./audit');
const { createChecks } = require('../harness/checks');

const ROOT = host.ROOT;
const KEEP = process.env.QUEUE_KEEP === '1';
const EDIT_EXECUTIONS = 4;
const EDIT_ITEMS = 3;
const CONTINUE_EXECUTIONS = 2; // per On Error setting: error output, regular output
const WORKERS = 2;
const WORKER_CONCURRENCY = 3;
const JOB_MS = 2500;
const FAILED_TEXT = 'content_policy_violation: the queue suite asked this job to fail';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// ---- the build (as test/e2e does) ----------------------------------------------------------------



// ---- reporting -----------------------------------------------------------------------------------

const { results, check } = createChecks('queue');

/** The items a node put on an output (its first run) in an execution's run data. */
function output(execution, nodeName, index = 0) {
	const tasks = execution.data?.resultData?.runData?.[nodeName];
	assert.ok(tasks && tasks.length, `node "${nodeName}" did not run in execution ${execution.id}`);
	return tasks[0].data?.main?.[index] ?? [];
}

/** Every file under `dir` (not following the installed package link). */
function filesUnder(dir) {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isSymbolicLink() || entry.name === 'package' || entry.name === 'node_modules') return [];
		return entry.isDirectory() ? filesUnder(full) : [full];
	});
}

/**
 * SIGTERM to this process's own direct children, by their pid (Linux /proc; elsewhere nothing),
 * then SIGKILL to those still there after 5 s (an n8n CLI command may not stop on SIGTERM).
 */
async function stopChildren() {
	const children = () => {
		try {
			return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).filter((pid) => {
				try {
					const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
					return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid;
				} catch {
					return false;
				}
			});
		} catch {
			return [];
		}
	};
	const signal = (pids, sig) => pids.forEach((pid) => { try { process.kill(Number(pid), sig); } catch { /* gone */ } });
	const first = children();
	signal(first, 'SIGTERM');
	for (let i = 0; i < 50 && children().length; i++) await new Promise((resolve) => setTimeout(resolve, 100));
	signal(children().filter((pid) => first.includes(pid)), 'SIGKILL');
}

// ---- main --------------------------------------------------------------------------------------

async function main() {
	const t0 = Date.now();
	if (!findRedis()) {
		console.error(REDIS_MISSING);
		console.log('queue: 0 passed, 1 failed (redis-server missing)');
		return 1;
	}
	host.ensureBuilt();
	const n8nHost = await host.ensureHost(N8N_VERSION);
	const tarball = await host.packPackage();
	const apiKey = `queue-key-${crypto.randomBytes(8).toString('hex')}`;
	const tag = crypto.randomBytes(3).toString('hex');
	const emulatorLog = [];
	const emulator = await startEmulator({ apiKey, jobDurationMs: JOB_MS, log: (line) => emulatorLog.push(line) });
	const imageUrl = exampleImageUrl();
	const timings = {};
	let cluster;
	let baselineSession;
	let started = Date.now();
	console.log(`queue: n8n ${N8N_VERSION} in queue mode, 1 main + ${WORKERS} workers (concurrency ${WORKER_CONCURRENCY}), package ${path.basename(tarball)}`);

	try {
		// -- the regular-mode baseline for error items: example 4 as it is (Manual Trigger), with a
		//    FAILED job, run by `n8n execute-batch` (regular mode, own SQLite) while the cluster starts
		const baselineJobs = [
			{ prompt: `Add a rainbow behind the airships. [q:${tag}:base:0]`, imageUrl },
			{ prompt: `Add a dragon. [q:${tag}:base:1] [emu:fail=${FAILED_TEXT}]`, imageUrl },
			{ prompt: `Not an http(s) URL. [q:${tag}:base:2]`, imageUrl: 'airship.jpeg' },
		];
		const baseline = (async () => {
			const started = Date.now();
			baselineSession = await host.createSession(n8nHost, { name: 'queue-baseline' });
			baselineSession.installPackage(tarball);
			await baselineSession.importCredentials([{ id: 'segmindDemoCredential', name: 'Segmind account', type: 'segmindApi', data: { apiKey, baseUrl: emulator.apiUrl } }]);
			await baselineSession.importWorkflows([
				{ ...continueBaseline(baselineJobs), id: 'queueBaseline1' },
				{ ...continueBaseline(baselineJobs.map((j) => ({ ...j, prompt: j.prompt.replace(':base:', ':basereg:') })), { regular: true }), id: 'queueBaseline2' },
			]);
			const batch = await baselineSession.executeBatch(['queueBaseline1', 'queueBaseline2'], { timeoutMs: 120_000 });
			timings.baseline = Date.now() - started;
			return batch;
		})();
		baseline.catch(() => {});

		// -- the cluster
		started = Date.now();
		// Ctrl-C / SIGTERM: stop every process this run started before leaving
		for (const signal of ['SIGINT', 'SIGTERM']) {
			process.once(signal, () => {
				console.log(`\n${signal}: stopping the cluster…`);
				stopAll()
					.then(() => stopChildren()) // e.g. the baseline's n8n CLI call
					.finally(() => {
						if (baselineSession && !KEEP) baselineSession.dispose();
						fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
						process.exit(130);
					});
			});
		}
		cluster = await startCluster({ tarball, workers: WORKERS, concurrency: WORKER_CONCURRENCY, keep: KEEP, log: (line) => console.log(`  ${line}`) });
		await cluster.setupOwner();
		const credentialId = await cluster.createCredential({ name: 'Segmind account', type: 'segmindApi', data: { apiKey, baseUrl: emulator.apiUrl } });
		const editPath = `segmind-edit-${tag}`;
		const continuePath = `segmind-continue-${tag}`;
		const regularPath = `segmind-regular-${tag}`;
		const editId = await cluster.publishWorkflow(editWorkflow({ webhookPath: editPath, credentialId }), editPath);
		const continueId = await cluster.publishWorkflow(continueWorkflow({ webhookPath: continuePath, credentialId }), continuePath);
		const regularId = await cluster.publishWorkflow(continueWorkflow({ webhookPath: regularPath, credentialId, regular: true }), regularPath);
		await cluster.workersReady;
		timings.startup = Date.now() - started;
		console.log(
			`  cluster up in ${(timings.startup / 1000).toFixed(1)} s (${cluster.database}; Redis ${(cluster.timings.infra / 1000).toFixed(1)} s incl. database, ` +
				`main ready ${(cluster.timings.main / 1000).toFixed(1)} s, workers ${(cluster.timings.workers / 1000).toFixed(1)} s)`,
		);

		// -- fire every execution at once
		const editBodies = Array.from({ length: EDIT_EXECUTIONS }, (_, e) => ({
			jobs: Array.from({ length: EDIT_ITEMS }, (_, i) => ({ style: `s${i}`, prompt: `Repaint as watercolor [q:${tag}:edit:${e}:${i}]`, imageUrl })),
		}));
		const continueJobs = (kind, e) => ({
			jobs: [
				{ prompt: `Add a rainbow behind the airships. [q:${tag}:${kind}:${e}:0]`, imageUrl },
				{ prompt: `Add a dragon. [q:${tag}:${kind}:${e}:1] [emu:fail=${FAILED_TEXT}]`, imageUrl },
				{ prompt: `Not an http(s) URL. [q:${tag}:${kind}:${e}:2]`, imageUrl: 'airship.jpeg' },
			],
		});
		const continueBodies = Array.from({ length: CONTINUE_EXECUTIONS }, (_, e) => continueJobs('cont', e));
		const regularBodies = Array.from({ length: CONTINUE_EXECUTIONS }, (_, e) => continueJobs('reg', e));
		started = Date.now();
		const [editResponses, continueResponses, regularResponses] = await Promise.all([
			Promise.all(editBodies.map((body) => cluster.webhook(editPath, body))),
			Promise.all(continueBodies.map((body) => cluster.webhook(continuePath, body))),
			Promise.all(regularBodies.map((body) => cluster.webhook(regularPath, body))),
		]);
		timings.run = Date.now() - started;
		console.log(`  ${EDIT_EXECUTIONS + 2 * CONTINUE_EXECUTIONS} executions (${EDIT_EXECUTIONS * EDIT_ITEMS + 2 * CONTINUE_EXECUTIONS * 3} items) answered in ${(timings.run / 1000).toFixed(1)} s`);

		const editExecutions = await cluster.executions(editId);
		const continueExecutions = await cluster.executions(continueId);
		const regularExecutions = await cluster.executions(regularId);
		const allExecutions = [...editExecutions, ...continueExecutions, ...regularExecutions];
		/** execution whose Split Out output holds the prompts of request `e` */
		const byRequest = (executions, kind, e) =>
			executions.filter((x) => output(x, kind === 'edit' ? 'One item per prompt' : 'One item per job').some((item) => String(item.json.prompt).includes(`[q:${tag}:${kind}:${e}:`)));
		const job = (prompt) => {
			const jobs = [...emulator.jobs.values()].filter((j) => j.body?.prompt === prompt);
			return jobs;
		};

		await check('every webhook call answered 200 with the last node\'s items', () => {
			for (const [index, r] of [...editResponses, ...continueResponses, ...regularResponses].entries()) assert.equal(r.status, 200, `call ${index}: ${r.status} ${r.text.slice(0, 300)}`);
			for (const r of editResponses) {
				assert.ok(Array.isArray(r.json) && r.json.length === EDIT_ITEMS, `the edit webhook answered ${r.text.slice(0, 200)}`);
				assert.ok(r.json.every((item) => item.status === 'COMPLETED' && typeof item.requestId === 'string'));
			}
		});

		await check(`every execution ran in queue mode and succeeded (${EDIT_EXECUTIONS} + ${CONTINUE_EXECUTIONS} + ${CONTINUE_EXECUTIONS}, none extra)`, () => {
			assert.equal(editExecutions.length, EDIT_EXECUTIONS, 'edit executions stored');
			assert.equal(continueExecutions.length, CONTINUE_EXECUTIONS, 'continue (error output) executions stored');
			assert.equal(regularExecutions.length, CONTINUE_EXECUTIONS, 'continue (regular output) executions stored');
			for (const x of allExecutions) {
				assert.equal(x.status, 'success', `execution ${x.id}: ${x.status} ${x.data?.resultData?.error?.message ?? ''}`);
				assert.equal(x.mode, 'webhook');
				assert.equal(x.finished, true);
			}
		});

		await check(`work was spread over both workers (${WORKERS} workers × concurrency ${WORKER_CONCURRENCY}, ${allExecutions.length} parallel executions), none ran on the main`, () => {
			const perWorker = cluster.startedPerWorker();
			console.log(`      Worker started execution: ${Object.entries(perWorker).map(([w, n]) => `${w} ${n}`).join(', ')}`);
			for (const [worker, count] of Object.entries(perWorker)) assert.ok(count >= 1, `${worker} started no execution`);
			assert.equal(Object.values(perWorker).reduce((a, b) => a + b, 0), allExecutions.length, 'each execution started exactly once on a worker');
			const startedIds = cluster.workers.flatMap((w) => [...cluster.readLog(w).matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]));
			assert.deepEqual([...new Set(startedIds)].sort(), allExecutions.map((x) => String(x.id)).sort(), 'the workers started exactly the stored executions');
			assert.doesNotMatch(cluster.readLog('main'), /Worker started execution/);
		});

		/** @type {Buffer[]} */
		const outputImages = [];
		await check('each edit execution: its own items, in order, paired, one Segmind job each', () => {
			for (let e = 0; e < EDIT_EXECUTIONS; e++) {
				const matches = byRequest(editExecutions, 'edit', e);
				assert.equal(matches.length, 1, `request ${e} has ${matches.length} executions`);
				const [x] = matches;
				const inputs = output(x, 'One item per prompt');
				const items = output(x, 'Segmind');
				assert.equal(items.length, EDIT_ITEMS);
				assert.deepEqual(inputs.map((i) => i.json.prompt), editBodies[e].jobs.map((j) => j.prompt), 'the items came from this request\'s body');
				items.forEach((item, i) => {
					assert.deepEqual(item.pairedItem, { item: i });
					const jobs = job(inputs[i].json.prompt);
					assert.equal(jobs.length, 1, `prompt ${i} of request ${e} was submitted ${jobs.length} times`);
					assert.equal(item.json.requestId, jobs[0].id, 'the item carries its own job\'s request id');
					assert.deepEqual(item.json.parameters, jobs[0].body);
				});
				assert.deepEqual(editResponses[e].json.map((i) => i.requestId), items.map((i) => i.json.requestId), 'the webhook answered this execution\'s items');
			}
		});

		await check(`every image arrived intact in queue mode's default binary storage (database), read through the main`, async () => {
			let count = 0;
			for (const x of editExecutions) {
				for (const item of output(x, 'Segmind')) {
					const binary = item.binary?.data;
					assert.ok(binary, 'no binary "data"');
					assert.match(binary.id ?? '', /^database:/, `binary id ${binary.id} is not in database mode`);
					assert.ok(binary.data === undefined || binary.data === 'database', 'no inline base64 in the execution data');
					const stored = await cluster.binary(binary.id);
					const served = emulator.requests.filter((r) => r.origin === 'images' && item.json.outputUrl.endsWith(r.path) && r.status === 200);
					assert.ok(served.length >= 1, `the emulator never served ${item.json.outputUrl}`);
					const original = Buffer.from(await (await fetch(item.json.outputUrl)).arrayBuffer());
					assert.ok(stored.subarray(0, 8).equals(PNG), 'a PNG');
					assert.ok(stored.equals(original), `binary ${binary.id}: ${stored.length} bytes, the emulator served ${original.length}`);
					assert.equal(binary.mimeType, 'image/png');
					outputImages.push(original);
					count++;
				}
			}
			assert.equal(count, EDIT_EXECUTIONS * EDIT_ITEMS);
		});

		const baselineBatch = await baseline;
		await check('error items with Continue On Fail (error output) are the same as in regular mode', () => {
			const baseRun = baselineSession.readExecutions().find((x) => x.workflowId === 'queueBaseline1');
			assert.ok(baseRun, `the regular-mode baseline did not run (exit ${baselineBatch.code}): ${baselineBatch.stderr.slice(-500)}`);
			assert.equal(baseRun.mode === 'webhook', false, 'the baseline ran in regular mode (CLI)');
			const baseOk = output(baseRun, 'Segmind', 0);
			const baseErr = output(baseRun, 'Segmind', 1);
			assert.equal(baseOk.length, 1);
			assert.equal(baseErr.length, 2);
			const normalise = (item) => ({
				keys: Object.keys(item.json).sort(),
				pairedItem: item.pairedItem,
				error: String(item.json.error).replace(/[0-9a-f-]{16,}/g, '<id>'),
				binary: item.binary,
			});
			for (let e = 0; e < CONTINUE_EXECUTIONS; e++) {
				const [x] = byRequest(continueExecutions, 'cont', e);
				assert.ok(x, `no execution for continue request ${e}`);
				const ok = output(x, 'Segmind', 0);
				const errors = output(x, 'Segmind', 1);
				assert.equal(ok.length, 1, 'one item on the success output');
				assert.equal(errors.length, 2, 'two items on the error output');
				assert.deepEqual(errors.map(normalise), baseErr.map(normalise), 'error items as in regular mode');
				const [failedJob] = job(continueBodies[e].jobs[1].prompt);
				assert.ok(failedJob && failedJob.state === 'FAILED', 'the FAILED job was submitted and failed');
				assert.match(errors[0].json.error, new RegExp(`^Segmind job ${failedJob.id} failed: ${FAILED_TEXT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
				if ('requestId' in baseErr[0].json) assert.equal(errors[0].json.requestId, failedJob.id);
				assert.deepEqual(errors[0].pairedItem, { item: 1 });
				assert.deepEqual(errors[1].pairedItem, { item: 2 });
				assert.equal(job(continueBodies[e].jobs[2].prompt).length, 0, 'the bad item was never submitted');
				assert.equal(output(x, 'Failed').length, 2, 'the Failed branch got both error items');
				assert.equal(output(x, 'Edited').length, 1);
			}
			console.log(`      error output: error item json keys ${JSON.stringify(normalise(baseErr[0]).keys)}, pairedItem kept`);
		});

		await check('error items with Continue (regular output) are the same as in regular mode: error, requestId, pairedItem', () => {
			const baseRun = baselineSession.readExecutions().find((x) => x.workflowId === 'queueBaseline2');
			assert.ok(baseRun, 'the regular-mode baseline (regular output) did not run');
			const baseItems = output(baseRun, 'Segmind', 0);
			assert.equal(baseItems.length, 3);
			const baseFailed = [...emulator.jobs.values()].find((j) => j.body?.prompt === baselineJobs[1].prompt.replace(':base:', ':basereg:'));
			const normalise = (item, failedId) => ({
				keys: Object.keys(item.json).sort(),
				pairedItem: item.pairedItem,
				error: item.json.error ? String(item.json.error).split(failedId).join('<id>') : undefined,
				requestId: item.json.requestId === failedId ? '<id>' : item.json.requestId === undefined ? undefined : 'other',
				hasBinary: Boolean(item.binary),
			});
			const expected = baseItems.slice(1).map((item) => normalise(item, baseFailed.id));
			assert.ok(expected[0].keys.includes('requestId') && expected[0].requestId === '<id>', 'regular mode: the FAILED item carries its requestId');
			for (let e = 0; e < CONTINUE_EXECUTIONS; e++) {
				const [x] = byRequest(regularExecutions, 'reg', e);
				assert.ok(x, `no execution for regular-output request ${e}`);
				const items = output(x, 'Segmind', 0);
				assert.equal(items.length, 3, 'one item per input item, failed or not');
				assert.equal(items[0].json.status, 'COMPLETED');
				assert.match(items[0].binary?.data?.id ?? '', /^database:/);
				const [failedJob] = job(regularBodies[e].jobs[1].prompt);
				assert.ok(failedJob && failedJob.state === 'FAILED');
				assert.deepEqual(items.slice(1).map((item) => normalise(item, failedJob.id)), expected, 'error items as in regular mode');
				assert.equal(job(regularBodies[e].jobs[2].prompt).length, 0, 'the bad item was never submitted');
			}
			console.log(`      regular output: error item json keys ${JSON.stringify(expected[0].keys)}, pairedItem kept`);
		});

		await check('nothing was submitted twice: one Segmind job per item that should reach Segmind', () => {
			const expected = EDIT_EXECUTIONS * EDIT_ITEMS + 2 * CONTINUE_EXECUTIONS * 2 + 2 * 2; // + the baseline's
			assert.equal(emulator.submitCount(), expected, `emulator.submitCount() = ${emulator.submitCount()}`);
			const prompts = [...emulator.jobs.values()].map((j) => j.body?.prompt);
			assert.equal(new Set(prompts).size, prompts.length, 'a prompt was submitted twice');
		});

		await check('the API key is in no log of any process, in no image download, in no stored execution', () => {
			const logs = [...cluster.logFiles()];
			for (const file of logs) assert.ok(!fs.readFileSync(file, 'utf8').includes(apiKey), `the API key is in ${path.basename(file)}`);
			assert.ok(!`${baselineBatch.stdout}\n${baselineBatch.stderr}`.includes(apiKey), 'the API key is in the regular-mode run\'s output');
			assert.ok(!emulatorLog.join('\n').includes(apiKey), 'in the emulator log');
			assert.deepEqual(emulator.imageKeyLeaks(), [], 'an image download carried the key');
			assert.ok(!JSON.stringify(allExecutions).includes(apiKey), 'in stored execution data');
			console.log(`      ${logs.length} process logs scanned: ${logs.map((f) => path.basename(f, '.log')).join(', ')}`);
		});

		await check('no n8n process wrote an image (or anything of an execution) to its local disk', () => {
			const sizes = new Set(outputImages.map((b) => b.length));
			for (const [name, folder] of Object.entries(cluster.userFolders)) {
				const files = filesUnder(path.join(folder, '.n8n'));
				const storage = files.filter((f) => /[/\\](storage|binaryData)[/\\]/.test(f));
				assert.deepEqual(storage.map((f) => path.relative(folder, f)), [], `${name} has files in binary storage`);
				for (const file of files) {
					const size = fs.statSync(file).size;
					if (!sizes.has(size)) continue;
					const bytes = fs.readFileSync(file);
					assert.ok(!outputImages.some((img) => img.equals(bytes)), `${name} wrote an output image to ${path.relative(folder, file)}`);
				}
			}
		});

		await check('design audit: no module-level mutable state, no disk or process access in nodes/ and credentials/', () => {
			const { files, findings } = audit();
			assert.ok(files.length > 10, 'the audit found the sources');
			assert.deepEqual(findings.map((f) => `${f.file}:${f.line} [${f.rule}] ${f.text}`), []);
		});
	} catch (error) {
		results.push({ name: 'setup and run', ok: false });
		console.log(`  ✗ setup and run\n${String(error.stack || error).replace(/^/gm, '      ')}`);
		if (cluster) {
			for (const name of ['main', ...cluster.workers]) {
				try {
					console.log(`    ${name} log (last lines):\n${cluster.readLog(name).trim().split('\n').slice(-12).join('\n').replace(/^/gm, '      ')}`);
				} catch {
					/* not started */
				}
			}
		}
	} finally {
		started = Date.now();
		if (cluster) await cluster.stop();
		timings.stop = Date.now() - started;
		await emulator.close();
		if (baselineSession && !KEEP) baselineSession.dispose();
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	}
	const failed = results.filter((r) => !r.ok);
	console.log(`  (stop ${(timings.stop / 1000).toFixed(1)} s; regular-mode baseline ${((timings.baseline ?? 0) / 1000).toFixed(1)} s in parallel)`);
	console.log(`queue: ${results.length - failed.length} passed, ${failed.length} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
	return failed.length ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error.stack || String(error));
		console.log('queue: 0 passed, 1 failed (could not run)');
		process.exit(1);
	},
);
