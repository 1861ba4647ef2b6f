// The main job: runs example workflow 1 (examples/edit-image-from-url.json), editing an image
// with the built Segmind node inside n8n-core's execution engine, and writes the result to ./out/.
// Without SEGMIND_API_KEY it runs against the bundled Segmind emulator, fully offline.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const { Segmind } = require(path.join(root, 'dist/nodes/Segmind/Segmind.node.js'));
const { SegmindApi } = require(path.join(root, 'dist/credentials/SegmindApi.credentials.js'));
const { runNode } = require(path.join(root, 'test/harness'));
const { startEmulator } = require(path.join(root, 'test/emulator'));

const EXAMPLE = path.join(root, 'examples/edit-image-from-url.json');
const OUT_DIR = path.join(root, 'out');

async function main() {
	const workflow = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
	const node = workflow.nodes.find((candidate) => candidate.type === 'n8n-nodes-segmind.segmind');
	const realKey = process.env.SEGMIND_API_KEY;
	let emulator;
	let credentials;
	if (realKey) {
		credentials = { apiKey: realKey, baseUrl: process.env.SEGMIND_BASE_URL || 'https://api.segmind.com' };
		console.log(`Using Segmind at ${credentials.baseUrl} (SEGMIND_API_KEY is set): this run is billed.`);
	} else {
		emulator = await startEmulator({ apiKey: 'demo-key', jobDurationMs: 3000 });
		credentials = { apiKey: 'demo-key', baseUrl: emulator.apiUrl };
		console.log(`No SEGMIND_API_KEY set: using the bundled Segmind emulator at ${emulator.apiUrl} (offline, free).`);
	}

	console.log(`Running "${workflow.name}"`);
	console.log(`  model ${node.parameters.model}, prompt "${node.parameters.prompt.slice(0, 60)}…"`);
	const started = Date.now();
	try {
		const run = await runNode({
			nodeType: new Segmind(),
			credentialTypes: [new SegmindApi()],
			credentials: { segmindApi: credentials },
			parameters: node.parameters,
			nodeName: node.name,
		});
		if (run.error) throw new Error(`${run.error.message}\n${run.error.description ?? ''}`);
		fs.mkdirSync(OUT_DIR, { recursive: true });
		for (const item of run.items) {
			const binary = item.binary.data;
			const file = path.join(OUT_DIR, binary.fileName);
			fs.writeFileSync(file, await run.getBinaryBuffer(item, 'data'));
			console.log(`  request ${item.json.requestId}: ${item.json.status}, inference ${item.json.inferenceTime} s`);
			console.log(`  wrote ${path.relative(process.cwd(), file)} (${binary.mimeType}, ${item.json.width}x${item.json.height})`);
		}
		console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
		await run.dispose?.();
	} finally {
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
