/**
 * Binary in, binary out: input images and masks from earlier nodes' binary data (uploaded with
 * upload-asset), their checks before anything is sent, and the output options (one item per image,
 * file names, URL only, streamed downloads), in both binary data modes.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import sharp from 'sharp';

import { Segmind } from '../../nodes/Segmind/Segmind.node';
import { SEGMIND_UPLOAD_URL, uploadAssetUrl } from '../../nodes/Segmind/transport/segmindClient';
import { startEmulator } from '../emulator';
import { makeFixtures } from '../emulator/images';
import { API_KEY, editParameters, expectKeyKeptSecret, runSegmind, startTestEmulator } from './setup';
import type { Emulator } from './setup';

type Fixtures = Awaited<ReturnType<typeof makeFixtures>>;
type InputBinary = { buffer: Buffer; fileName?: string; mimeType?: string };

let emulator: Emulator;
let fixtures: Fixtures;

beforeAll(async () => {
	emulator = await startTestEmulator();
	fixtures = await makeFixtures();
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => emulator.reset());

const bytesOf = (name: string): Buffer => {
	const fixture = fixtures.get(name);
	if (!fixture) throw new Error(`no fixture ${name}`);
	return fixture.bytes;
};
const file = (name: string, mimeType?: string, fileName = name): InputBinary => ({
	buffer: bytesOf(name),
	fileName,
	mimeType: mimeType ?? (name.endsWith('.jpg') ? 'image/jpeg' : name.endsWith('.webp') ? 'image/webp' : 'image/png'),
});
/** A file of `size` bytes that starts like the given PNG fixture (so its header reads as that PNG). */
const pngOfSize = (name: string, size: number): InputBinary => {
	const buffer = Buffer.alloc(size);
	bytesOf(name).copy(buffer, 0, 0, 64);
	return { buffer, fileName: `big-${name}`, mimeType: 'image/png' };
};

const uploads = () => emulator.requests.filter((request) => request.path === '/upload-asset');
const submits = () => emulator.requests.filter((request) => request.method === 'POST' && request.path.startsWith('/v2/'));
const onlyJob = () => [...emulator.jobs.values()][0];
const uploadedUrl = (url: unknown) => String(url).startsWith(`${emulator.imageUrl}/images/assets/`);

/** Edit parameters taking the images from binary data (no URLs unless given). */
function binaryParameters(overrides: IDataObject = {}) {
	return editParameters(emulator, { imageUrls: [], inputBinaryFields: 'data', ...overrides });
}

