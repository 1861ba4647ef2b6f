/**
 * GPT Image 2 through n8n-core's engine against the emulator: one slug under Image › Generate (no
 * image sent) and Image › Edit (exactly one image in `image`, from a URL or binary data), custom
 * sizes checked before anything is sent (its typical time in the poll schedule: test/unit/gptImage2.test.ts).
 */
import type { IDataObject } from 'n8n-workflow';
import sharp from 'sharp';

import { makeFixtures } from '../emulator/images';
import { expectKeyKeptSecret, runSegmind, startTestEmulator } from './setup';
import type { Emulator } from './setup';

let emulator: Emulator;
let photo: Buffer;

beforeAll(async () => {
	emulator = await startTestEmulator();
	photo = (await makeFixtures()).get('photo.png')!.bytes;
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => {
	emulator.reset();
	// At ~$5 a job (the page's price), the default balance pays for two.
	emulator.setCredits({ credits: 100 });
});

const apiRequests = () => emulator.requests.filter((request) => request.origin === 'api');
const submits = () => emulator.requests.filter((request) => request.method === 'POST' && request.path.startsWith('/v2/'));
const jobs = () => [...emulator.jobs.values()];

function generate(overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'image',
		operation: 'generate',
		model: 'gpt-image-2',
		prompt: "A chalkboard sign that reads 'Open Daily'",
		options: { pollInterval: 0.2 },
		...overrides,
	};
}

function edit(overrides: IDataObject = {}): IDataObject {
	return { ...generate(), operation: 'edit', prompt: 'Make it night', image: emulator.fixtureUrl('photo.png'), ...overrides };
}

