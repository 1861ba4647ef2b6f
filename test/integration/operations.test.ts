import sharp from 'sharp';

import { editParameters, expectKeyKeptSecret, runSegmind, SegmindAsTool, SegmindInN8n1, startTestEmulator } from './setup';
import type { Emulator } from './setup';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startTestEmulator();
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => emulator.reset());

const onlyJob = () => [...emulator.jobs.values()][0];


describe('n8n 1.x execute context (no isToolExecution)', () => {
	it.each([
		['Image › Edit', (e: Emulator) => editParameters(e)],
		['Image › Generate', () => ({ resource: 'image', operation: 'generate', model: 'gpt-image-1-mini', prompt: 'A fox', options: { pollInterval: 0.2 } })],
		['Any Model › Run', () => ({ resource: 'model', operation: 'run', modelSlug: 'gpt-image-1-mini', body: '{"prompt": "A fox"}', options: { pollInterval: 0.2 } })],
	])('%s succeeds with Output: Auto and returns the image as binary', async (_name, parameters) => {
		const run = await runSegmind(emulator, parameters(emulator) as never, { nodeType: new SegmindInN8n1() });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		expect(run.items[0].json).toMatchObject({ status: 'COMPLETED', requestId: onlyJob().id });
		expect(run.items[0].binary?.data.mimeType).toBe('image/png');
	});
});

describe('Image › Generate', () => {
	it.each([
		['gpt-image-1-mini', { quality: 'high', output_compression: 100 }],
		['gpt-image-1', { quality: 'auto', output_compression: 100 }],
		['gpt-image-1.5', { quality: 'high', output_compression: 100 }],
	])('%s generates an image from a prompt with its own defaults', async (model, defaults) => {
		const run = await runSegmind(emulator, {
			resource: 'image',
			operation: 'generate',
			model,
			prompt: 'A watercolor lighthouse at dawn',
			size: '1024x1536',
			options: { pollInterval: 0.2 },
		});
		expect(run.error).toBeUndefined();
		const job = onlyJob();
		expect(job.model).toBe(model);
		expect(job.body).toEqual({
			prompt: 'A watercolor lighthouse at dawn',
			size: '1024x1536',
			background: 'opaque',
			moderation: 'auto',
			output_format: 'png',
			...defaults,
		});
		const [item] = run.items;
		expect(item.json).toMatchObject({ model, requestId: job.id, status: 'COMPLETED', width: 1024, height: 1536 });
		expect((await sharp(await run.getBinaryBuffer(item)).metadata()).format).toBe('png');
		expectKeyKeptSecret(emulator, run);
	});

	it('sends no image fields for a generation model, even if the workflow still holds some', async () => {
		const run = await runSegmind(emulator, {
			resource: 'image',
			operation: 'generate',
			model: 'gpt-image-1-mini',
			prompt: 'A red fox',
			imageUrls: ['https://example.com/left-over.png'],
			options: { pollInterval: 0.2 },
		});
		expect(run.error).toBeUndefined();
		expect(onlyJob().body.image_urls).toBeUndefined();
	});
});

describe('Image › Edit with gpt-image-1-edit', () => {
	it('runs through the same path as the seed models', async () => {
		const run = await runSegmind(emulator, editParameters(emulator, { model: 'gpt-image-1-edit' }));
		expect(run.error).toBeUndefined();
		expect(onlyJob().model).toBe('gpt-image-1-edit');
		expect(run.items[0].binary?.data.fileName).toBe(`gpt-image-1-edit-${onlyJob().id}.png`);
	});
});

