// Benchmarks of the built node against the Segmind emulator. They print figures (and ratios
// measured in the same run, since these machines are noisy); they assert nothing.
//   npm run bench                                   all of them (the timed ones in parallel child
//                                                   processes, each with its own emulator), ~3 min
//   npm run bench -- polling|batch|throughput|memory|uploads
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

/**
 * Per job: status requests sent, and completion overhead = the first status request at or after
 * the job finished − when it finished (the time until the node knew; the emulator renders the
 * image when it is first asked, which is its own cost, not the schedule's).
 */
function jobFigures(emulator) {
	return [...emulator.jobs.values()].map((job) => {
		const requests = emulator.requests.filter((request) => request.path.includes(job.id));
		const status = requests.filter((request) => request.path.endsWith('/status'));
		const seenDone = status.find((request) => request.at >= job.completedAt);
		return { statusRequests: status.length, overheadMs: (seenDone?.at ?? Number.NaN) - job.completedAt };
	});
}

const TYPICAL_S = 42.46; // gpt-image-1-edit-mini's page
const quantile = (values, share) => [...values].sort((x, y) => x - y)[Math.floor(share * (values.length - 1))];
const mean = (values) => values.reduce((sum, v) => sum + v, 0) / values.length;

/** Figures per job, keyed by the duration its prompt asked for. */
function jobFiguresByDuration(emulator) {
	const figures = jobFigures(emulator);
	return [...emulator.jobs.values()].map((job, index) => ({ durationMs: job.behaviour?.durationMs ?? Number(/duration=(\d+)/.exec(String(job.body.prompt))?.[1]), ...figures[index] }));
}

/**
 * One execution holding jobs of spread durations (0.7–1.5× typical, 17 jobs) and 4 jobs of a fixed
 * 45 s, all at once, polled as `label` says. The parent runs it adaptively and with a fixed 1 s
 * interval side by side, so both see the same machine.
 */
async function pollingRun(label) {
	const options = label === 'fixed' ? { concurrency: 21, pollInterval: 1 } : { concurrency: 21 };
	const spread = Array.from({ length: 17 }, (_v, i) => Math.round((0.7 + i * 0.05) * TYPICAL_S * 1000));
	const durations = [...spread, 45_000, 45_000, 45_000, 45_000];
	const emulator = await startEmulator({ apiKey: API_KEY, jobDurationMs: 45_000 });
	try {
		const parameters = { ...editParameters(emulator.fixtureUrl('photo.png'), options), prompt: '={{ $json.prompt }}' };
		await run(emulator, parameters, durations.map((ms, n) => ({ json: { prompt: `bench ${n} [emu:duration=${ms}]` } })));
		const figures = jobFiguresByDuration(emulator);
		const pick = (filter) => figures.filter(filter);
		const summarise = (list) => ({
			jobs: list.length,
			medianOverheadS: quantile(list.map((f) => f.overheadMs), 0.5) / 1000,
			p90OverheadS: quantile(list.map((f) => f.overheadMs), 0.9) / 1000,
			meanStatusRequests: mean(list.map((f) => f.statusRequests)),
			medianStatusRequests: quantile(list.map((f) => f.statusRequests), 0.5),
		});
		return { label, spread: summarise(pick((f) => f.durationMs !== 45_000)), fixed45: summarise(pick((f) => f.durationMs === 45_000)) };
	} finally {
		await emulator.close();
	}
}

function printPolling(adaptive, fixed) {
	console.log(`\n## Polling (gpt-image-1-edit-mini, typical ~${TYPICAL_S} s): adaptive vs fixed 1 s, in the same run`);
	for (const [what, key] of [['spread durations 0.7–1.5× typical (17 jobs)', 'spread'], ['fixed 45 s (4 jobs)', 'fixed45']]) {
		console.log(`  ${what}:`);
		for (const row of [adaptive, fixed]) {
			const f = row[key];
			console.log(`    ${row.label.padEnd(9)} median overhead ${fmt(f.medianOverheadS)} s, p90 ${fmt(f.p90OverheadS)} s, status requests per job mean ${fmt(f.meanStatusRequests, 1)} (median ${f.medianStatusRequests})`);
		}
		console.log(`    ratio adaptive/fixed status requests ${fmt(adaptive[key].meanStatusRequests / fixed[key].meanStatusRequests)}`);
	}
}

