import sharp from 'sharp';

import { detectImageFormat } from '../../nodes/Segmind/io/imageFormat';
import { findResultImages } from '../../nodes/Segmind/io/resultImages';

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