describe('Image › Generate with GPT Image 2', () => {
	it('sends the prompt and its defaults, no image, and returns the image at the listed size', async () => {
		const run = await runSegmind(emulator, generate({ size: '1536x1024' }) as never);
		expect(run.error).toBeUndefined();
		const [job] = jobs();
		expect(job.model).toBe('gpt-image-2');
		expect(job.body).toEqual({
			prompt: "A chalkboard sign that reads 'Open Daily'",
			size: '1536x1024',
			quality: 'high',
			background: 'opaque',
			output_compression: 100,
			output_format: 'png',
			moderation: 'auto',
		});
		const [item] = run.items;
		expect(item.json).toMatchObject({ model: 'gpt-image-2', status: 'COMPLETED', width: 1536, height: 1024 });
		expect((await sharp(await run.getBinaryBuffer(item)).metadata()).width).toBe(1536);
		expectKeyKeptSecret(emulator, run);
	});

	it('a custom size sends width and height instead of size, and the image has that size', async () => {
		const run = await runSegmind(emulator, generate({ size: 'custom', width: 1920, height: 1088 }) as never);
		expect(run.error).toBeUndefined();
		const [job] = jobs();
		expect(job.body).toMatchObject({ width: 1920, height: 1088 });
		expect(job.body).not.toHaveProperty('size');
		expect(run.items[0].json).toMatchObject({ width: 1920, height: 1088 });
	});

	it('a listed size leaves Width and Height out, even when set', async () => {
		const run = await runSegmind(emulator, generate({ size: '2048x1152', width: 1000, height: 5 }) as never);
		expect(run.error).toBeUndefined();
		expect(jobs()[0].body).toMatchObject({ size: '2048x1152' });
		expect(jobs()[0].body).not.toHaveProperty('width');
		expect(jobs()[0].body).not.toHaveProperty('height');
	});

	it.each([
		[1920, 1080, 'Height 1080 is not a multiple of 16: each edge of a custom size must be (1072 or 1088 would be)'],
		[3200, 1024, 'The custom size 3200 × 1024 has an aspect ratio of 3.13:1; it must be from 1:3 to 3:1 (the longer edge at most 3 times the shorter)'],
		[768, 768, 'The custom size 768 × 768 has 589,824 pixels; it needs at least 655,360 in total'],
		[3840, 2176, 'The custom size 3840 × 2176 has 8,355,840 pixels; it may have at most 8,294,400 in total'],
	])('%i × %i fails with the rule in plain words, and nothing is sent', async (width, height, rule) => {
		const run = await runSegmind(emulator, generate({ size: 'custom', width, height }) as never);
		expect(run.error?.message).toBe(`${rule} [item 0]`);
		expect(run.error?.description).toBe('Nothing was sent to Segmind for this item, so no credit was spent.');
		expect(apiRequests()).toEqual([]);
	});

	it('an edge over 3,840 (from an expression) fails before anything is sent', async () => {
		const run = await runSegmind(emulator, generate({ size: 'custom', width: '={{ 4096 }}', height: 1024 }) as never);
		expect(run.error?.message).toMatch(/3840|3,840/);
		expect(apiRequests()).toEqual([]);
	});

	it('with Continue On Fail a bad size becomes an error item; the good items still run', async () => {
		const run = await runSegmind(emulator, generate({ size: 'custom', width: '={{ $json.width }}', height: 1024 }) as never, {
			continueOnFail: true,
			items: [{ json: { width: 1024 } }, { json: { width: 1000 } }, { json: { width: 2048 } }],
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(3);
		expect(run.items[1].json.error).toBe('Width 1000 is not a multiple of 16: each edge of a custom size must be (992 or 1008 would be) [item 1]');
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(submits()).toHaveLength(2);
		expect(jobs().map((job) => job.body.width).sort()).toEqual([1024, 2048]);
	});

	it('the emulator, like Segmind, answers 400 for a size it would refuse (sent through Any Model › Run)', async () => {
		const run = await runSegmind(emulator, {
			resource: 'model',
			operation: 'run',
			modelSlug: 'gpt-image-2',
			body: JSON.stringify({ prompt: 'A fox', width: 1000, height: 1024 }),
			options: { pollInterval: 0.2 },
		});
		expect(run.error?.message).toContain('Segmind rejected the request as invalid: width and height must be multiples of 16 (got 1000x1024)');
		expect(jobs()).toHaveLength(0);
	});
});

describe('Image › Edit with GPT Image 2', () => {
	it('sends the one image URL as image, never image_urls or mask, and edits it', async () => {
		const run = await runSegmind(emulator, edit() as never);
		expect(run.error).toBeUndefined();
		const [job] = jobs();
		expect(job.body.image).toBe(emulator.fixtureUrl('photo.png'));
		expect(job.body).not.toHaveProperty('image_urls');
		expect(job.body).not.toHaveProperty('mask');
		expect(run.items[0].json).toMatchObject({ model: 'gpt-image-2', status: 'COMPLETED' });
		expectKeyKeptSecret(emulator, run);
	});

	it('takes the image from binary data: uploaded through upload-asset first, then sent as image', async () => {
		const run = await runSegmind(emulator, edit({ image: '', imageBinaryField: 'data' }) as never, {
			items: [{ json: {}, binary: { data: { buffer: photo, fileName: 'photo.png', mimeType: 'image/png' } } }],
		});
		expect(run.error).toBeUndefined();
		const paths = emulator.requests.map((request) => request.path);
		expect(paths.filter((path) => path === '/upload-asset')).toHaveLength(1);
		expect(paths.indexOf('/upload-asset')).toBeLessThan(paths.findIndex((path) => path.startsWith('/v2/')));
		const [job] = jobs();
		expect(String(job.body.image).startsWith(`${emulator.imageUrl}/images/assets/`)).toBe(true);
		expect(job.body).not.toHaveProperty('image_urls');
		expectKeyKeptSecret(emulator, run);
	});

	it.each([
		['no image at all', { image: '' }, '"Image URL" is empty [item 0]'],
		['a URL and a binary field', { imageBinaryField: 'data' }, 'Set either "Image URL" or "Image Binary Field", not both [item 0]'],
		['a binary field the item lacks', { image: '', imageBinaryField: 'photo' }, '"Image Binary Field": the item has no binary field "photo" (its binary fields are "data") [item 0]'],
	])('%s fails before anything is sent', async (_case, overrides, message) => {
		const run = await runSegmind(emulator, edit(overrides) as never, {
			items: [{ json: {}, binary: { data: { buffer: photo, fileName: 'photo.png', mimeType: 'image/png' } } }],
		});
		expect(run.error?.message).toBe(message);
		expect(apiRequests()).toEqual([]);
	});

	it('custom sizes are checked in Edit too', async () => {
		const run = await runSegmind(emulator, edit({ size: 'custom', width: 512, height: 1552 }) as never);
		expect(run.error?.message).toContain('aspect ratio of 3.03:1; it must be from 1:3 to 3:1');
		expect(apiRequests()).toEqual([]);
	});
});