/** 10 × 40 s jobs at Concurrency 5: two waves, the second polled on what the first showed. */
/** `items` jobs of `durationMs` at `concurrency`: wall time against the ideal, and polling per job. */
async function timedBatch(items, durationMs, concurrency) {
	const emulator = await startEmulator({ apiKey: API_KEY, jobDurationMs: durationMs });
	try {
		const started = Date.now();
		await run(emulator, editParameters(emulator.fixtureUrl('photo.png'), { concurrency }), Array.from({ length: items }, () => ({ json: {} })));
		const wallMs = Date.now() - started;
		const idealMs = Math.ceil(items / concurrency) * durationMs;
		const figures = jobFigures(emulator);
		return {
			items,
			concurrency,
			wallS: wallMs / 1000,
			idealS: idealMs / 1000,
			ratio: wallMs / idealMs,
			medianOverheadS: median(figures.map((f) => f.overheadMs)) / 1000,
			medianStatusRequests: median(figures.map((f) => f.statusRequests)),
			submits: emulator.submitCount(),
		};
	} finally {
		await emulator.close();
	}
}

/** 10 × 40 s jobs at Concurrency 5: two waves, the second polled on what the first showed. */
const batchRun = async () => await timedBatch(10, 40_000, 5);

function printBatch(batch) {
	console.log(`\n## Batch: ${batch.items} × 40 s jobs at Concurrency ${batch.concurrency}`);
	console.log(`  wall ${fmt(batch.wallS, 1)} s; ideal ${batch.idealS} s (ratio ${fmt(batch.ratio, 3)}); median status requests per job ${batch.medianStatusRequests}`);
}

async function throughput() {
	const [items, durationMs, concurrency] = [50, 10_000, 10];
	console.log(`\n## Throughput: ${items} items × ${durationMs / 1000} s jobs at concurrency ${concurrency}`);
	const figures = await timedBatch(items, durationMs, concurrency);
	const sequentialS = (items * durationMs) / 1000;
	console.log(`  wall ${fmt(figures.wallS, 1)} s; ideal at concurrency ${concurrency}: ${figures.idealS} s (ratio ${fmt(figures.ratio)}); one after another at best: ${sequentialS} s (${fmt(sequentialS / figures.wallS, 1)}× slower than this run)`);
	console.log(`  median completion overhead ${fmt(figures.medianOverheadS)} s, median status requests per job ${figures.medianStatusRequests}, submits ${figures.submits}`);
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

/** Runs `fn(apiUrl)` against an emulator in its own process, so its memory does not count here. */
async function withChildEmulator(fn) {
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
		return await fn(`http://127.0.0.1:${port}`);
	} finally {
		child.kill('SIGTERM');
	}
}

/** Peak RSS growth while `work()` runs, after a GC, sampled every 20 ms. */
async function peakRssGrowth(work) {
	global.gc?.();
	const live = () => {
		const usage = process.memoryUsage();
		return usage.heapUsed + usage.external;
	};
	const baseline = process.memoryUsage().rss;
	const liveBaseline = live();
	let peak = baseline;
	let livePeak = liveBaseline;
	const sampler = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
		livePeak = Math.max(livePeak, live());
	}, 20);
	try {
		const result = await work();
		return { result, growthMb: (peak - baseline) / 1e6, liveGrowthMb: (livePeak - liveBaseline) / 1e6, baselineMb: baseline / 1e6 };
	} finally {
		clearInterval(sampler);
	}
}

async function memory() {
	const items = 50;
	console.log(`\n## Memory: ${items} items with ~4.7 MB PNG outputs, filesystem binary mode, default concurrency`);
	await withChildEmulator(async (apiUrl) => {
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
		const { result, growthMb, baselineMb } = await peakRssGrowth(async () =>
			await run(emulator, parameters, Array.from({ length: items }, () => ({ json: {} })), { binaryMode: 'filesystem' }),
		);
		console.log(`  ${result.items.length} images written (~${fmt(png.length / 1e6, 1)} MB each, ~${fmt((result.items.length * png.length) / 1e6, 0)} MB in all)`);
		console.log(`  peak RSS growth ${fmt(growthMb, 1)} MB (goal ≤ 64 MB; baseline ${fmt(baselineMb, 0)} MB)`);
	});
}

