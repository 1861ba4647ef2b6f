#!/usr/bin/env node
'use strict';
/**
 * Re-runs never pay twice, in real n8n: for each n8n version (2.41.1, 1.123.81) in regular and in
 * queue mode (one main + one worker, test/queue/cluster.js), webhook workflows Webhook → Split Out →
 * Segmind run against the emulator, which counts the submits. Faults are seeded (the image host
 * answers 404 for the first N downloads, which the node does not retry), never timed.
 *
 *   (a) Retry On Fail (3 tries), first attempt fails after the submits → one submit per item
 *   (b) the failed execution retried through POST /rest/executions/:id/retry → no submit, images delivered
 *   (c) with Reuse Jobs on Re-Run off, (a) and (b) submit again
 *   (d) a changed prompt, retried with the currently saved workflow (loadWorkflow) → submitted anew
 *
 *   npm run test:reuse                       every version and mode
 *   REUSE_VERSIONS=2.41.1 REUSE_MODES=regular npm run test:reuse
 *
 * Prints one line per check and ends with `reuse: N passed, N failed`; exit code 1 on failure.
 */
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const host = require('../../scripts/n8n-host');
const { startEmulator } = require('../emulator');
const { startCluster, findRedis, REDIS_MISSING } = require('../queue/cluster');
const { createChecks, runSuite } = require('../harness/checks');

const VERSIONS = (process.env.REUSE_VERSIONS || '2.41.1,1.123.81').split(',').filter(Boolean);
const MODES = (process.env.REUSE_MODES || 'regular,queue').split(',').filter(Boolean);
const ITEMS = 2;
const IMAGE_URL = 'https://segmind-resources.s3.amazonaws.com/input/airship.jpeg';

const { results, check, summary } = createChecks('reuse');