describe('Any Model › Run', () => {
	const runAny = (modelSlug: string, body: string, extra = {}) =>
		runSegmind(emulator, {
			resource: 'model',
			operation: 'run',
			modelSlug,
			body,
			options: { pollInterval: 0.2 },
			...extra,
		});

	it('submits the JSON body to the slug and returns the images as binary plus the full result', async () => {
		emulator.nextJobs({ resultShape: 'url-array' });
		const body = { prompt: 'A red fox', size: '1536x1024', output_format: 'webp' };
		const run = await runAny('gpt-image-1', JSON.stringify(body));
		expect(run.error).toBeUndefined();
		const job = onlyJob();
		expect(job.model).toBe('gpt-image-1');
		expect(job.body).toEqual(body);
		const [item] = run.items;
		expect(item.json.result).toMatchObject({ status: 'COMPLETED', output: [expect.stringContaining(emulator.imageUrl)] });
		expect(item.json.parameters).toEqual(body);
		expect(item.binary?.data.mimeType).toBe('image/webp');
		expect((await sharp(await run.getBinaryBuffer(item)).metadata()).width).toBe(1536);
		expectKeyKeptSecret(emulator, run);
	});

	it('returns the result JSON alone when the model gives no image', async () => {
		emulator.nextJobs({ resultShape: 'none' });
		const run = await runAny('gpt-image-1', '{"prompt": "A red fox"}');
		expect(run.error).toBeUndefined();
		expect(run.items[0].binary).toBeUndefined();
		expect(run.items[0].json.result).toMatchObject({ status: 'COMPLETED' });
	});

	it.each([
		['invalid JSON', 'gpt-image-1', '{"prompt": "unclosed', 'is not valid JSON'],
		['a JSON array', 'gpt-image-1', '[1, 2]', 'must be a JSON object'],
		['a blank slug', '   ', '{}', '"Model Slug" is empty'],
		['a slug with a path in it', '../v1/get-user-credits', '{}', 'is not a Segmind model slug'],
	])('rejects %s before sending anything', async (_case, slug, body, expected) => {
		const run = await runAny(slug, body);
		expect(String(run.error?.message)).toContain(expected);
		expect(emulator.requests).toEqual([]);
	});

	it('explains an unknown slug (404 on submit)', async () => {
		const run = await runAny('no-such-model', '{"prompt": "x"}');
		expect(String(run.error?.message)).toContain('does not know the model "no-such-model"');
	});
});

describe('output modes', () => {
	it('URL Only skips the download and keeps the hosted URL', async () => {
		const run = await runSegmind(emulator, editParameters(emulator, { options: { pollInterval: 0.2, outputMode: 'url' } }));
		expect(run.error).toBeUndefined();
		const [item] = run.items;
		expect(item.binary).toBeUndefined();
		expect(item.json.outputUrl).toEqual(expect.stringContaining(emulator.imageUrl));
		expect(emulator.requests.filter((request) => request.origin === 'images' && request.path.includes(onlyJob().id))).toEqual([]);
	});

	it('several images land on one item as data, data_1, …', async () => {
		emulator.nextJobs({ resultShape: 'images', imageCount: 3 });
		const run = await runSegmind(emulator, editParameters(emulator));
		const [item] = run.items;
		expect(Object.keys(item.binary ?? {})).toEqual(['data', 'data_1', 'data_2']);
		expect(item.binary?.data_2.fileName).toBe(`gpt-image-1-edit-mini-${onlyJob().id}-2.png`);
		expect(item.json.outputUrls).toHaveLength(3);
		expect(item.json.files).toHaveLength(3);
		expect((await sharp(await run.getBinaryBuffer(item, 'data_1')).metadata()).format).toBe('png');
	});

	it('as an AI-agent tool, returns compact JSON with URLs, request id and timing, no binary', async () => {
		const run = await runSegmind(emulator, editParameters(emulator), { nodeType: new SegmindAsTool() });
		expect(run.error).toBeUndefined();
		const [item] = run.items;
		expect(item.binary).toBeUndefined();
		expect(Object.keys(item.json).sort()).toEqual(
			['elapsedSeconds', 'imageUrls', 'inferenceTime', 'model', 'requestId', 'status'].sort(),
		);
		expect(item.json.imageUrls).toEqual([expect.stringContaining(emulator.imageUrl)]);
	});

	it('as a tool with Output set to Binary Image, still downloads the image', async () => {
		const run = await runSegmind(
			emulator,
			editParameters(emulator, { options: { pollInterval: 0.2, outputMode: 'binary' } }),
			{ nodeType: new SegmindAsTool() },
		);
		expect(run.items[0].binary?.data.mimeType).toBe('image/png');
	});
});
