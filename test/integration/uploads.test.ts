/**
 * Bounded uploads: an item's binary inputs go to upload-asset in requests split by size (one
 * request where everything fits), read one file at a time; a total above the node's limit is
 * refused before anything is sent.
 */
import { makeFixtures } from '../emulator/images';
import { UPLOAD_REQUEST_MAX_BASE64, UPLOAD_TOTAL_MAX_BYTES } from '../../nodes/Segmind/io/inputImages';
import { editParameters, runSegmind, startTestEmulator } from './setup';
import type { Emulator } from './setup';

let emulator: Emulator;
let png: Buffer;

beforeAll(async () => {
	emulator = await startTestEmulator();
	png = (await makeFixtures()).get('small.png')!.bytes;
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => emulator.reset());

/** A PNG of `size` bytes: a real image followed by padding (decoders stop at IEND). */
const paddedPng = (size: number) => {
	const buffer = Buffer.alloc(size);
	png.copy(buffer);
	return { buffer, fileName: `padded-${size}.png`, mimeType: 'image/png' };
};
const uploads = () => emulator.requests.filter((request) => request.path === '/upload-asset');
const submits = () => emulator.requests.filter((request) => request.method === 'POST' && request.path.startsWith('/v2/'));

/** Edit parameters: a URL first (the image the emulator edits), then the item's binaries. */
const parameters = () =>
	editParameters(emulator, { imageUrls: [emulator.fixtureUrl('photo.png')], inputBinaryFields: 'a, b, c' });

describe('uploads split by size', () => {
	it('sends images that fit together in one request', async () => {
		const run = await runSegmind(emulator, parameters(), {
			items: [{ json: {}, binary: { a: paddedPng(1_000_000), b: paddedPng(1_000_000), c: paddedPng(1_000_000) } }],
		});
		expect(run.error).toBeUndefined();
		expect(uploads()).toHaveLength(1);
		expect((run.items[0].json.parameters as { image_urls: string[] }).image_urls).toHaveLength(4);
	});

	it('splits images that do not fit into several requests, keeping their order', async () => {
		// Three 8 MB files are ~10.7 MB of base64 each: two fit under the cap, the third goes alone.
		const size = 8_000_000;
		expect(2 * Math.ceil(size / 3) * 4).toBeLessThan(UPLOAD_REQUEST_MAX_BASE64);
		expect(3 * Math.ceil(size / 3) * 4).toBeGreaterThan(UPLOAD_REQUEST_MAX_BASE64);
		const run = await runSegmind(emulator, parameters(), {
			items: [{ json: {}, binary: { a: paddedPng(size), b: paddedPng(size + 1), c: paddedPng(size + 2) } }],
		});
		expect(run.error).toBeUndefined();
		expect(uploads()).toHaveLength(2);
		expect(submits()).toHaveLength(1);
		const urls = (run.items[0].json.parameters as { image_urls: string[] }).image_urls;
		expect(urls).toHaveLength(4);
		// Each hosted file is the one at its place: sizes 8 000 000, +1, +2 in the order given.
		const sizes = await Promise.all(urls.slice(1).map(async (url) => (await (await fetch(url)).arrayBuffer()).byteLength));
		expect(sizes).toEqual([size, size + 1, size + 2]);
	}, 60_000);

	it(`refuses an item whose images add up to more than ${UPLOAD_TOTAL_MAX_BYTES / 1e6} MB before any request`, async () => {
		const size = 41_000_000;
		const binary = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((name) => [name, paddedPng(size)]));
		const run = await runSegmind(
			emulator,
			editParameters(emulator, { imageUrls: [], inputBinaryFields: 'a, b, c, d, e' }),
			{ items: [{ json: {}, binary }] },
		);
		expect(String(run.error?.message)).toBe(
			"The item's binary images are 205 MB together; at most 200 MB can be uploaded for one item [item 0]",
		);
		expect(String((run.error as { description?: string }).description)).toContain('no credit was spent');
		expect(emulator.requests).toHaveLength(0);
	}, 60_000);
});