describe.each(['filesystem', 'default'] as const)('binary inputs in binary mode %s', (binaryMode) => {
	it('binary only: uploads the image in one call and sends the hosted URL as image_urls', async () => {
		const run = await runSegmind(emulator, binaryParameters(), {
			binaryMode,
			items: [{ json: {}, binary: { data: file('wide.png') } }],
		});
		expect(run.error).toBeUndefined();
		expect(uploads()).toHaveLength(1);
		expect(uploads()[0].body).toMatch(/^\{"data_urls":\["data:image\/png;base64,iVBORw0KGgo/);
		const job = onlyJob();
		const sent = job.body.image_urls as string[];
		expect(sent).toHaveLength(1);
		expect(uploadedUrl(sent[0])).toBe(true);
		// The upload happened before the submit.
		const order = emulator.requests.map((request) => request.path);
		expect(order.indexOf('/upload-asset')).toBeLessThan(order.findIndex((path) => path.startsWith('/v2/')));
		// The emulator edits the uploaded image: a 1536x1024 input gives a 1536x1024 output (size auto).
		const [item] = run.items;
		expect(item.json).toMatchObject({ width: 1536, height: 1024, mimeType: 'image/png' });
		expect((item.json.parameters as IDataObject).image_urls).toEqual(job.body.image_urls);
		expect((await sharp(await run.getBinaryBuffer(item)).metadata()).width).toBe(1536);
		expectKeyKeptSecret(emulator, run);
	});

	it('mixed: URL images first, then the binary images (types read from the bytes), in one upload', async () => {
		const run = await runSegmind(emulator, binaryParameters({ inputBinaryFields: 'first, second' }), {
			binaryMode,
			items: [
				{
					json: {},
					binary: {
						first: file('photo.jpg', 'application/octet-stream', 'photo.bin'),
						second: file('photo.webp'),
					},
				},
			],
		});
		expect(run.error).toBeUndefined();
		// One upload call for both; the first is sent as JPEG, as its bytes say (not octet-stream).
		expect(uploads()).toHaveLength(1);
		expect(uploads()[0].body).toMatch(/^\{"data_urls":\["data:image\/jpeg;base64,\/9j\//);
		const urls = onlyJob().body.image_urls as string[];
		expect(urls).toHaveLength(2);
		expect(urls.every(uploadedUrl)).toBe(true);
		expect(urls[0].endsWith('.jpg')).toBe(true);
		expect(urls[1].endsWith('.webp')).toBe(true);

		emulator.reset();
		const mixed = await runSegmind(emulator, binaryParameters({ imageUrls: [emulator.fixtureUrl('photo.png')] }), {
			binaryMode,
			items: [{ json: {}, binary: { data: file('photo.webp') } }],
		});
		expect(mixed.error).toBeUndefined();
		const sent = onlyJob().body.image_urls as string[];
		expect(sent[0]).toBe(emulator.fixtureUrl('photo.png'));
		expect(uploadedUrl(sent[1])).toBe(true);
		expect(sent).toHaveLength(2);
		expect(uploads()).toHaveLength(1);
	});

	it('mask from binary: image and mask go up in one call; the mask URL is sent as mask', async () => {
		const run = await runSegmind(emulator, binaryParameters({ maskBinaryField: 'mask' }), {
			binaryMode,
			items: [{ json: {}, binary: { data: file('photo.png'), mask: file('mask.png') } }],
		});
		expect(run.error).toBeUndefined();
		expect(uploads()).toHaveLength(1);
		const job = onlyJob();
		expect(uploadedUrl(job.body.mask)).toBe(true);
		const sent = job.body.image_urls as string[];
		expect(sent).toHaveLength(1);
		expect(job.body.mask).not.toBe(sent[0]);
		// The emulator checked the mask (PNG, same size as the first image) and completed the job.
		expect(run.items[0].json.status).toBe('COMPLETED');
	});

	it('Use All Image Binaries takes every image binary except the mask, and nothing else', async () => {
		const run = await runSegmind(
			emulator,
			binaryParameters({ inputBinaryFields: '', useAllImageBinaries: true, maskBinaryField: 'mask' }),
			{
				binaryMode,
				items: [
					{
						json: {},
						binary: {
							notes: { buffer: Buffer.from('just text'), fileName: 'notes.txt', mimeType: 'text/plain' },
							data: file('photo.png'),
							mask: file('mask.png'),
							second: file('photo.jpg'),
						},
					},
				],
			},
		);
		expect(run.error).toBeUndefined();
		const urls = onlyJob().body.image_urls as string[];
		expect(urls).toHaveLength(2);
		expect(urls[0].endsWith('.png')).toBe(true);
		expect(urls[1].endsWith('.jpg')).toBe(true);
		expect(uploadedUrl(onlyJob().body.mask)).toBe(true);
		expect(uploads()).toHaveLength(1);
	});

	it('URL only input: nothing is uploaded', async () => {
		const run = await runSegmind(emulator, editParameters(emulator), { binaryMode });
		expect(run.error).toBeUndefined();
		expect(uploads()).toEqual([]);
		expect(onlyJob().body.image_urls).toEqual([emulator.fixtureUrl('photo.png')]);
	});

	it('one upload per item, each with its own images', async () => {
		const run = await runSegmind(emulator, binaryParameters(), {
			binaryMode,
			items: [
				{ json: {}, binary: { data: file('photo.png') } },
				{ json: {}, binary: { data: file('tall.png') } },
			],
		});
		expect(run.error).toBeUndefined();
		expect(uploads()).toHaveLength(2);
		expect(run.items.map((item) => [item.json.width, item.json.height])).toEqual([
			[1024, 1024],
			[1024, 1536],
		]);
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('several result images: one item per image, or all on one item', async () => {
		emulator.nextJobs({ resultShape: 'images', imageCount: 3 });
		const separate = await runSegmind(
			emulator,
			binaryParameters({ options: { pollInterval: 0.2, separateItems: true } }),
			{ binaryMode, items: [{ json: {}, binary: { data: file('photo.png') } }] },
		);
		expect(separate.error).toBeUndefined();
		const id = onlyJob().id;
		expect(separate.items).toHaveLength(3);
		expect(separate.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
		expect(separate.items.map((item) => Object.keys(item.binary ?? {}))).toEqual([['data'], ['data'], ['data']]);
		expect(separate.items.map((item) => item.binary?.data.fileName)).toEqual([
			`gpt-image-1-edit-mini-${id}.png`,
			`gpt-image-1-edit-mini-${id}-1.png`,
			`gpt-image-1-edit-mini-${id}-2.png`,
		]);
		expect(separate.items.map((item) => item.json.imageIndex)).toEqual([0, 1, 2]);
		for (const item of separate.items) {
			expect(item.json.outputUrl).toEqual(expect.stringContaining(emulator.imageUrl));
			expect(item.json.outputUrls).toHaveLength(3);
			expect((await sharp(await separate.getBinaryBuffer(item)).metadata()).format).toBe('png');
		}

		emulator.reset();
		emulator.nextJobs({ resultShape: 'images', imageCount: 3 });
		const together = await runSegmind(emulator, binaryParameters(), {
			binaryMode,
			items: [{ json: {}, binary: { data: file('photo.png') } }],
		});
		expect(together.items).toHaveLength(1);
		expect(Object.keys(together.items[0].binary ?? {})).toEqual(['data', 'data_1', 'data_2']);
	});
});

describe.each(['filesystem', 'default'] as const)('URL Only output in binary mode %s', (binaryMode) => {
	it('a binary input, one item per result image, hosted URLs in JSON, nothing downloaded', async () => {
		emulator.nextJobs({ resultShape: 'url-array', imageCount: 2 });
		const run = await runSegmind(
			emulator,
			binaryParameters({ options: { pollInterval: 0.2, outputMode: 'url', separateItems: true } }),
			{ binaryMode, items: [{ json: {}, binary: { data: file('photo.png') } }] },
		);
		expect(run.error).toBeUndefined();
		expect(uploads()).toHaveLength(1);
		expect(run.items).toHaveLength(2);
		for (const item of run.items) {
			expect(item.binary).toBeUndefined();
			expect(item.pairedItem).toEqual({ item: 0 });
		}
		expect(run.items.map((item) => item.json.outputUrl)).toEqual(run.items[0].json.outputUrls);
		const id = onlyJob().id;
		expect(emulator.requests.filter((request) => request.origin === 'images' && request.path.includes(id))).toEqual([]);
	});
});

describe('input checks before any credit is spent (zero requests to the emulator)', () => {
	const photo = () => ({ data: file('photo.png') });
	const cases: Array<[string, IDataObject, () => Record<string, InputBinary>, string]> = [
		['an empty prompt', { prompt: '  ' }, photo, '"Prompt" is empty'],
		['a prompt over 32,000 characters', { prompt: 'x'.repeat(32_001) }, photo, 'at most 32000'],
		['no image at all', { inputBinaryFields: '' }, photo, 'needs at least 1 URL (or an image from "Input Binary Fields")'],
		[
			'more than 16 images (URLs and binaries together)',
			{ imageUrls: Array.from({ length: 15 }, (_v, i) => `https://example.com/${i}.png`), inputBinaryFields: 'data, other' },
			() => ({ data: file('photo.png'), other: file('photo.jpg') }),
			'give 17 images (15 URLs, 2 binary); the model takes at most 16',
		],
		[
			'text that claims to be a PNG',
			{},
			() => ({ data: file('not-an-image.png') }),
			'"Input Binary Fields": binary field "data" (not-an-image.png) is not a PNG, JPEG or WebP image',
		],
		['a GIF (by its bytes, whatever its stated type)', {}, () => ({ data: file('photo.gif', 'image/png', 'photo.png') }), 'is a GIF image; only PNG, JPEG or WebP is accepted'],
		['an empty file', {}, () => ({ data: { buffer: Buffer.alloc(0), fileName: 'empty.png', mimeType: 'image/png' } }), 'is empty'],
		['an image of 50 MB', {}, () => ({ data: pngOfSize('photo.png', 50_000_000) }), 'is 50 MB; each file must be under 50 MB'],
		['a binary field the item does not have', { inputBinaryFields: 'photo' }, photo, 'the item has no binary field "photo" (its binary fields are "data")'],
		[
			'a mask that is not a PNG',
			{ maskBinaryField: 'mask' },
			() => ({ data: file('photo.png'), mask: file('photo.jpg', 'image/png', 'mask.png') }),
			'"Mask Binary Field": binary field "mask" (mask.png) is a JPEG image; only PNG is accepted',
		],
		[
			'a mask of 4 MB or more',
			{ maskBinaryField: 'mask' },
			() => ({ data: file('photo.png'), mask: pngOfSize('mask.png', 4_000_000) }),
			'is 4 MB; each file must be under 4 MB',
		],
		[
			'a mask of another size than the first image',
			{ maskBinaryField: 'mask' },
			() => ({ data: file('wide.png'), mask: file('mask.png') }),
			'is 1024x1024, but the first image (binary field "data" (wide.png)) is 1536x1024; they must be the same size',
		],
		[
			'a mask given both as URL and as binary',
			{ maskBinaryField: 'mask', mask: 'https://example.com/mask.png' },
			() => ({ data: file('photo.png'), mask: file('mask.png') }),
			'Set either "Mask URL" or "Mask Binary Field", not both',
		],
		['a transparent background with JPEG output', { background: 'transparent', outputFormat: 'jpeg' }, photo, 'transparent background needs PNG or WebP'],
		['a compression outside 1-100', { outputCompression: 101 }, photo, 'whole number from 1 to 100'],
		['a size not on the list', { size: '512x512' }, photo, '"Size" is "512x512"; allowed values are'],
		['a quality not on the list', { quality: 'ultra' }, photo, '"Quality" is "ultra"; allowed values are'],
		['a background not on the list', { background: 'none' }, photo, '"Background" is "none"; allowed values are'],
		['a format not on the list', { outputFormat: 'gif' }, photo, '"Output Format" is "gif"; allowed values are'],
		['a moderation not on the list', { moderation: 'off' }, photo, '"Moderation" is "off"; allowed values are'],
		['a malformed image URL next to binaries', { imageUrls: ['not a url'] }, photo, 'not an http(s) URL'],
		['a malformed mask URL', { mask: 'mask.png' }, photo, '"Mask URL" "mask.png" is not an http(s) URL'],
	];

	it.each(cases)('rejects %s, naming the item and the field', async (_case, overrides, binary, expected) => {
		for (const binaryMode of ['filesystem', 'default'] as const) {
			const run = await runSegmind(emulator, binaryParameters(overrides), { binaryMode, items: [{ json: {}, binary: binary() }] });
			expect(String(run.error?.message)).toContain(expected);
			expect(String(run.error?.message)).toContain('[item 0]');
			expect(String((run.error as { description?: string } | undefined)?.description)).toContain('no credit was spent');
			expect(emulator.requests).toEqual([]);
		}
	});

	it('checks every item (binaries included) before the first upload or submit', async () => {
		const run = await runSegmind(emulator, binaryParameters(), {
			items: [
				{ json: {}, binary: { data: file('photo.png') } },
				{ json: {}, binary: { data: file('photo.jpg') } },
				{ json: {}, binary: { data: file('not-an-image.png') } },
			],
		});
		expect(String(run.error?.message)).toContain('binary field "data" (not-an-image.png) is not a PNG, JPEG or WebP image by its content (its stated type is "image/png") [item 2]');
		expect(emulator.requests).toEqual([]);
	});

	it('with Continue On Fail, a bad binary becomes an error item and the other items run', async () => {
		const run = await runSegmind(emulator, binaryParameters(), {
			continueOnFail: true,
			items: [
				{ json: {}, binary: { data: file('photo.png') } },
				{ json: {}, binary: { data: file('photo.gif', 'image/gif') } },
				{ json: {}, binary: { data: file('photo.webp') } },
			],
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(3);
		expect(run.items[1].json.error).toContain('is a GIF image');
		expect(run.items[1].pairedItem).toEqual({ item: 1 });
		expect(run.items[0].binary?.data).toBeDefined();
		expect(run.items[2].binary?.data).toBeDefined();
		expect(uploads()).toHaveLength(2);
		expect(emulator.submitCount()).toBe(2);
	});
});

describe('node panel', () => {
	const properties = new Segmind().description.properties;
	const named = (name: string) => properties.filter((property) => property.name === name);

	it('offers the binary input fields for the models with image URL / mask fields only', () => {
		const editModels = ['gpt-image-1-edit-mini', 'gpt-image-1.5-edit', 'gpt-image-1-edit'];
		for (const name of ['inputBinaryFields', 'useAllImageBinaries', 'maskBinaryField']) {
			expect(named(name)).toHaveLength(1);
			const show = named(name)[0].displayOptions?.show;
			expect(show?.operation).toEqual(['edit']);
			expect(show?.model).toEqual(editModels);
		}
		expect(named('inputBinaryFields')[0]).toMatchObject({ type: 'string', default: '' });
		expect(named('useAllImageBinaries')[0]).toMatchObject({ type: 'boolean', default: false });
		expect(named('maskBinaryField')[0]).toMatchObject({ displayName: 'Mask Binary Field', type: 'string', default: '' });
		// Image URLs may stay empty when the images come as binary data.
		for (const property of named('imageUrls')) expect(property.required).toBe(false);
		// Right after the fields they stand in for.
		const order = properties.map((property) => property.name);
		expect(order.indexOf('inputBinaryFields')).toBe(order.lastIndexOf('imageUrls') + 1);
		expect(order.indexOf('maskBinaryField')).toBe(order.lastIndexOf('mask') + 1);
	});

	it('adds One Item per Image and File Name to the options', () => {
		const options = named('options').flatMap((property) => property.options ?? []) as Array<{ name: string; default: unknown }>;
		expect(options.filter((option) => option.name === 'separateItems').map((option) => option.default)).toContain(false);
		expect(options.filter((option) => option.name === 'fileName').map((option) => option.default)).toContain('{model}-{requestId}');
	});
});

describe('upload-asset', () => {
	it('goes to Segmind\'s upload host with the default base URL, else under the base URL', () => {
		expect(SEGMIND_UPLOAD_URL).toBe('https://workflows-api.segmind.com/upload-asset');
		expect(uploadAssetUrl('https://api.segmind.com')).toBe(SEGMIND_UPLOAD_URL);
		expect(uploadAssetUrl('https://api.segmind.com/')).toBe(SEGMIND_UPLOAD_URL);
		expect(uploadAssetUrl('http://127.0.0.1:8790')).toBe('http://127.0.0.1:8790/upload-asset');
		expect(uploadAssetUrl('https://proxy.example.com/segmind/')).toBe('https://proxy.example.com/segmind/upload-asset');
	});

	it('reads the older answer shape {urls: [...]} too', async () => {
		const older = await startEmulator({ apiKey: API_KEY, jobDurationMs: 300, uploadResponseKey: 'urls' });
		try {
			const run = await runSegmind(older, editParameters(older, { imageUrls: [], inputBinaryFields: 'data' }), {
				items: [{ json: {}, binary: { data: file('photo.png') } }],
			});
			expect(run.error).toBeUndefined();
			const job = [...older.jobs.values()][0];
			expect(String((job.body.image_urls as string[])[0]).startsWith(`${older.imageUrl}/images/assets/`)).toBe(true);
		} finally {
			await older.close();
		}
	});

	it('is retried on a 5xx (uploads are not billed), then the job runs once', async () => {
		emulator.injectFault({ route: 'upload', status: 502, times: 2 });
		const run = await runSegmind(emulator, binaryParameters(), { items: [{ json: {}, binary: { data: file('photo.png') } }] });
		expect(run.error).toBeUndefined();
		expect(uploads()).toHaveLength(3);
		expect(emulator.submitCount()).toBe(1);
	});

	it('is retried after a broken connection or an unreadable answer', async () => {
		emulator.injectFault({ route: 'upload', kind: 'reset', times: 1 });
		emulator.injectFault({ route: 'upload', kind: 'malformed', times: 1 });
		const run = await runSegmind(emulator, binaryParameters(), { items: [{ json: {}, binary: { data: file('photo.png') } }] });
		expect(run.error).toBeUndefined();
		expect(uploads()).toHaveLength(3);
		expect(emulator.submitCount()).toBe(1);
	});

	it('that keeps failing ends the item before its submit: nothing billed', async () => {
		emulator.injectFault({ route: 'upload', status: 503, times: Infinity });
		const run = await runSegmind(emulator, binaryParameters({ options: { pollInterval: 0.2, timeout: 2 } }), { items: [{ json: {}, binary: { data: file('photo.png') } }] });
		expect(String(run.error?.message)).toContain("Could not upload the input image(s) to Segmind before the item's deadline (last: HTTP 503;");
		expect(uploads().length).toBeGreaterThan(1);
		expect(submits()).toEqual([]);
	});

	it('a refused upload (400) says so and is not retried', async () => {
		emulator.injectFault({ route: 'upload', status: 400, body: { error: 'data_urls[0] is too large' } });
		const run = await runSegmind(emulator, binaryParameters(), { items: [{ json: {}, binary: { data: file('photo.png') } }] });
		expect(String(run.error?.message)).toContain('Segmind refused to upload the input image(s) (HTTP 400): data_urls[0] is too large');
		expect(uploads()).toHaveLength(1);
		expect(submits()).toEqual([]);
	});

	it('an answer without the right number of URLs is an error, not a job with missing images', async () => {
		emulator.injectFault({ route: 'upload', status: 200, body: { message: 'ok', file_urls: [] } });
		const run = await runSegmind(emulator, binaryParameters(), { items: [{ json: {}, binary: { data: file('photo.png') } }] });
		expect(String(run.error?.message)).toContain('upload-asset should return 1 file URL');
		expect(submits()).toEqual([]);
	});
});

describe('outputs', () => {
	it('names files after the File Name pattern, with the extension of the bytes', async () => {
		emulator.nextJobs({ resultShape: 'images', imageCount: 2 });
		const run = await runSegmind(
			emulator,
			editParameters(emulator, {
				outputFormat: 'webp',
				options: { pollInterval: 0.2, fileName: 'edit {itemIndex}/{index} of {model}.png' },
			}),
		);
		expect(run.error).toBeUndefined();
		const binary = run.items[0].binary ?? {};
		expect(binary.data.fileName).toBe('edit_0_0_of_gpt-image-1-edit-mini.webp');
		expect(binary.data_1.fileName).toBe('edit_0_1_of_gpt-image-1-edit-mini.webp');
		expect(binary.data.mimeType).toBe('image/webp');
		expect(binary.data.fileExtension).toBe('webp');
	});

	it('takes the MIME type and extension from the bytes, not from what the image host claims', async () => {
		const run = await runSegmind(
			emulator,
			editParameters(emulator, { prompt: 'Brighter [emu:type=text/html]', outputFormat: 'jpeg' }),
		);
		expect(run.error).toBeUndefined();
		const binary = run.items[0].binary!.data;
		expect(binary.mimeType).toBe('image/jpeg');
		expect(binary.fileName).toBe(`gpt-image-1-edit-mini-${onlyJob().id}.jpg`);
	});

	describe.each(['filesystem', 'default'] as const)('streamed download in binary mode %s', (binaryMode) => {
		/** The node, recording what it hands to prepareBinaryData: a stream or a whole buffer. */
		const stored: string[] = [];
		class SegmindRecordingStorage extends Segmind {
			async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
				const helpers = this.helpers;
				const recording = Object.create(helpers, {
					prepareBinaryData: {
						value: async (...args: Parameters<typeof helpers.prepareBinaryData>) => {
							stored.push(Buffer.isBuffer(args[0]) ? 'buffer' : 'stream');
							return await helpers.prepareBinaryData(...args);
						},
					},
				}) as typeof helpers;
				const context = Object.create(this, { helpers: { value: recording } }) as IExecuteFunctions;
				return await Segmind.prototype.execute.call(context);
			}
		}
		beforeEach(() => {
			stored.length = 0;
		});

		it('hands the download to n8n as a stream, with the sniffed head put back in front', async () => {
			const run = await runSegmind(emulator, editParameters(emulator), {
				binaryMode,
				nodeType: new SegmindRecordingStorage(),
			});
			expect(run.error).toBeUndefined();
			const bytes = await run.getBinaryBuffer(run.items[0]);
			expect(bytes.length).toBeGreaterThan(64 * 1024);
			expect(stored).toEqual(['stream']);
			const metadata = await sharp(bytes).metadata();
			expect(metadata).toMatchObject({ format: 'png', width: 1024, height: 1024 });
			// Complete: sharp decodes every pixel.
			await sharp(bytes).raw().toBuffer();
		});

		it('downloads again when the transfer breaks midway', async () => {
			emulator.injectFault({ route: 'image', kind: 'reset-mid-body', times: 1 });
			const run = await runSegmind(emulator, editParameters(emulator), {
				binaryMode,
				nodeType: new SegmindRecordingStorage(),
			});
			expect(run.error).toBeUndefined();
			const downloads = emulator.requests.filter((request) => request.origin === 'images' && request.path.includes(onlyJob().id));
			expect(downloads).toHaveLength(2);
			const bytes = await run.getBinaryBuffer(run.items[0]);
			await sharp(bytes).raw().toBuffer();
			expect(emulator.submitCount()).toBe(1);
		});
	});
});
