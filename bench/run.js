// Benchmarks of the built node against the Segmind emulator. They print figures (and ratios
// measured in the same run, since these machines are noisy); they assert nothing.
//   npm run bench                      all three
//   npm run bench -- polling|throughput|memory
const path = require('node:path');
const { spawn } = require('node:child_process');

const root = path.join(__dirname, '..');
const { Segmind } = require(path.join(root, 'dist/nodes/Segmind/Segmind.node.js'));
const { SegmindApi } = require(path.join(root, 'dist/credentials/SegmindApi.credentials.js'));
const { runNode } = require(path.join(root, 'test/harness'));
const { startEmulator } = require(path.join(root, 'test/emulator'));

const API_KEY = 'bench-key';
const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (n, digits = 2) => Number(n).toFixed(digits);

function editParameters(imageUrl, options) {
	return {
		resource: 'image',
		operation: 'edit',
		model: 'gpt-image-1-edit-mini',
		prompt: 'bench',
		imageUrls: [imageUrl],
		options,
	};
}

async function run(emulator, parameters, items, extra = {}) {
	const result = await runNode({
		nodeType: new Segmind(),
		credentialTypes: [new SegmindApi()],
		credentials: { segmindApi: { apiKey: API_KEY, baseUrl: emulator.apiUrl } },
		parameters,
		items,
		...extra,
	});
	if (result.error) throw new Error(`bench run failed: ${result.error.message}`);
	return result;
}

/** Per job: status requests sent, and completion overhead = result fetched − server done. */
function jobFigures(emulator) {
	return [...emulator.jobs.values()].map((job) => {
		const requests = emulator.requests.filter((request) => request.path.includes(job.id));
		const statusRequests = requests.filter((request) => request.path.endsWith('/status')).length;
		const result = requests.find((request) => request.path === `/v2/requests/${job.id}`);
		return { statusRequests, overheadMs: result.at - job.completedAt };
	});
}

async function polling() {
	const jobs = 8;
	const durationMs = 45_000;
	console.log(`\n## Polling: ${jobs} jobs of ${durationMs / 1000} s (gpt-image-1-edit-mini, typical ~42 s), adaptive vs fixed 1 s`);
	const rows = [];
	for (const [label, options] of [
		['adaptive (default)', { concurrency: jobs }],
		['fixed 1 s (SDK)', { concurrency: jobs, pollInterval: 1 }],
	]) {
		const emulator = await startEmulator({ apiKey: API_KEY, jobDurationMs: durationMs });
		try {
			const items = Array.from({ length: jobs }, () => ({ json: {} }));
			await run(emulator, editParameters(emulator.fixtureUrl('photo.png'), options), items);
			const figures = jobFigures(emulator);
			const row = {
				label,
				overheadMs: median(figures.map((f) => f.overheadMs)),
				statusRequests: median(figures.map((f) => f.statusRequests)),
			};
			rows.push(row);
			console.log(`  ${label.padEnd(20)} median completion overhead ${fmt(row.overheadMs / 1000)} s, median status requests per job ${row.statusRequests}`);
		} finally {
			await emulator.close();
		}
	}
	const [adaptive, fixed] = rows;
	console.log(`  ratio adaptive/fixed: status requests ${fmt(adaptive.statusRequests / fixed.statusRequests)}, overhead ${fmt(adaptive.overheadMs / fixed.overheadMs)}`);
	return rows;
}

