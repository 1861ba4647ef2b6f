#!/usr/bin/env node
'use strict';
/**
 * Load figure for queue mode: N executions × M items through a real n8n 2.41.1 in queue mode
 * (Redis, PostgreSQL, 1 main, 2 workers) against the Segmind emulator, all N webhook calls fired
 * at once. Reports throughput and the lost / duplicated counts (goal: 0 and 0) and writes them to
 * bench/queue-result.json (quoted in README.md, "Running at scale").
 *
 *   npm run bench:queue
 *   npm run bench:queue -- --executions=40 --items=5 --workers=2 --concurrency=5 --job-ms=2000
 *
 * lost       = items sent that did not come back as a completed item with its image in n8n's
 *              binary storage (read back through the main), plus executions that are missing or failed
 * duplicated = Segmind jobs beyond one per item (the emulator counts submits), plus executions
 *              beyond one per webhook call
 * The workflow is example 3 (batch-edit-prompts.json) with a Webhook trigger (test/queue/workflows.js).
 * Throughput depends on the emulator's job time and the node's polling, not only on n8n: compare
 * runs on the same machine, and read it as "what queue mode adds", not as Segmind's speed.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const host = require('../scripts/n8n-host');
const { startEmulator } = require('../test/emulator');
const { startCluster, findRedis, REDIS_MISSING, N8N_VERSION } = require('../test/queue/cluster');
const { editWorkflow, exampleImageUrl } = require('../test/queue/workflows');

function args() {
	const options = { executions: 40, items: 5, workers: 2, concurrency: 5, jobMs: 2000, write: true };
	for (const arg of process.argv.slice(2)) {
		const [key, value] = arg.replace(/^--/, '').split('=');
		if (key === 'executions') options.executions = Number(value);
		else if (key === 'items') options.items = Number(value);
		else if (key === 'workers') options.workers = Number(value);
		else if (key === 'concurrency') options.concurrency = Number(value);
		else if (key === 'job-ms') options.jobMs = Number(value);
		else if (key === 'no-write') options.write = false;
		else throw new Error(`unknown argument ${arg}`);
	}
	return options;
}

async function main() {
	const o = args();
	if (!findRedis()) throw new Error(REDIS_MISSING);
	if (!fs.existsSync(path.join(host.ROOT, 'dist', 'nodes', 'Segmind', 'Segmind.node.js'))) throw new Error('run `npm run build` first');
	const tarball = await host.packPackage();
	const apiKey = `bench-key-${crypto.randomBytes(8).toString('hex')}`;
	const tag = crypto.randomBytes(3).toString('hex');
	const emulator = await startEmulator({ apiKey, jobDurationMs: o.jobMs });
	const imageUrl = exampleImageUrl();
	let cluster;
	try {
		console.log(`bench:queue — n8n ${N8N_VERSION}, 1 main + ${o.workers} workers (concurrency ${o.concurrency}), ${o.executions} executions × ${o.items} items, emulator job ${o.jobMs} ms`);
		cluster = await startCluster({ tarball, workers: o.workers, concurrency: o.concurrency, log: (line) => console.log(`  ${line}`) });
		await cluster.setupOwner();
		const credentialId = await cluster.createCredential({ name: 'Segmind account', type: 'segmindApi', data: { apiKey, baseUrl: emulator.apiUrl } });
		const webhookPath = `segmind-bench-${tag}`;
		const workflowId = await cluster.publishWorkflow(editWorkflow({ webhookPath, credentialId }), webhookPath);
		await cluster.workersReady;
		console.log(`  cluster up (${cluster.database})`);

		const bodies = Array.from({ length: o.executions }, (_, e) => ({
			jobs: Array.from({ length: o.items }, (_, i) => ({ style: 'bench', prompt: `bench [b:${tag}:${e}:${i}]`, imageUrl })),
		}));
		const started = Date.now();
		const responses = await Promise.all(bodies.map((body) => cluster.webhook(webhookPath, body)));
		const seconds = (Date.now() - started) / 1000;

		// what n8n stored
		const executions = await cluster.executions(workflowId);
		const items = o.executions * o.items;
		const delivered = new Map(); // prompt → number of completed items with an image carrying it
		for (const x of executions) {
			if (x.status !== 'success') continue;
			const inputs = x.data.resultData.runData['One item per prompt']?.[0]?.data?.main?.[0] ?? [];
			const outputs = x.data.resultData.runData.Segmind?.[0]?.data?.main?.[0] ?? [];
			for (const [index, item] of outputs.entries()) {
				const prompt = inputs[item.pairedItem?.item ?? index]?.json?.prompt;
				if (item.json.status !== 'COMPLETED' || !item.binary?.data?.id) continue;
				const bytes = await cluster.binary(item.binary.data.id);
				const served = Buffer.from(await (await fetch(item.json.outputUrl)).arrayBuffer());
				if (!bytes.equals(served)) continue;
				delivered.set(prompt, (delivered.get(prompt) ?? 0) + 1);
			}
		}
		const sent = bodies.flatMap((b) => b.jobs.map((j) => j.prompt));
		const lostItems = sent.filter((p) => !delivered.has(p)).length;
		const duplicatedItems = [...delivered.values()].reduce((sum, n) => sum + n - 1, 0);
		const submits = emulator.submitCount();
		const duplicatedSubmits = Math.max(0, submits - new Set([...emulator.jobs.values()].map((j) => j.body?.prompt)).size);
		const extraExecutions = Math.max(0, executions.length - o.executions);
		const failedExecutions = executions.filter((x) => x.status !== 'success').length + Math.max(0, o.executions - executions.length);
		const perWorker = cluster.startedPerWorker();
		const durations = responses.map((r) => r.ms).sort((a, b) => a - b);
		const result = {
			date: new Date().toISOString(),
			n8n: N8N_VERSION,
			database: cluster.database,
			binaryDataMode: 'database (queue mode default)',
			machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${cluster.host.nodeVersion} for n8n`,
			workers: o.workers,
			workerConcurrency: o.concurrency,
			nodeConcurrency: 5,
			emulatorJobMs: o.jobMs,
			executions: o.executions,
			itemsPerExecution: o.items,
			items,
			seconds: Number(seconds.toFixed(1)),
			itemsPerSecond: Number((items / seconds).toFixed(2)),
			executionsPerMinute: Number(((o.executions / seconds) * 60).toFixed(1)),
			webhookMs: { median: durations[Math.floor(durations.length / 2)], max: durations[durations.length - 1] },
			executionsPerWorker: perWorker,
			http200: responses.filter((r) => r.status === 200).length,
			submits,
			lost: lostItems,
			lostItems,
			failedExecutions,
			duplicated: duplicatedSubmits + duplicatedItems + extraExecutions,
			duplicatedSubmits,
			duplicatedItems,
			extraExecutions,
			apiKeyInLogs: cluster.logFiles().filter((f) => fs.readFileSync(f, 'utf8').includes(apiKey)).map((f) => path.basename(f)),
		};
		console.log(
			`  ${o.executions} executions × ${o.items} items = ${items} items in ${result.seconds} s through ${o.workers} workers: ` +
				`${result.itemsPerSecond} items/s, ${result.executionsPerMinute} executions/min; ` +
				`webhook answer median ${(result.webhookMs.median / 1000).toFixed(1)} s, max ${(result.webhookMs.max / 1000).toFixed(1)} s`,
		);
		console.log(`  per worker: ${Object.entries(perWorker).map(([w, n]) => `${w} ${n}`).join(', ')}; Segmind submits ${submits} for ${items} items`);
		console.log(`  lost ${result.lost}, duplicated ${result.duplicated} (goal: 0 and 0); API key in logs: ${result.apiKeyInLogs.length ? result.apiKeyInLogs.join(', ') : 'none'}`);
		if (o.write) {
			const file = path.join(__dirname, 'queue-result.json');
			fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
			console.log(`  written to ${path.relative(process.cwd(), file)}`);
		}
		return result.lost === 0 && result.duplicated === 0 && result.http200 === o.executions && !result.apiKeyInLogs.length ? 0 : 1;
	} finally {
		if (cluster) await cluster.stop();
		await emulator.close();
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error.stack || String(error));
		process.exit(1);
	},
);
