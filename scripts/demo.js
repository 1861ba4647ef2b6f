#!/usr/bin/env node
'use strict';
/**
 * The main job, `npm run demo` (which builds first): runs example workflow 1
 * (examples/edit-image-from-url.json) in a real, headless n8n with this package installed, and
 * writes the edited image(s) to ./out/.
 *
 * - Without SEGMIND_API_KEY it runs against the bundled Segmind emulator (offline, free).
 *   With SEGMIND_API_KEY=<key> it calls the real Segmind API (billed; SEGMIND_BASE_URL to change
 *   the address).
 * - n8n: 2.8.4 on this machine's Node by default, installed on the first run into .n8n-host/
 *   (minutes, once). DEMO_N8N_VERSION=2.41.1 runs the newest n8n (on Node 24 from npm) instead.
 *
 * Each run uses a fresh n8n user folder (database, binary storage), removed afterwards, so an API
 * key never stays on disk.
 */
const fs = require('node:fs');
const path = require('node:path');

const host = require('./n8n-host');
const { startEmulator } = require('../test/emulator');

const ROOT = host.ROOT;
const EXAMPLE = path.join(ROOT, 'examples', 'edit-image-from-url.json');
const OUT_DIR = path.join(ROOT, 'out');
const WORKFLOW_ID = 'segmindDemo1';
const SEGMIND_TYPE = 'n8n-nodes-segmind.segmind';

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
	const started = Date.now();
	const version = process.env.DEMO_N8N_VERSION || '2.8.4';
	if (!host.HOSTS[version]) throw new Error(`DEMO_N8N_VERSION=${version}: known versions are ${host.VERSIONS.join(', ')}`);

	const workflow = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
	const segmindNode = workflow.nodes.find((node) => node.type === SEGMIND_TYPE);
	const credentialRef = segmindNode.credentials.segmindApi;

	// 1. n8n (installed on the first run only)
	if (!host.installedHost(version)) console.log(`First run: n8n ${version} is not installed yet.`);
	const n8nHost = await host.ensureHost(version);

	// 2. Segmind: the real API with a key, else the emulator
	const realKey = process.env.SEGMIND_API_KEY;
	let emulator;
	let credential;
	if (realKey) {
		const baseUrl = process.env.SEGMIND_BASE_URL || 'https://api.segmind.com';
		credential = { apiKey: realKey, baseUrl };
		console.log(`Segmind: ${baseUrl} (SEGMIND_API_KEY is set) — this run is billed.`);
	} else {
		emulator = await startEmulator({ apiKey: 'demo-key', jobDurationMs: 4000 });
		credential = { apiKey: 'demo-key', baseUrl: emulator.apiUrl };
		console.log(`Segmind: the bundled emulator at ${emulator.apiUrl} (no SEGMIND_API_KEY set: offline, free).`);
	}

	// 3. a fresh n8n user folder with the package installed as a community node
	const session = await host.createSession(n8nHost, { name: 'demo' });
	try {
		const where = path.relative(ROOT, session.userFolder);
		console.log(`n8n ${n8nHost.version} (Node ${n8nHost.nodeVersion}), headless, fresh user folder ${where.startsWith('..') ? session.userFolder : where}`);
		const tarball = await host.packPackage();
		session.installPackage(tarball);
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
		await session.importCredentials([{ id: credentialRef.id, name: credentialRef.name, type: 'segmindApi', data: credential }]);
		await session.importWorkflows([{ ...workflow, id: WORKFLOW_ID }]);
		console.log(`  installed n8n-nodes-segmind (npm pack of dist/), imported the "${credentialRef.name}" credential and the workflow (${seconds(Date.now() - started)} so far)`);

		// 4. run it
		console.log(`Running "${workflow.name}" (${path.relative(ROOT, EXAMPLE)})`);
		console.log(`  model ${segmindNode.parameters.model}, prompt "${segmindNode.parameters.prompt.slice(0, 70)}…"`);
		const batch = await session.executeBatch([WORKFLOW_ID], { timeoutMs: 15 * 60_000 });
		const execution = session
			.readExecutions()
			.filter((candidate) => candidate.workflowId === WORKFLOW_ID)
			.pop();
		if (!execution) throw new Error(`n8n stored no execution (execute-batch exit ${batch.code}):\n${batch.stdout.slice(-2000)}\n${batch.stderr.slice(-2000)}`);
		const { resultData } = execution.data;
		if (resultData.error) {
			const { message, description } = resultData.error;
			throw new Error(`the workflow failed on node ${resultData.lastNodeExecuted}: ${message}${description ? `\n  ${description}` : ''}`);
		}
		const items = resultData.runData[segmindNode.name]?.[0]?.data?.main?.[0] ?? [];
		if (!items.length) throw new Error('the Segmind node returned no items');

		// 5. the edited image(s), from n8n's binary storage to ./out/
		fs.mkdirSync(OUT_DIR, { recursive: true });
		let written = 0;
		for (const item of items) {
			if (item.json.error) {
				console.log(`  item ${item.pairedItem?.item ?? '?'} failed: ${item.json.error}`);
				continue;
			}
			console.log(`  request ${item.json.requestId}: ${item.json.status} in ${item.json.elapsedSeconds ?? '?'} s (inference ${item.json.inferenceTime ?? '?'} s)`);
			for (const [field, binary] of Object.entries(item.binary ?? {})) {
				const file = path.join(OUT_DIR, path.basename(binary.fileName || `${item.json.requestId}-${field}`));
				fs.writeFileSync(file, session.readBinary(binary));
				written++;
				const size = item.json.width ? `, ${item.json.width}x${item.json.height}` : '';
				console.log(`  wrote ${path.relative(process.cwd(), file) || file} (${binary.mimeType}${size}, ${binary.fileSize ?? `${fs.statSync(file).size} bytes`})`);
			}
		}
		if (!written) throw new Error('no image was written');
		if (emulator) console.log("  (the emulator can't fetch internet images: it edits a stand-in picture of the URL by inverting its colours)");
		console.log(`Done in ${seconds(Date.now() - started)} (n8n run ${seconds(batch.ms)}).`);
	} finally {
		session.dispose();
		await emulator?.close();
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(`Demo failed: ${error.message}`);
		process.exit(1);
	},
);