/** 1 item × 16 binary images of 10 MB: uploaded in requests split by size, one file read at a time. */
async function uploads() {
	const files = 16;
	const size = 10_000_000;
	console.log(`\n## Uploads: 1 item × ${files} binary images of ${size / 1e6} MB, filesystem binary mode`);
	await withChildEmulator(async (apiUrl) => {
		const sharp = require('sharp');
		const small = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#369' } }).png().toBuffer();
		// A real PNG padded to 10 MB (decoders stop at IEND): what matters here is the size.
		const padded = (n) => {
			const buffer = Buffer.alloc(size + n);
			small.copy(buffer);
			return { buffer, fileName: `photo-${n}.png`, mimeType: 'image/png' };
		};
		const names = Array.from({ length: files }, (_v, n) => `image${n}`);
		const binary = Object.fromEntries(names.map((name, n) => [name, padded(n)]));
		const emulator = { apiUrl };
		const parameters = { ...editParameters('', { pollInterval: 0.5 }), imageUrls: [], inputBinaryFields: names.join(', ') };
		// Warm up with one small image, then measure.
		await run(emulator, { ...parameters, inputBinaryFields: 'image0' }, [{ json: {}, binary: { image0: { buffer: small, fileName: 'small.png', mimeType: 'image/png' } } }], { binaryMode: 'filesystem' });
		const { growthMb, liveGrowthMb, baselineMb } = await peakRssGrowth(async () => await run(emulator, parameters, [{ json: {}, binary }], { binaryMode: 'filesystem' }));
		console.log(`  peak heap+external growth ${fmt(liveGrowthMb, 1)} MB (garbage not yet collected included)`);
		console.log(`  peak RSS growth ${fmt(growthMb, 1)} MB for ${fmt((files * size) / 1e6, 0)} MB of images (goal: about twice the largest file, ${fmt((2 * size) / 1e6, 0)} MB, plus a fixed margin; baseline ${fmt(baselineMb, 0)} MB; the item's input buffers, held by this process, count in the baseline)`);
	});
}

/** The timed benches, each in its own child process (the harness runs one execution at a time). */
async function inChild(name) {
	return await new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [__filename, '--child', name], { stdio: ['ignore', 'pipe', 'inherit'] });
		let out = '';
		child.stdout.on('data', (chunk) => {
			out += chunk;
		});
		child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`${name} exited ${code}`))));
	});
}

const childBenches = { adaptive: () => pollingRun('adaptive'), fixed: () => pollingRun('fixed'), batch: batchRun };

async function polling() {
	const [adaptive, fixed] = await Promise.all([inChild('adaptive'), inChild('fixed')]);
	printPolling(adaptive, fixed);
}

async function batch() {
	printBatch(await inChild('batch'));
}

async function timed() {
	// Side by side: the polling runs (~65 s) and the batch (~82 s) overlap; the figures are per job.
	const [adaptive, fixed, batchFigures] = await Promise.all([inChild('adaptive'), inChild('fixed'), inChild('batch')]);
	printPolling(adaptive, fixed);
	printBatch(batchFigures);
}

const benches = { polling, batch, throughput, memory, uploads };
const chosen = process.argv.slice(2).filter((name) => benches[name]);
const childName = process.argv[2] === '--child' ? process.argv[3] : undefined;

(async () => {
	if (childName) {
		process.stdout.write(`${JSON.stringify(await childBenches[childName]())}\n`);
		return;
	}
	console.log('# n8n-nodes-segmind benchmarks (emulator on loopback; durations are real, not scaled)');
	if (chosen.length > 0) {
		for (const name of chosen) await benches[name]();
		return;
	}
	await timed();
	for (const name of ['memory', 'uploads']) await benches[name]();
})().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
