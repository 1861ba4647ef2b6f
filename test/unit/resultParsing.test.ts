import sharp from 'sharp';

import { detectImageFormat } from '../../nodes/Segmind/io/imageFormat';
import { findResultImages } from '../../nodes/Segmind/io/resultImages';
import { parseRetryAfter, retryDelayMs } from '../../nodes/Segmind/transport/retryPolicy';

async function makeImage(format: 'png' | 'jpeg' | 'webp' | 'gif', width: number, height: number): Promise<Buffer> {
	const image = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } });
	return await image.toFormat(format).toBuffer();
}

describe('detectImageFormat', () => {
	it.each([
		['png', 'image/png', 'png'],
		['jpeg', 'image/jpeg', 'jpg'],
		['webp', 'image/webp', 'webp'],
		['gif', 'image/gif', 'gif'],
	] as const)('recognises %s by its bytes and reads its size', async (format, mimeType, extension) => {
		const detected = detectImageFormat(await makeImage(format, 321, 123));
		expect(detected).toEqual({ mimeType, extension, width: 321, height: 123 });
	});

	it('reads the size of lossless and alpha WebP variants', async () => {
		const lossless = await sharp({ create: { width: 77, height: 55, channels: 4, background: '#00ff0080' } })
			.webp({ lossless: true })
			.toBuffer();
		expect(detectImageFormat(lossless)).toMatchObject({ width: 77, height: 55 });
	});

	it('rejects bytes that only claim to be an image', () => {
		expect(detectImageFormat(Buffer.from('<html>not an image</html>'))).toBeUndefined();
		expect(detectImageFormat(Buffer.alloc(0))).toBeUndefined();
	});
});

describe('findResultImages', () => {
	const url = 'https://images.segmind.com/outputs/a.png';
	const second = 'https://images.segmind.com/outputs/b.png';

	it.each([
		['output as a URL string', { output: url }],
		['output as an array', { output: [url, second] }],
		['output as a JSON string', { output: JSON.stringify([url, second]) }],
		['images[].url', { images: [{ url }, { url: second }] }],
		['output objects with url', { output: [{ url }] }],
	])('finds the URLs in %s', (_shape, result) => {
		const found = findResultImages(result);
		expect(found[0]).toEqual({ kind: 'url', url });
		expect(found.every((image) => image.kind === 'url')).toBe(true);
	});

	it('decodes base64 and data URLs', async () => {
		const png = await makeImage('png', 10, 10);
		for (const output of [png.toString('base64'), `data:image/png;base64,${png.toString('base64')}`]) {
			const [image] = findResultImages({ output });
			expect(image.kind).toBe('inline');
			expect(image.kind === 'inline' && image.data.equals(png)).toBe(true);
		}
		const [openAiStyle] = findResultImages({ data: [{ b64_json: png.toString('base64') }] });
		expect(openAiStyle.kind === 'inline' && openAiStyle.data.equals(png)).toBe(true);
	});

	it('finds nothing where there is no image, and lists a URL once', () => {
		expect(findResultImages({ output: null, status: 'COMPLETED' })).toEqual([]);
		expect(findResultImages({ output: 'done' })).toEqual([]);
		expect(findResultImages({ output: '' })).toEqual([]);
		expect(findResultImages({ output: url, images: [{ url }] })).toEqual([{ kind: 'url', url }]);
	});
});

describe('retry policy', () => {
	const policy = { maxAttempts: 4, baseDelayMs: 400, maxDelayMs: 1000 };

	it('backs off exponentially with jitter, capped', () => {
		for (let i = 0; i < 50; i++) {
			const first = retryDelayMs(1, policy);
			expect(first).toBeGreaterThanOrEqual(200);
			expect(first).toBeLessThanOrEqual(400);
			const late = retryDelayMs(6, policy);
			expect(late).toBeGreaterThanOrEqual(500);
			expect(late).toBeLessThanOrEqual(1000);
		}
	});

	it('waits at least as long as Retry-After asks, in seconds or as a date', () => {
		const now = Date.UTC(2026, 10, 24, 12, 0, 0);
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter(new Date(now + 5000).toUTCString(), now)).toBe(5000);
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter('100000', now)).toBe(60000);
		expect(retryDelayMs(1, policy, 3000)).toBe(3000);
	});
});