async function throughput() {
	const items = 50;
	const durationMs = 10_000;
	const concurrency = 10;
	console.log(`\n## Throughput: ${items} items × ${durationMs / 1000} s jobs at concurrency ${concurrency}`);
	const emulator = await startEmulator({ apiKey: API_KEY, jobDurationMs: durationMs });
	try {
		const started = Date.now();
		await run(emulator, editParameters(emulator.fixtureUrl('photo.png'), { concurrency }), Array.from({ length: items }, () => ({ json: {} })));
		const wallMs = Date.now() - started;
		const idealMs = Math.ceil(items / concurrency) * durationMs;
		const sequentialMs = items * durationMs;
		console.log(`  wall ${fmt(wallMs / 1000, 1)} s; ideal at concurrency ${concurrency}: ${idealMs / 1000} s (ratio ${fmt(wallMs / idealMs)}); one after another at best: ${sequentialMs / 1000} s (${fmt(sequentialMs / wallMs, 1)}× slower than this run)`);
		const figures = jobFigures(emulator);
		console.log(`  median completion overhead ${fmt(median(figures.map((f) => f.overheadMs)) / 1000)} s, median status requests per job ${median(figures.map((f) => f.statusRequests))}, submits ${emulator.submitCount()}`);
	} finally {
		await emulator.close();
	}
}

/** A noisy 1536x1024 PNG of ~4.7 MB: the emulator's outputs derived from it are as large. */
async function noisyPng() {
	const sharp = require('sharp');
	const width = 1536;
	const height = 1024;
	const pixels = Buffer.alloc(width * height * 3);
	for (let i = 0; i < pixels.length; i++) pixels[i] = (Math.random() * 256) | 0;
	return await sharp(pixels, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
}

async function memory() {
	const items = 50;
	console.log(`\n## Memory: ${items} items with ~4.7 MB PNG outputs, filesystem binary mode, default concurrency`);
	// The emulator runs in its own process, so its image cache does not count here.
	const port = 18790 + Math.floor(Math.random() * 500);
	const child = spawn(process.execPath, [path.join(root, 'scripts/emulator.js')], {
		env: { ...process.env, SEGMIND_EMULATOR_PORT: String(port), SEGMIND_EMULATOR_IMAGE_PORT: String(port + 1), SEGMIND_EMULATOR_API_KEY: API_KEY, SEGMIND_EMULATOR_JOB_MS: '1000' },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	try {
		await new Promise((resolve, reject) => {
			child.stdout.on('data', (chunk) => chunk.toString().includes('API origin') && resolve());
			child.on('exit', (code) => reject(new Error(`emulator exited ${code}`)));
		});
		const apiUrl = `http://127.0.0.1:${port}`;
		const png = await noisyPng();
		const upload = await fetch(`${apiUrl}/upload-asset`, {
			method: 'POST',
			headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
			body: JSON.stringify({ data_urls: [`data:image/png;base64,${png.toString('base64')}`] }),
		});
		const uploaded = await upload.json();
		const imageUrl = (uploaded.file_urls ?? uploaded.urls)[0];
		const emulator = { apiUrl };
		const parameters = { ...editParameters(imageUrl, { pollInterval: 0.5 }), size: '1536x1024' };
		// Warm up (module loading, first binary write), then measure.
		await run(emulator, parameters, [{ json: {} }], { binaryMode: 'filesystem' });
		global.gc?.();
		const baseline = process.memoryUsage().rss;
		let peak = baseline;
		const sampler = setInterval(() => {
			peak = Math.max(peak, process.memoryUsage().rss);
		}, 20);
		const result = await run(emulator, parameters, Array.from({ length: items }, () => ({ json: {} })), { binaryMode: 'filesystem' });
		clearInterval(sampler);
		const sizes = result.items.map((item) => Number(item.binary.data.fileSize ?? 0) || 0);
		const totalMb = result.items.length * png.length / 1e6;
		console.log(`  ${result.items.length} images written (~${fmt(png.length / 1e6, 1)} MB each, ~${fmt(totalMb, 0)} MB in all)${sizes[0] ? '' : ''}`);
		console.log(`  peak RSS growth ${fmt((peak - baseline) / 1e6, 1)} MB (goal ≤ 64 MB; baseline ${fmt(baseline / 1e6, 0)} MB)`);
	} finally {
		child.kill('SIGTERM');
	}
}

const benches = { polling, throughput, memory };
const chosen = process.argv.slice(2).filter((name) => benches[name]);

(async () => {
	console.log('# n8n-nodes-segmind benchmarks (emulator on loopback; durations are real, not scaled)');
	for (const name of chosen.length ? chosen : Object.keys(benches)) await benches[name]();
})().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
