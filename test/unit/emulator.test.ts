/**
 * Tests of the Segmind API emulator itself (test/emulator): the protocol of
 * /work/shared/segmind-api.md and the seed model pages, images, faults and clock control.
 */
import sharp from 'sharp';
import { sleep } from 'n8n-workflow';
import { startEmulator, DEFAULT_FAIL_ERROR, RESULT_SHAPES } from '../emulator';
import type { Emulator } from '../emulator';

type Json = Record<string, unknown>;

const KEY = 'test-key';
const H = { 'x-api-key': KEY, 'content-type': 'application/json' };
const EDIT = 'gpt-image-1-edit-mini';

let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator();
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => {
	emu.reset();
});

async function post(
	path: string,
	body: unknown,
	headers: Record<string, string> = H,
): Promise<{ status: number; json: Json; headers: Headers }> {
	const res = await fetch(`${emu.apiUrl}${path}`, {
		method: 'POST',
		headers,
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, json: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
}

async function get(
	url: string,
	headers: Record<string, string> = H,
): Promise<{ status: number; json: Json }> {
	const res = await fetch(url.startsWith('http') ? url : `${emu.apiUrl}${url}`, { headers });
	return { status: res.status, json: (await res.json()) as Json };
}

function editBody(extra: Json = {}): Json {
	return { prompt: 'make it brighter', image_urls: [emu.fixtureUrl('photo.png')], ...extra };
}

/** Submit and return the submit answer (asserting 200). */
async function submit(body: Json = editBody(), model = EDIT): Promise<Json> {
	const r = await post(`/v2/${model}`, body);
	expect(r.status).toBe(200);
	return r.json;
}

async function download(url: string): Promise<{ bytes: Buffer; contentType: string | null }> {
	const res = await fetch(url);
	expect(res.status).toBe(200);
	return { bytes: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type') };
}

/** The image of a COMPLETED result, whatever its shape. */
async function imageOf(result: Json): Promise<Buffer> {
	let ref: unknown = result.output;
	if (ref === undefined && Array.isArray(result.images)) {
		ref = (result.images[0] as { url: string }).url;
	}
	if (typeof ref === 'string' && ref.startsWith('[')) ref = (JSON.parse(ref) as string[])[0];
	if (Array.isArray(ref)) ref = ref[0];
	if (typeof ref !== 'string') throw new Error(`no image in ${JSON.stringify(result)}`);
	if (ref.startsWith('http')) return (await download(ref)).bytes;
	if (ref.startsWith('data:')) return Buffer.from(ref.split(',')[1], 'base64');
	return Buffer.from(ref, 'base64');
}

/** Submit, jump the clock past completion, fetch the result. */
async function runToResult(body: Json = editBody(), model = EDIT): Promise<{ status: number; json: Json }> {
	const s = await submit(body, model);
	emu.advanceTime(10_000);
	return get(s.response_url as string);
}

describe('auth', () => {
	it.each([
		['missing key', {}],
		['wrong key', { 'x-api-key': 'nope' }],
	])('answers 401 with %s on every API route', async (_label, headers: Record<string, string>) => {
		const hdrs = { ...headers, 'content-type': 'application/json' };
		const submitted = await post(`/v2/${EDIT}`, editBody(), hdrs);
		expect(submitted.status).toBe(401);
		expect(submitted.json).toEqual({ error: 'Invalid API key' });
		expect((await post(`/v1/${EDIT}`, editBody(), hdrs)).status).toBe(401);
		expect((await post('/upload-asset', { data_urls: [] }, hdrs)).status).toBe(401);
		expect((await get('/v1/get-user-credits', hdrs)).status).toBe(401);
		const s = await submit();
		expect((await get(s.status_url as string, hdrs)).status).toBe(401);
		expect((await get(s.response_url as string, hdrs)).status).toBe(401);
		expect(emu.submitCount()).toBe(1);
	});

	it('get-user-credits returns the balance', async () => {
		const r = await get('/v1/get-user-credits');
		expect(r).toEqual({ status: 200, json: { credits: 100, 'free-credits': 0.018 } });
	});

	it('forbidden-key passes the credits check but gets 403 on submits', async () => {
		const fk = { 'x-api-key': 'forbidden-key', 'content-type': 'application/json' };
		expect((await get('/v1/get-user-credits', fk)).status).toBe(200);
		const r = await post(`/v2/${EDIT}`, editBody(), fk);
		expect(r.status).toBe(403);
		expect(typeof r.json.error).toBe('string');
		expect((await post(`/v1/${EDIT}`, editBody(), fk)).status).toBe(403);
		expect(emu.submitCount()).toBe(0);
	});
});

describe('async v2 lifecycle', () => {
	it('submit → QUEUED → PROCESSING → COMPLETED, status never carries the output', async () => {
		const s = await submit();
		const id = s.request_id as string;
		expect(id).toMatch(/^[0-9a-f-]{36}$/);
		expect(s).toEqual({
			request_id: id,
			status: 'QUEUED',
			poll_url: `${emu.apiUrl}/v1/requests/${id}`,
			status_url: `${emu.apiUrl}/v2/requests/${id}/status`,
			response_url: `${emu.apiUrl}/v2/requests/${id}`,
		});
		expect(emu.submitCount()).toBe(1);
		expect(emu.submitCount(EDIT)).toBe(1);
		expect(emu.submitCount('gpt-image-1.5-edit')).toBe(0);
		const job = emu.jobs.get(id);
		expect(job?.body).toEqual(editBody());
		expect(job?.state).toBe('QUEUED');

		expect((await get(s.status_url as string)).json).toEqual({
			status: 'QUEUED',
			request_id: id,
			metrics: {},
		});
		const running = await get(s.response_url as string);
		expect(running.status).toBe(200);
		expect(running.json).toEqual({ status: 'QUEUED', request_id: id, metrics: {} });

		emu.advanceTime(150); // default: 90 ms queued, 300 ms total
		expect((await get(s.status_url as string)).json.status).toBe('PROCESSING');
		expect((await get(s.response_url as string)).json.output).toBeUndefined();

		emu.advanceTime(200);
		const done = await get(s.status_url as string);
		expect(done).toEqual({
			status: 200,
			json: { status: 'COMPLETED', request_id: id, metrics: { inference_time: 0.3 } },
		});
		const result = await get(s.response_url as string);
		expect(result.status).toBe(200);
		expect(result.json).toMatchObject({
			status: 'COMPLETED',
			error: null,
			metrics: { inference_time: 0.3 },
			request_id: id,
			output: `${emu.imageUrl}/images/${id}.png`,
		});
		// poll_url (v1) answers like the v2 result route
		expect((await get(s.poll_url as string)).json).toEqual(result.json);
	});

	it('finishes in real time too (short duration)', async () => {
		emu.nextJobs({ durationMs: 40, cost: 0.028, inferenceTime: 12.5 });
		const s = await submit();
		await sleep(80);
		const done = await get(s.status_url as string);
		expect(done.json).toEqual({
			status: 'COMPLETED',
			request_id: s.request_id,
			metrics: { inference_time: 12.5, cost: 0.028 },
		});
	});

	it('FAILED answers 422 with the error on status, result and poll_url', async () => {
		emu.nextJobs({ outcome: 'FAILED' });
		const s = await submit();
		emu.advanceTime(1000);
		for (const url of [s.status_url, s.response_url, s.poll_url] as string[]) {
			const r = await get(url);
			expect(r.status).toBe(422);
			expect(r.json).toMatchObject({
				status: 'FAILED',
				error: DEFAULT_FAIL_ERROR,
				request_id: s.request_id,
			});
			expect(r.json.metrics).toBeDefined();
		}
	});

	it('404 for an unknown id and after the retention period', async () => {
		const unknown = await get('/v2/requests/00000000-0000-0000-0000-000000000000/status');
		expect(unknown).toEqual({ status: 404, json: { error: 'Request not found' } });
		expect((await get('/v2/requests/nope')).status).toBe(404);
		expect((await get('/v1/requests/nope')).status).toBe(404);

		const s = await submit();
		emu.advanceTime(300 + 3_600_000 - 1000);
		expect((await get(s.status_url as string)).status).toBe(200);
		emu.advanceTime(2000);
		expect((await get(s.status_url as string)).status).toBe(404);
		expect((await get(s.response_url as string)).json).toEqual({ error: 'Request not found' });
	});

	it('404 for an unknown model and an unknown route', async () => {
		const r = await post('/v2/no-such-model', editBody());
		expect(r).toMatchObject({ status: 404, json: { error: 'Model not found' } });
		expect((await get('/v3/whatever')).status).toBe(404);
		expect(emu.submitCount()).toBe(0);
	});
});

describe('result shapes', () => {
	it.each(RESULT_SHAPES.filter((s) => s !== 'none'))('%s carries a decodable image', async (shape) => {
		emu.nextJobs({ resultShape: shape });
		const r = await runToResult(editBody({ size: '1024x1024' }));
		expect(r.status).toBe(200);
		if (shape === 'images') expect(r.json.output).toBeUndefined();
		const md = await sharp(await imageOf(r.json)).metadata();
		expect([md.format, md.width, md.height]).toEqual(['png', 1024, 1024]);
	});

	it('shapes have the documented form', async () => {
		const seen: Record<string, unknown> = {};
		for (const shape of RESULT_SHAPES) {
			emu.nextJobs({ resultShape: shape });
			seen[shape] = (await runToResult()).json;
		}
		const out = (s: string) => (seen[s] as Json).output;
		expect(typeof out('url')).toBe('string');
		expect(Array.isArray(out('url-array'))).toBe(true);
		expect(JSON.parse(out('json-string') as string)).toHaveLength(1);
		expect((seen.images as Json).images).toEqual([{ url: expect.stringMatching(/^http:/) }]);
		expect(out('base64')).toMatch(/^iVBOR/);
		expect(out('data-url')).toMatch(/^data:image\/png;base64,iVBOR/);
		expect(out('none')).toBeNull();
		expect(seen.none).toMatchObject({ status: 'COMPLETED', error: null });
	});

	it('prompt tags select behaviour ([emu:shape], [emu:noimage], [emu:fail=…], [emu:duration])', async () => {
		const a = await runToResult(editBody({ prompt: 'x [emu:shape=images]' }));
		expect(a.json.images).toBeDefined();
		const b = await runToResult(editBody({ prompt: 'x [emu:noimage]' }));
		expect(b.json.output).toBeNull();
		const c = await runToResult(editBody({ prompt: 'x [emu:fail=nope, blocked]' }));
		expect(c).toMatchObject({ status: 422, json: { status: 'FAILED', error: 'nope, blocked' } });
		const d = await runToResult(editBody({ prompt: 'x [emu:fail]' }));
		expect(d.json.error).toBe(DEFAULT_FAIL_ERROR);
		const s = await submit(editBody({ prompt: 'x [emu:duration=5000]' }));
		emu.advanceTime(4000);
		expect((await get(s.status_url as string)).json.status).toBe('PROCESSING');
		emu.advanceTime(1001);
		expect((await get(s.status_url as string)).json.status).toBe('COMPLETED');
	});

	it('[emu:images=N] lists N images in a list shape', async () => {
		const r = await runToResult(editBody({ prompt: 'x [emu:shape=url-array] [emu:images=3]' }));
		expect(r.json.output).toHaveLength(3);
		const single = await runToResult(editBody({ prompt: 'x [emu:shape=url-array] [emu:images=0]' }));
		expect(single.json.output).toHaveLength(1);
	});

	it('imageContentType overrides what the image host sends', async () => {
		emu.nextJobs({ imageContentType: 'text/html' });
		const r = await runToResult();
		const res = await fetch(r.json.output as string);
		expect(res.headers.get('content-type')).toBe('text/html');
		await res.arrayBuffer();
	});
});

describe('output images', () => {
	it.each([
		['png', '1536x1024', 1536, 1024],
		['jpeg', '1024x1536', 1024, 1536],
		['webp', '1024x1024', 1024, 1024],
	])('%s %s', async (format, size, width, height) => {
		const r = await runToResult(editBody({ output_format: format, size, output_compression: 80 }));
		const { bytes, contentType } = await download(r.json.output as string);
		expect(contentType).toBe(`image/${format}`);
		expect(r.json.output).toMatch(new RegExp(`\\.${format === 'jpeg' ? 'jpg' : format}$`));
		const md = await sharp(bytes).metadata();
		expect([md.format, md.width, md.height]).toEqual([format, width, height]);
	});

	it('size auto follows the input aspect; generation models default to square', async () => {
		const wide = await runToResult(editBody({ image_urls: [emu.fixtureUrl('wide.png')] }));
		expect((await sharp(await imageOf(wide.json)).metadata()).width).toBe(1536);
		const tall = await runToResult(editBody({ image_urls: [emu.fixtureUrl('tall.png')] }));
		expect((await sharp(await imageOf(tall.json)).metadata()).height).toBe(1536);
		const web = await runToResult(editBody({ image_urls: ['https://example.com/a.jpg'] }));
		expect(web.status).toBe(200);
		const gen = await runToResult({ prompt: 'a red fox' }, 'gpt-image-1');
		const md = await sharp(await imageOf(gen.json)).metadata();
		expect([md.width, md.height]).toEqual([1024, 1024]);
	});

	it('is derived from the input (a visible edit: colours negated)', async () => {
		const r = await runToResult(editBody({ size: '1024x1024' }));
		const input = await sharp((await download(emu.fixtureUrl('photo.png'))).bytes)
			.raw()
			.toBuffer();
		const output = await sharp(await imageOf(r.json)).removeAlpha().raw().toBuffer();
		expect(output.length).toBe(input.length);
		for (const i of [0, 1, 2, 3 * (512 * 1024 + 512), 3 * (1000 * 1024 + 20) + 1]) {
			expect(Math.abs(output[i] - (255 - input[i]))).toBeLessThanOrEqual(2);
		}
		expect(output.equals(input)).toBe(false);
	});

	it('is deterministic for the same input and parameters', async () => {
		const a = await imageOf((await runToResult()).json);
		const b = await imageOf((await runToResult()).json);
		expect(a.equals(b)).toBe(true);
	});

	it.each(['png', 'webp'])('background transparent gives an alpha channel (%s)', async (format) => {
		const r = await runToResult(editBody({ background: 'transparent', output_format: format }));
		const img = sharp(await imageOf(r.json));
		const md = await img.metadata();
		expect(md.hasAlpha).toBe(true);
		expect((await img.stats()).isOpaque).toBe(false);
	});

	it('opaque output has no alpha', async () => {
		const r = await runToResult(editBody({ image_urls: [emu.fixtureUrl('mask.png')] }));
		expect((await sharp(await imageOf(r.json)).metadata()).hasAlpha).toBe(false);
	});

	it('an input that is not an image fails the job (422)', async () => {
		const r = await runToResult(editBody({ image_urls: [emu.fixtureUrl('not-an-image.png')] }));
		expect(r.status).toBe(422);
		expect(r.json.error).toMatch(/invalid_image_format/);
	});

	it('a mask must match the first image size', async () => {
		const ok = await runToResult(editBody({ mask: emu.fixtureUrl('mask.png') }));
		expect(ok.status).toBe(200);
		const bad = await runToResult(
			editBody({ image_urls: [emu.fixtureUrl('wide.png')], mask: emu.fixtureUrl('mask.png') }),
		);
		expect(bad.status).toBe(422);
		expect(bad.json.error).toMatch(/mask/);
	});
});

describe('validation (400)', () => {
	it.each<[string, Json, RegExp]>([
		['no prompt', { image_urls: ['https://x/y.png'] }, /prompt/],
		['empty prompt', { prompt: '  ', image_urls: ['https://x/y.png'] }, /prompt/],
		['prompt not a string', { prompt: 5, image_urls: ['https://x/y.png'] }, /prompt/],
		['no image_urls', { prompt: 'p' }, /image_urls/],
		['image_urls empty', { prompt: 'p', image_urls: [] }, /image_urls/],
		['image_urls a string', { prompt: 'p', image_urls: 'https://x/y.png' }, /image_urls/],
		['image_urls non-string entry', { prompt: 'p', image_urls: [1] }, /image_urls\[0\]/],
		['mask a number', { prompt: 'p', image_urls: ['https://x'], mask: 3 }, /mask/],
		['bad size', { prompt: 'p', image_urls: ['https://x'], size: '512x512' }, /size/],
		['bad quality', { prompt: 'p', image_urls: ['https://x'], quality: 'ultra' }, /quality/],
		['bad background', { prompt: 'p', image_urls: ['https://x'], background: 'clear' }, /background/],
		['bad moderation', { prompt: 'p', image_urls: ['https://x'], moderation: 'high' }, /moderation/],
		['bad output_format', { prompt: 'p', image_urls: ['https://x'], output_format: 'gif' }, /output_format/],
		['compression 101', { prompt: 'p', image_urls: ['https://x'], output_compression: 101 }, /output_compression/],
		['compression 50.5', { prompt: 'p', image_urls: ['https://x'], output_compression: 50.5 }, /output_compression/],
		['compression "80"', { prompt: 'p', image_urls: ['https://x'], output_compression: '80' }, /output_compression/],
		[
			'transparent jpeg',
			{ prompt: 'p', image_urls: ['https://x'], background: 'transparent', output_format: 'jpeg' },
			/transparent/,
		],
	])('%s', async (_label, body, message) => {
		const r = await post(`/v2/${EDIT}`, body);
		expect(r.status).toBe(400);
		expect(r.json.error).toMatch(message);
		expect(emu.submitCount()).toBe(0);
	});

	it('rejects invalid JSON, and image_urls on a generation model', async () => {
		expect((await post(`/v2/${EDIT}`, '{"prompt":')).status).toBe(400);
		const gen = await post('/v2/gpt-image-1.5', { prompt: 'p', image_urls: ['https://x'] });
		expect(gen.status).toBe(400);
		expect(gen.json.error).toMatch(/image_urls/);
	});

	it('accepts the seed examples (mask null, compression 0..100) on all edit models', async () => {
		for (const model of ['gpt-image-1-edit-mini', 'gpt-image-1.5-edit', 'gpt-image-1-edit']) {
			for (const c of [0, 1, 100]) {
				await submit(
					editBody({
						mask: null,
						size: 'auto',
						quality: 'high',
						background: 'opaque',
						output_compression: c,
						output_format: 'png',
						moderation: 'auto',
					}),
					model,
				);
			}
		}
		for (const model of ['gpt-image-1', 'gpt-image-1-mini', 'gpt-image-1.5']) {
			await submit({ prompt: 'p', quality: 'low', moderation: 'low' }, model);
		}
		expect(emu.submitCount()).toBe(12);
	});
});

describe('credits', () => {
	it('406 when credits are used up; each job is billed', async () => {
		emu.setCredits({ credits: 0, 'free-credits': 0.05 });
		await submit(); // 0.028 → 0.022 left
		expect(emu.getCredits()).toEqual({ credits: 0, 'free-credits': 0.022 });
		await submit(); // → 0
		const r = await post(`/v2/${EDIT}`, editBody());
		expect(r).toMatchObject({ status: 406, json: { error: 'Insufficient credits' } });
		expect((await post(`/v1/${EDIT}`, editBody())).status).toBe(406);
		expect(emu.submitCount()).toBe(2);
		expect((await get('/v1/get-user-credits')).json).toEqual({ credits: 0, 'free-credits': 0 });
	});

	it('starts from the configured balance', async () => {
		const poor = await startEmulator({ credits: { credits: 0, 'free-credits': 0 } });
		try {
			const r = await fetch(`${poor.apiUrl}/v2/${EDIT}`, {
				method: 'POST',
				headers: H,
				body: JSON.stringify(editBody()),
			});
			expect(r.status).toBe(406);
			await r.arrayBuffer();
		} finally {
			await poor.close();
		}
	});
});

describe('gpt-image-2 (one slug: generate, or edit the one image in `image`)', () => {
	const G2 = 'gpt-image-2';

	it('generates without an image, at a listed size', async () => {
		const r = await runToResult({ prompt: 'a sign', size: '2048x1152' }, G2);
		expect(r.status).toBe(200);
		const meta = await sharp(await imageOf(r.json)).metadata();
		expect([meta.width, meta.height]).toEqual([2048, 1152]);
	});

	it('edits the image given in `image`: size auto follows that input', async () => {
		const wide = await runToResult({ prompt: 'night', image: emu.fixtureUrl('wide.png') }, G2);
		expect((await sharp(await imageOf(wide.json)).metadata()).width).toBe(1536);
		const tall = await runToResult({ prompt: 'night', image: emu.fixtureUrl('tall.png') }, G2);
		expect((await sharp(await imageOf(tall.json)).metadata()).height).toBe(1536);
	});

	it('a custom width × height gives an image of that size', async () => {
		const r = await runToResult({ prompt: 'a sign', width: 1920, height: 1088 }, G2);
		const meta = await sharp(await imageOf(r.json)).metadata();
		expect([meta.width, meta.height]).toEqual([1920, 1088]);
	});

	it.each([
		[{ width: 1920, height: 1080 }, 'width and height must be multiples of 16 (got 1920x1080)'],
		[{ width: 3200, height: 1024 }, 'aspect ratio must be between 1:3 and 3:1 (got 3200x1024)'],
		[{ width: 4096, height: 2048 }, 'the longest edge must be at most 3840 (got 4096x2048)'],
		[{ width: 768, height: 768 }, 'total pixels must be between 655360 and 8294400 (got 589824)'],
		[{ width: 1024 }, 'width and height must both be integers (got number and undefined)'],
		[{ size: '4096x4096' }, 'size must be one of: 1024x1024, 1536x1024, 1024x1536, 2048x2048, 2048x1152, 1152x2048, 3840x2160, 2160x3840, auto (got "4096x4096")'],
		[{ image_urls: ['https://example.com/a.png'] }, 'image_urls is not a parameter of gpt-image-2: it takes one input image in image'],
		[{ mask: 'https://example.com/m.png' }, 'mask is not a parameter of gpt-image-2: it takes one input image in image'],
	])('400 for what Segmind would refuse: %j', async (extra, error) => {
		const r = await post(`/v2/${G2}`, { prompt: 'p', ...extra });
		expect(r).toMatchObject({ status: 400, json: { error } });
		expect(emu.submitCount()).toBe(0);
	});

	it('other models take no image, width or height', async () => {
		expect((await post('/v2/gpt-image-1.5', { prompt: 'p', image: 'https://example.com/a.png' })).status).toBe(400);
		expect((await post('/v2/gpt-image-1.5', { prompt: 'p', width: 1024, height: 1024 })).status).toBe(400);
	});

	it('costs 5 credits (its page says ~$5)', async () => {
		emu.setCredits({ credits: 20, 'free-credits': 0 });
		await submit({ prompt: 'p' }, G2);
		expect(emu.getCredits()).toEqual({ credits: 15, 'free-credits': 0 });
	});
});

describe('retired models', () => {
	it('retiredModels: the submit is refused with that status and text, before any job or charge', async () => {
		const refusing = await startEmulator({ retiredModels: { 'gpt-image-1': { status: 410, error: 'gpt-image-1 is retired' } } });
		try {
			for (const version of ['v1', 'v2']) {
				const r = await fetch(`${refusing.apiUrl}/${version}/gpt-image-1`, { method: 'POST', headers: H, body: JSON.stringify({ prompt: 'p' }) });
				expect(r.status).toBe(410);
				expect(await r.json()).toEqual({ error: 'gpt-image-1 is retired' });
			}
			expect(refusing.submitCount()).toBe(0);
			expect(refusing.getCredits().credits).toBe(100);
			const other = await fetch(`${refusing.apiUrl}/v2/gpt-image-1.5`, { method: 'POST', headers: H, body: JSON.stringify({ prompt: 'p' }) });
			expect(other.status).toBe(200);
			await other.arrayBuffer();
		} finally {
			await refusing.close();
		}
	});
});

describe('upload-asset', () => {
	async function dataUrl(name: string, mime: string): Promise<string> {
		const { bytes } = await download(emu.fixtureUrl(name));
		return `data:${mime};base64,${bytes.toString('base64')}`;
	}

	it('returns file_urls on the image origin that serve the bytes, usable as input', async () => {
		const r = await post('/upload-asset', {
			data_urls: [await dataUrl('photo.png', 'image/png'), await dataUrl('photo.jpg', 'image/jpeg')],
		});
		expect(r.status).toBe(200);
		expect(typeof r.json.message).toBe('string');
		const urls = r.json.file_urls as string[];
		expect(urls).toHaveLength(2);
		expect(urls[0].startsWith(`${emu.imageUrl}/images/`)).toBe(true);
		const img = await download(urls[1]);
		expect(img.contentType).toBe('image/jpeg');
		expect((await sharp(img.bytes).metadata()).format).toBe('jpeg');
		const result = await runToResult(editBody({ image_urls: urls }));
		expect(result.status).toBe(200);
	});

	it('rejects non-image data (400)', async () => {
		const text = `data:image/png;base64,${Buffer.from('hello').toString('base64')}`;
		expect((await post('/upload-asset', { data_urls: [text] })).status).toBe(400);
		expect((await post('/upload-asset', { data_urls: ['https://x/y.png'] })).status).toBe(400);
		expect((await post('/upload-asset', { data_urls: [] })).status).toBe(400);
		expect((await post('/upload-asset', {})).status).toBe(400);
	});

	it("answers with 'urls' when configured (older doc shape)", async () => {
		const old = await startEmulator({ uploadResponseKey: 'urls' });
		try {
			const png = await dataUrl('small.png', 'image/png');
			const res = await fetch(`${old.apiUrl}/upload-asset`, {
				method: 'POST',
				headers: H,
				body: JSON.stringify({ data_urls: [png] }),
			});
			const json = (await res.json()) as Json;
			expect(res.status).toBe(200);
			expect(json.file_urls).toBeUndefined();
			expect(json.urls).toEqual([expect.stringMatching(`^${old.imageUrl}/images/`)]);
		} finally {
			await old.close();
		}
	});
});

describe('sync v1', () => {
	it('waits for the job and returns the image bytes with credit headers', async () => {
		emu.nextJobs({ durationMs: 60 });
		const res = await fetch(`${emu.apiUrl}/v1/${EDIT}`, {
			method: 'POST',
			headers: H,
			body: JSON.stringify(editBody({ output_format: 'webp', size: '1536x1024' })),
		});
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('image/webp');
		expect(res.headers.get('x-credits-consumed')).toBe('0.028');
		expect(Number(res.headers.get('x-remaining-credits'))).toBeCloseTo(100.018 - 0.028, 6);
		expect(res.headers.get('x-generation-time')).toBe('0.06');
		const md = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
		expect([md.format, md.width, md.height]).toEqual(['webp', 1536, 1024]);
		expect(emu.submitCount()).toBe(0); // sync jobs are not v2 submits
		expect([...emu.jobs.values()].map((j) => j.mode)).toEqual(['sync']);
	});

	it('answers 422 JSON for a FAILED outcome, and honours advanceTime while waiting', async () => {
		emu.nextJobs({ durationMs: 60_000, outcome: 'FAILED', error: 'moderation_blocked' });
		const pending = fetch(`${emu.apiUrl}/v1/gpt-image-1.5-edit`, {
			method: 'POST',
			headers: H,
			body: JSON.stringify(editBody()),
		});
		await sleep(50);
		emu.advanceTime(60_000);
		const res = await pending;
		expect(res.status).toBe(422);
		expect(((await res.json()) as Json).error).toBe('moderation_blocked');
	});
});

describe('faults', () => {
	it('http 500 for `times` submits, without creating jobs, then normal', async () => {
		emu.injectFault({ route: 'submit', status: 500, times: 2 });
		expect((await post(`/v2/${EDIT}`, editBody())).status).toBe(500);
		expect((await post(`/v2/${EDIT}`, editBody())).status).toBe(500);
		expect(emu.submitCount()).toBe(0);
		expect((await post(`/v2/${EDIT}`, editBody())).status).toBe(200);
		expect(emu.submitCount()).toBe(1);
		expect(emu.requests.map((r) => r.fault)).toEqual(['http', 'http', null]);
	});

	it('429 with retry-after on status, then normal', async () => {
		const s = await submit();
		emu.injectFault({ route: 'status', status: 429, headers: { 'retry-after': '1' }, body: { error: 'Too many requests' } });
		const res = await fetch(s.status_url as string, { headers: H });
		expect(res.status).toBe(429);
		expect(res.headers.get('retry-after')).toBe('1');
		expect(await res.json()).toEqual({ error: 'Too many requests' });
		expect((await get(s.status_url as string)).status).toBe(200);
	});

	it('malformed answers 200 with invalid JSON', async () => {
		const s = await submit();
		emu.advanceTime(1000);
		emu.injectFault({ route: 'result', kind: 'malformed' });
		const res = await fetch(s.response_url as string, { headers: H });
		expect(res.status).toBe(200);
		const text = await res.text();
		expect(() => JSON.parse(text)).toThrow();
	});

	it('reset destroys the socket without creating a job', async () => {
		emu.injectFault({ route: 'submit', kind: 'reset' });
		await expect(post(`/v2/${EDIT}`, editBody())).rejects.toThrow();
		expect(emu.submitCount()).toBe(0);
		expect(emu.requests[0]).toMatchObject({ status: 0, fault: 'reset' });
	});

	it('reset-after-create creates (and bills) the job, then resets', async () => {
		emu.injectFault({ route: 'submit', kind: 'reset-after-create' });
		await expect(post(`/v2/${EDIT}`, editBody())).rejects.toThrow();
		expect(emu.submitCount()).toBe(1);
		expect(emu.getCredits()['free-credits']).toBeCloseTo(0, 6);
	});

	it('delay answers normally after the delay; faults can target the image host', async () => {
		emu.injectFault({ route: 'credits', kind: 'delay', delayMs: 120 });
		const t0 = Date.now();
		expect((await get('/v1/get-user-credits')).status).toBe(200);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(100);

		emu.injectFault({ route: 'image', status: 502, body: 'Bad Gateway' });
		const res = await fetch(emu.fixtureUrl('photo.png'));
		expect(res.status).toBe(502);
		expect(await res.text()).toBe('Bad Gateway');
		emu.injectFault({ route: 'upload', status: 504 });
		expect((await post('/upload-asset', { data_urls: [] })).status).toBe(504);
	});

	it('rejects unknown fault routes', () => {
		expect(() => emu.injectFault({ route: 'nope' as 'submit' })).toThrow(/route/);
	});
});

describe('image origin', () => {
	it('serves fixtures with their content types', async () => {
		for (const [name, format] of [
			['photo.png', 'png'],
			['photo.jpg', 'jpeg'],
			['photo.webp', 'webp'],
		]) {
			const { bytes, contentType } = await download(emu.fixtureUrl(name));
			expect(contentType).toBe(`image/${format}`);
			const md = await sharp(bytes).metadata();
			expect([md.format, md.width, md.height]).toEqual([format, 1024, 1024]);
		}
		const wide = await sharp((await download(emu.fixtureUrl('wide.png'))).bytes).metadata();
		expect([wide.width, wide.height]).toEqual([1536, 1024]);
		const mask = await sharp((await download(emu.fixtureUrl('mask.png'))).bytes).metadata();
		expect([mask.width, mask.channels, mask.hasAlpha]).toEqual([1024, 4, true]);
		const text = await download(emu.fixtureUrl('not-an-image.png'));
		expect(text.contentType).toBe('image/png');
		await expect(sharp(text.bytes).metadata()).rejects.toThrow();
		const missing = await fetch(`${emu.imageUrl}/images/missing.png`);
		expect(missing.status).toBe(404);
		await missing.arrayBuffer();
	});

	it('rejects any request carrying x-api-key with 403 and records it as a leak', async () => {
		expect(emu.imageKeyLeaks()).toEqual([]);
		await download(emu.fixtureUrl('photo.png'));
		expect(emu.imageKeyLeaks()).toEqual([]);
		const res = await fetch(emu.fixtureUrl('photo.png'), { headers: { 'x-api-key': 'anything' } });
		expect(res.status).toBe(403);
		await res.arrayBuffer();
		const leaks = emu.imageKeyLeaks();
		expect(leaks).toHaveLength(1);
		expect(leaks[0]).toMatchObject({ origin: 'images', method: 'GET', path: '/images/photo.png', status: 403 });
	});
});

describe('recording and control', () => {
	it('records requests with lower-cased headers and bodies', async () => {
		await submit();
		const r = emu.requests[0];
		expect(r).toMatchObject({ origin: 'api', method: 'POST', path: `/v2/${EDIT}`, status: 200 });
		expect(r.headers['x-api-key']).toBe(KEY);
		expect(JSON.parse(r.body)).toEqual(editBody());
		expect(typeof r.at).toBe('number');
	});

	it('reset clears requests, jobs, queued behaviours and faults', async () => {
		emu.nextJobs({ outcome: 'FAILED' });
		emu.injectFault({ route: 'credits', status: 500 });
		await submit();
		emu.advanceTime(5000);
		emu.reset();
		expect(emu.requests).toHaveLength(0);
		expect(emu.jobs.size).toBe(0);
		expect((await get('/v1/get-user-credits')).status).toBe(200);
		const r = await runToResult();
		expect(r.status).toBe(200);
	});

	it('nextJobs rejects unknown shapes', () => {
		expect(() => emu.nextJobs({ resultShape: 'blob' as 'url' })).toThrow(/resultShape/);
	});

	it('close() stops both servers', async () => {
		const e = await startEmulator();
		const api = e.apiUrl;
		await e.close();
		await expect(fetch(`${api}/v1/get-user-credits`)).rejects.toThrow();
	});
});