/** Webhook (POST, answers with the last node's items when done) → Split Out body.prompts → Segmind. */
function reuseWorkflow({ name, webhookPath, credentialId, retryOnFail = false, reuseJobs = true, promptSuffix = '' }) {
	const segmind = {
		parameters: {
			resource: 'image',
			operation: 'edit',
			model: 'gpt-image-1-edit-mini',
			prompt: `={{ $json.prompt }}${promptSuffix}`,
			imageUrls: [IMAGE_URL],
			size: '1024x1024',
			quality: 'low',
			options: { pollInterval: 0.2, ...(reuseJobs ? {} : { reuseJobs: false }) },
		},
		id: crypto.randomUUID(),
		name: 'Segmind',
		type: 'n8n-nodes-segmind.segmind',
		typeVersion: 1,
		position: [440, 0],
		credentials: { segmindApi: { id: credentialId, name: 'Segmind account' } },
		...(retryOnFail ? { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 } : {}),
	};
	return {
		name,
		nodes: [
			{
				parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
				id: crypto.randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: crypto.randomUUID(),
			},
			{
				parameters: { fieldToSplitOut: 'body.prompts', options: {} },
				id: crypto.randomUUID(),
				name: 'One item per prompt',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
			},
			segmind,
		],
		connections: {
			Webhook: { main: [[{ node: 'One item per prompt', type: 'main', index: 0 }]] },
			'One item per prompt': { main: [[{ node: 'Segmind', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1', saveDataErrorExecution: 'all', saveDataSuccessExecution: 'all' },
	};
}

function segmindItems(execution) {
	const tasks = execution.data?.resultData?.runData?.Segmind ?? [];
	return tasks[tasks.length - 1]?.data?.main?.[0] ?? [];
}

async function runCluster(version, mode, tarball, emulator, apiKey) {
	const tag = crypto.randomBytes(3).toString('hex');
	const label = `n8n ${version} ${mode}`;
	console.log(`reuse: ${label}`);
	const started = Date.now();
	const cluster = await startCluster({
		tarball,
		version,
		executionsMode: mode,
		workers: mode === 'queue' ? 1 : 0,
		concurrency: 2,
		db: mode === 'queue' ? 'postgres' : 'sqlite',
		log: () => {},
	});
	try {
		// n8n 1.x answers its readiness check before its REST routes are mounted: wait for them too
		for (const until = Date.now() + 120_000; ; await new Promise((resolve) => setTimeout(resolve, 250))) {
			const settings = await fetch(`${cluster.baseUrl}/rest/settings`).catch(() => null);
			if (settings?.ok && /^application\/json/.test(settings.headers.get('content-type') ?? '')) break;
			if (Date.now() > until) throw new Error('the REST API of the main did not come up within 120 s');
		}
		await cluster.setupOwner();
		await cluster.workersReady;
		// through the editor's REST API: n8n 1.123's public API asks for fields (allowedDomains) the credential has not
		const credential = { name: 'Segmind account', type: 'segmindApi', data: { apiKey, baseUrl: emulator.apiUrl } };
		const credentialId = (await cluster.rest('POST', '/credentials', credential)).json.data.id;
		const workflows = {};
		for (const [key, options] of Object.entries({
			retry: { retryOnFail: true },
			retryOff: { retryOnFail: true, reuseJobs: false },
			rest: {},
			restOff: { reuseJobs: false },
			changed: {},
		})) {
			const webhookPath = `reuse-${key}-${tag}`;
			const workflow = reuseWorkflow({ name: `reuse ${key}`, webhookPath, credentialId, ...options });
			workflows[key] = { id: await cluster.publishWorkflow(workflow, webhookPath), webhookPath, workflow };
		}
		console.log(`  (${label} up in ${((Date.now() - started) / 1000).toFixed(1)} s)`);

		const prompts = (key) => Array.from({ length: ITEMS }, (_, i) => ({ prompt: `Repaint ${key} ${i} [r:${tag}]` }));
		const submitsOf = (text) => [...emulator.jobs.values()].filter((job) => String(job.body?.prompt).includes(text)).length;
		/** Submits per prompt of a workflow's request. */
		const perPrompt = (key) => prompts(key).map(({ prompt }) => submitsOf(prompt));
		/**
		 * Fires the webhook with the image host refusing (404, not retried) the first download: the
		 * node fails after its submits. Whichever item downloads first fails; the other item either
		 * completed or was not started (no new job after a failure), so the checks hold either way.
		 */
		async function fire(key) {
			emulator.injectFault({ route: 'image', status: 404, times: 1 });
			await cluster.webhook(workflows[key].webhookPath, { prompts: prompts(key) });
			const executions = await cluster.executions(workflows[key].id);
			assert.equal(executions.length, 1, `${key}: ${executions.length} executions stored`);
			return executions[0];
		}
		async function retry(key, executionId, loadWorkflow = false) {
			await cluster.rest('POST', `/executions/${executionId}/retry`, { loadWorkflow });
			const executions = await cluster.executions(workflows[key].id);
			const retried = executions.filter((x) => String(x.id) !== String(executionId));
			assert.equal(retried.length, 1, `${key}: ${retried.length} retried executions`);
			return retried[0];
		}
		const expectImages = (items) => {
			assert.equal(items.length, ITEMS, `${items.length} output items`);
			items.forEach((item, i) => {
				assert.deepEqual(item.pairedItem, { item: i });
				assert.ok(item.binary?.data?.id || item.binary?.data?.data, `item ${i} has no image`);
				assert.equal(item.json.status, 'COMPLETED');
			});
		};

		await check(`${label}: (a) Retry On Fail, downloads fail in the first try → one submit per item, images delivered`, async () => {
			const execution = await fire('retry');
			assert.equal(execution.status, 'success', execution.data?.resultData?.error?.message);
			assert.deepEqual(perPrompt('retry'), [1, 1], 'submits per item');
			const items = segmindItems(execution);
			expectImages(items);
			assert.ok(items.some((item) => item.json.reusedJob === true), 'no item was reused');
		});

		await check(`${label}: (c) Retry On Fail with the option off → every item submitted again`, async () => {
			const execution = await fire('retryOff');
			assert.equal(execution.status, 'success', execution.data?.resultData?.error?.message);
			assert.ok(perPrompt('retryOff').some((count) => count === 2), `submits per item ${perPrompt('retryOff')}: none submitted again`);
			for (const item of segmindItems(execution)) assert.equal(item.json.reusedJob, undefined);
		});

		await check(`${label}: (b) a failed execution retried through the REST API submits nothing and delivers the images`, async () => {
			const failed = await fire('rest');
			assert.equal(failed.status, 'error');
			const before = emulator.submitCount();
			const submitted = perPrompt('rest');
			const retried = await retry('rest', failed.id);
			assert.equal(retried.status, 'success', retried.data?.resultData?.error?.message);
			assert.equal(retried.mode, 'retry');
			assert.deepEqual(perPrompt('rest'), [1, 1], 'submits per item after the retry');
			const items = segmindItems(retried);
			expectImages(items);
			// every item whose job existed was reused, not submitted
			assert.equal(emulator.submitCount() - before, submitted.filter((count) => count === 0).length, 'the retry submitted items whose jobs existed');
			items.forEach((item, i) => assert.equal(item.json.reusedJob, submitted[i] === 1 ? true : undefined, `item ${i}`));
			if (mode === 'queue') {
				assert.match(cluster.readLog('worker1'), new RegExp(`Worker started execution ${retried.id}\\b`), 'the retry did not run on the worker');
			}
			assert.ok(!JSON.stringify([failed, retried]).includes(apiKey), 'the API key is in the stored executions');
		});

		await check(`${label}: (c) the REST retry with the option off submits every item again`, async () => {
			const failed = await fire('restOff');
			assert.equal(failed.status, 'error');
			const retried = await retry('restOff', failed.id);
			assert.equal(retried.status, 'success', retried.data?.resultData?.error?.message);
			assert.ok(perPrompt('restOff').some((count) => count === 2), `submits per item ${perPrompt('restOff')}: none submitted again`);
		});

		await check(`${label}: (d) a changed prompt, retried with the currently saved workflow → submitted anew`, async () => {
			const failed = await fire('changed');
			assert.equal(failed.status, 'error');
			const { workflow, id } = workflows.changed;
			const changed = reuseWorkflow({ name: workflow.name, webhookPath: workflows.changed.webhookPath, credentialId, promptSuffix: ' (v2)' });
			// keep the node ids and the webhook id: it is the same workflow, saved with a new prompt
			changed.nodes = changed.nodes.map((node, index) => ({ ...node, id: workflow.nodes[index].id, ...(node.webhookId ? { webhookId: workflow.nodes[index].webhookId } : {}) }));
			await cluster.api('PUT', `/workflows/${id}`, { name: changed.name, nodes: changed.nodes, connections: changed.connections, settings: changed.settings });
			const retried = await retry('changed', failed.id, true);
			assert.equal(retried.status, 'success', retried.data?.resultData?.error?.message);
			assert.equal(submitsOf(`[r:${tag}] (v2)`), ITEMS, 'the changed prompts were not submitted');
			for (const item of segmindItems(retried)) assert.equal(item.json.reusedJob, undefined);
		});
	} catch (error) {
		results.push({ name: `${label}: setup`, ok: false });
		console.log(`  ✗ ${label}: setup\n${String(error.stack || error).replace(/^/gm, '      ')}`);
		try {
			console.log(cluster.readLog('main').trim().split('\n').slice(-15).join('\n').replace(/^/gm, '      '));
		} catch {
			/* no log */
		}
	} finally {
		await cluster.stop();
	}
}

async function main() {
	const t0 = Date.now();
	if (!findRedis()) {
		console.error(REDIS_MISSING);
		console.log('reuse: 0 passed, 1 failed (redis-server missing)');
		return 1;
	}
	host.ensureBuilt();
	const tarball = await host.packPackage();
	const apiKey = `reuse-key-${crypto.randomBytes(8).toString('hex')}`;
	const emulator = await startEmulator({ apiKey, jobDurationMs: 300 });
	try {
		for (const version of VERSIONS) {
			for (const mode of MODES) await runCluster(version, mode, tarball, emulator, apiKey);
		}
		await check('the API key never reached the image host', () => assert.deepEqual(emulator.imageKeyLeaks(), []));
	} finally {
		await emulator.close();
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	}
	return summary(t0);
}

runSuite('reuse', main);
