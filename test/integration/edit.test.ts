import { sleep } from 'n8n-workflow';
import sharp from 'sharp';

import { editParameters, expectKeyKeptSecret, runSegmind, startTestEmulator } from './setup';
import type { Emulator } from './setup';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startTestEmulator();
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => {
	emulator.reset();
});

const submits = () => emulator.requests.filter((request) => request.method === 'POST' && request.path.startsWith('/v2/'));

describe('Image › Edit against the emulator', () => {
	describe.each(['filesystem', 'default'] as const)('binary mode %s', (binaryMode) => {
		it('edits an image with gpt-image-1-edit-mini and returns it as binary with the page defaults', async () => {
			const run = await runSegmind(emulator, editParameters(emulator), { binaryMode });
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(1);
			const [item] = run.items;
			expect(item.pairedItem).toEqual({ item: 0 });

			const job = [...emulator.jobs.values()][0];
			expect(item.json).toMatchObject({
				requestId: job.id,
				model: 'gpt-image-1-edit-mini',
				status: 'COMPLETED',
				outputUrl: expect.stringContaining(emulator.imageUrl),
				mimeType: 'image/png',
				width: 1024,
				height: 1024,
			});
			expect(typeof item.json.inferenceTime).toBe('number');
			// The seed page's defaults were sent, under Segmind's field names.
			const sent = {
				prompt: 'Make the sky dramatic',
				image_urls: [emulator.fixtureUrl('photo.png')],
				size: 'auto',
				quality: 'auto',
				background: 'opaque',
				output_compression: 100,
				output_format: 'png',
				moderation: 'auto',
			};
			expect(item.json.parameters).toEqual(sent);
			expect(job.body).toEqual(sent);

			const binary = item.binary!.data;
			expect(binary.mimeType).toBe('image/png');
			expect(binary.fileName).toBe(`gpt-image-1-edit-mini-${job.id}.png`);
			expect(binary.fileExtension).toBe('png');
			if (binaryMode === 'filesystem') expect(binary.id).toMatch(/^filesystem/);
			const bytes = await run.getBinaryBuffer(item, 'data');
			const metadata = await sharp(bytes).metadata();
			expect(metadata).toMatchObject({ format: 'png', width: 1024, height: 1024 });
			expectKeyKeptSecret(emulator, run);
		});
	});

	it('edits with gpt-image-1.5-edit, its own defaults and non-default options', async () => {
		const run = await runSegmind(
			emulator,
			editParameters(emulator, {
				model: 'gpt-image-1.5-edit',
				size: '1536x1024',
				outputFormat: 'jpeg',
				outputCompression: 80,
				options: { pollInterval: 0.2, binaryPropertyName: 'edited' },
			}),
		);
		expect(run.error).toBeUndefined();
		const [item] = run.items;
		const job = [...emulator.jobs.values()][0];
		expect(job.model).toBe('gpt-image-1.5-edit');
		expect(job.body).toMatchObject({ quality: 'high', output_compression: 80, output_format: 'jpeg', size: '1536x1024' });
		expect(item.binary!.data).toBeUndefined();
		const binary = item.binary!.edited;
		expect(binary.mimeType).toBe('image/jpeg');
		expect(binary.fileName).toBe(`gpt-image-1.5-edit-${job.id}.jpg`);
		const metadata = await sharp(await run.getBinaryBuffer(item, 'edited')).metadata();
		expect(metadata).toMatchObject({ format: 'jpeg', width: 1536, height: 1024 });
		expectKeyKeptSecret(emulator, run);
	});

	it('sends the 1.5 model its own defaults (quality high, compression 95) and a mask when given', async () => {
		const run = await runSegmind(
			emulator,
			editParameters(emulator, { model: 'gpt-image-1.5-edit', mask: emulator.fixtureUrl('mask.png') }),
		);
		expect(run.error).toBeUndefined();
		expect([...emulator.jobs.values()][0].body).toMatchObject({
			quality: 'high',
			output_compression: 95,
			mask: emulator.fixtureUrl('mask.png'),
		});
	});

	it('takes several image URLs, also from an expression that yields a list', async () => {
		const urls = [emulator.fixtureUrl('photo.png'), emulator.fixtureUrl('photo.webp')];
		const run = await runSegmind(emulator, editParameters(emulator, { imageUrls: ['={{ $json.urls }}'] }), {
			items: [{ json: { urls } }],
		});
		expect(run.error).toBeUndefined();
		expect([...emulator.jobs.values()][0].body.image_urls).toEqual(urls);
	});

	it.each(['url-array', 'json-string', 'images', 'base64', 'data-url'] as const)(
		'finds the image when the result uses the %s shape',
		async (resultShape) => {
			emulator.nextJobs({ resultShape });
			const run = await runSegmind(emulator, editParameters(emulator, { outputFormat: 'webp' }));
			expect(run.error).toBeUndefined();
			const [item] = run.items;
			expect(item.binary!.data.mimeType).toBe('image/webp');
			expect((await sharp(await run.getBinaryBuffer(item)).metadata()).format).toBe('webp');
			expectKeyKeptSecret(emulator, run);
		},
	);

	it('runs items one job each and keeps input order with pairedItem', async () => {
		const run = await runSegmind(emulator, editParameters(emulator, { prompt: '={{ $json.prompt }}' }), {
			items: [{ json: { prompt: 'first' } }, { json: { prompt: 'second' } }, { json: { prompt: 'third' } }],
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(run.items.map((item) => (item.json.parameters as { prompt: string }).prompt)).toEqual([
			'first',
			'second',
			'third',
		]);
		expect(emulator.submitCount()).toBe(3);
	});

	it('works with a base URL that ends in a slash', async () => {
		const run = await runSegmind(emulator, editParameters(emulator), { baseUrl: `${emulator.apiUrl}/` });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
	});
});

describe('errors', () => {
	const messageOf = (run: Awaited<ReturnType<typeof runSegmind>>) => String(run.error?.message ?? '');
	const descriptionOf = (run: Awaited<ReturnType<typeof runSegmind>>) =>
		String((run.error as { description?: string } | undefined)?.description ?? '');

	it('401: a wrong key says to check the key, and the key is not echoed', async () => {
		const wrongKey = 'sk-dummy-wrong-987654321';
		const run = await runSegmind(emulator, editParameters(emulator), { apiKey: wrongKey });
		expect(messageOf(run)).toContain('rejected the API key');
		expect(messageOf(run)).toContain('[item 0]');
		expect(descriptionOf(run)).toContain('credential');
		expectKeyKeptSecret(emulator, run, wrongKey);
		expect(emulator.submitCount()).toBe(0);
	});

	it('400: Segmind\'s reason for rejecting the request is shown', async () => {
		emulator.injectFault({ route: 'submit', status: 400, body: { error: 'image_urls[0] could not be fetched' } });
		const run = await runSegmind(emulator, editParameters(emulator));
		expect(messageOf(run)).toContain('Segmind rejected the request as invalid: image_urls[0] could not be fetched');
		expect(emulator.submitCount()).toBe(0);
	});

	it('a redirect from the API is not followed, so the key goes nowhere else', async () => {
		const elsewhere = `${emulator.imageUrl}/images/elsewhere`;
		emulator.injectFault({ route: 'status', status: 307, headers: { location: elsewhere }, body: '' });
		const run = await runSegmind(emulator, editParameters(emulator));
		expect(messageOf(run)).toContain(`redirected the request (307) to ${elsewhere}`);
		expect(emulator.requests.filter((request) => request.origin === 'images')).toEqual([]);
		expectKeyKeptSecret(emulator, run);
	});

	it('403: a key without access is explained', async () => {
		const run = await runSegmind(emulator, editParameters(emulator), { apiKey: 'forbidden-key' });
		expect(messageOf(run)).toContain('403');
		expect(descriptionOf(run)).toContain('permissions');
	});

	it('406: insufficient credits says to top up', async () => {
		emulator.setCredits({ credits: 0, 'free-credits': 0 });
		const run = await runSegmind(emulator, editParameters(emulator));
		expect(messageOf(run)).toContain('Not enough Segmind credits');
		expect(descriptionOf(run)).toContain('Top up');
	});

	it('422 FAILED: Segmind\'s error text and the request id reach the user', async () => {
		emulator.nextJobs({ outcome: 'FAILED', error: 'content_policy_violation: blocked by the safety system' });
		const run = await runSegmind(emulator, editParameters(emulator));
		const job = [...emulator.jobs.values()][0];
		expect(messageOf(run)).toContain(`Segmind job ${job.id} failed: content_policy_violation: blocked by the safety system`);
		expect(descriptionOf(run)).toContain('Moderation');
		expect(emulator.submitCount()).toBe(1);
	});

	it('404 while polling: the job is unknown or expired after 1 hour', async () => {
		emulator.injectFault({ route: 'status', status: 404, body: { error: 'Request not found' }, times: 1 });
		const run = await runSegmind(emulator, editParameters(emulator));
		expect(messageOf(run)).toMatch(/job .+ was not found \(404\)/);
		expect(descriptionOf(run)).toContain('1 hour');
	});

	it('429 on submit is retried (no job was created) and then succeeds with one job', async () => {
		emulator.injectFault({ route: 'submit', status: 429, headers: { 'retry-after': '0' }, body: { error: 'Too many requests' }, times: 1 });
		const run = await runSegmind(emulator, editParameters(emulator));
		expect(run.error).toBeUndefined();
		expect(submits()).toHaveLength(2);
		expect(emulator.submitCount()).toBe(1);
	});

	it('429 that does not stop is waited out until the deadline, then ends in a rate-limit error', async () => {
		emulator.injectFault({ route: 'submit', status: 429, body: { error: 'Too many requests' }, times: 1000 });
		const run = await runSegmind(emulator, editParameters(emulator, { options: { pollInterval: 0.2, timeout: 3 } }));
		expect(messageOf(run)).toContain('rate limit');
		expect(descriptionOf(run)).toContain('per minute');
		expect(emulator.submitCount()).toBe(0);
		// Waited out with growing spacing, not hammered.
		expect(submits().length).toBeGreaterThan(2);
		expect(submits().length).toBeLessThan(10);
	});

	it.each([500, 502, 504])('%i on submit is not re-sent: the job may exist and may be billed', async (status) => {
		emulator.injectFault({ route: 'submit', status, body: { error: 'upstream trouble' }, times: 1 });
		const run = await runSegmind(emulator, editParameters(emulator));
		expect(messageOf(run)).toContain(`Segmind server error (${status})`);
		expect(descriptionOf(run)).toContain('may be billed');
		expect(submits()).toHaveLength(1);
	});

	it.each([500, 502, 504])('%i while polling is retried and the job still completes', async (status) => {
		emulator.injectFault({ route: 'status', status, times: 2 });
		const run = await runSegmind(emulator, editParameters(emulator));
		expect(run.error).toBeUndefined();
		expect(emulator.submitCount()).toBe(1);
	});

	it('a status that keeps failing with 502 until the deadline names the job and the free way to it', async () => {
		emulator.injectFault({ route: 'status', status: 502, times: Infinity });
		const run = await runSegmind(emulator, editParameters(emulator, { options: { pollInterval: 0.2, timeout: 3 } }));
		const job = [...emulator.jobs.values()][0];
		expect(messageOf(run)).toContain(`Segmind job ${job.id}: its status could not be read before the item's deadline (last: HTTP 502;`);
		expect(descriptionOf(run)).toContain(`Segmind keeps its result for 1 hour: Job › Get Result with request id ${job.id}`);
		expect(emulator.submitCount()).toBe(1);
	});

	it('a connection reset after the job was created is not re-sent', async () => {
		emulator.injectFault({ route: 'submit', kind: 'reset-after-create', times: 1 });
		const run = await runSegmind(emulator, editParameters(emulator));
		expect(messageOf(run)).toContain('a job may have been created and billed');
		expect(submits()).toHaveLength(1);
		expect(emulator.submitCount()).toBe(1);
	});

	it('a malformed submit answer fails without re-sending', async () => {
		emulator.injectFault({ route: 'submit', kind: 'malformed', times: 1 });
		const run = await runSegmind(emulator, editParameters(emulator));
		expect(messageOf(run)).toContain('unexpected answer to the submit');
		expect(descriptionOf(run)).toContain('may be billed');
		expect(submits()).toHaveLength(1);
	});

	it('malformed status answers and resets while polling are retried', async () => {
		emulator.injectFault({ route: 'status', kind: 'malformed', times: 1 });
		emulator.injectFault({ route: 'result', kind: 'reset', times: 1 });
		const run = await runSegmind(emulator, editParameters(emulator));
		expect(run.error).toBeUndefined();
		expect(emulator.submitCount()).toBe(1);
	});

	it('a result with no image fails clearly, with no empty binary', async () => {
		emulator.nextJobs({ resultShape: 'none' });
		const run = await runSegmind(emulator, editParameters(emulator));
		expect(messageOf(run)).toContain('completed but its result holds no image');
		expect(run.items).toEqual([]);
	});

	it('a download that is not an image fails clearly', async () => {
		emulator.injectFault({ route: 'image', status: 200, body: '<html>gateway page</html>', contentType: 'text/html', times: 10 });
		const run = await runSegmind(emulator, editParameters(emulator));
		expect(messageOf(run)).toContain('not a PNG, JPEG, WebP or GIF image');
	});

	it('a download that keeps failing names the job and points to Get Result', async () => {
		emulator.injectFault({ route: 'image', status: 503, times: Infinity });
		const run = await runSegmind(emulator, editParameters(emulator, { options: { pollInterval: 0.2, timeout: 3 } }));
		const job = [...emulator.jobs.values()][0];
		expect(messageOf(run)).toContain(`Could not download the result image of Segmind job ${job.id}: the image host kept failing until the item's deadline (last: HTTP 503;`);
		expect(descriptionOf(run)).toContain(`Job › Get Result with request id ${job.id}`);
		expect(emulator.submitCount()).toBe(1);
	});

	it('a passed deadline names the request id and says the result stays fetchable', async () => {
		emulator.nextJobs({ durationMs: 10_000 });
		const run = await runSegmind(emulator, editParameters(emulator, { options: { pollInterval: 0.2, timeout: 1 } }));
		const job = [...emulator.jobs.values()][0];
		expect(messageOf(run)).toContain(`Segmind job ${job.id} did not finish within 1 seconds`);
		expect(descriptionOf(run)).toContain(job.id);
		expect(descriptionOf(run)).toContain('1 hour');
		expect(emulator.submitCount()).toBe(1);
	});
});

describe('Continue On Fail', () => {
	it('turns a failed job into an error item with its request id and pairedItem; other items go on', async () => {
		const run = await runSegmind(emulator, editParameters(emulator, { prompt: '={{ $json.prompt }}' }), {
			continueOnFail: true,
			items: [
				{ json: { prompt: 'a lighthouse' } },
				{ json: { prompt: 'something [emu:fail=content_policy_violation]' } },
				{ json: { prompt: '' } },
				{ json: { prompt: 'a harbour' } },
			],
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(4);
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(run.items[0].binary?.data).toBeDefined();
		expect(run.items[3].binary?.data).toBeDefined();

		const failed = run.items[1];
		expect(failed.binary).toBeUndefined();
		expect(failed.json.error).toContain('failed: content_policy_violation');
		expect(failed.json.requestId).toEqual(expect.any(String));
		expect(emulator.jobs.get(failed.json.requestId as string)).toBeDefined();
		expect(failed.json.model).toBe('gpt-image-1-edit-mini');

		const invalid = run.items[2];
		expect(invalid.json.error).toContain('"Prompt" is empty');
		expect(emulator.submitCount()).toBe(3);
		expectKeyKeptSecret(emulator, run);
	});
});

describe('input checks before any credit is spent', () => {
	it.each([
		['an empty prompt', { prompt: '   ' }, '"Prompt" is empty'],
		['a prompt over 32,000 characters', { prompt: 'x'.repeat(32_001) }, 'at most 32000'],
		['no image URL', { imageUrls: [] }, 'needs at least 1 URL'],
		['more than 16 images', { imageUrls: Array.from({ length: 17 }, (_v, i) => `https://example.com/${i}.png`) }, 'at most 16'],
		['a malformed URL', { imageUrls: ['not a url'] }, 'not an http(s) URL'],
		['a non-http URL', { imageUrls: ['ftp://example.com/a.png'] }, 'not an http(s) URL'],
		['a malformed mask URL', { mask: 'mask.png' }, '"Mask URL"'],
		['a compression out of range', { outputCompression: 0 }, 'whole number from 1 to 100'],
		['a size not on the list', { size: '512x512' }, 'allowed values are 1024x1024, 1536x1024, 1024x1536, auto'],
		['a transparent background with JPEG', { background: 'transparent', outputFormat: 'jpeg' }, 'transparent background needs PNG or WebP'],
	])('rejects %s with a clear error and sends nothing', async (_case, overrides, expected) => {
		const run = await runSegmind(emulator, editParameters(emulator, overrides));
		expect(String(run.error?.message)).toContain(expected);
		expect(String(run.error?.message)).toContain('[item 0]');
		expect(emulator.requests).toEqual([]);
	});

	it('checks every item before submitting the first, so a bad third item costs nothing', async () => {
		const run = await runSegmind(emulator, editParameters(emulator, { prompt: '={{ $json.prompt }}' }), {
			items: [{ json: { prompt: 'fine' } }, { json: { prompt: 'also fine' } }, { json: { prompt: '' } }],
		});
		expect(String(run.error?.message)).toContain('"Prompt" is empty [item 2]');
		expect(emulator.requests).toEqual([]);
	});
});

describe('cancel', () => {
	it.each([
		['a fixed 0.2 s poll', 0.2],
		['adaptive polling (a long first wait)', 0],
	])('with %s, stops within a second of the cancel and sends nothing more', async (_label, pollInterval) => {
		emulator.nextJobs({ durationMs: 30_000 });
		const started = Date.now();
		const run = await runSegmind(emulator, editParameters(emulator, { options: { pollInterval } }), { cancelAfterMs: 700 });
		expect(run.nodeStillRunning).toBeFalsy();
		expect(Date.now() - started).toBeLessThan(700 + 1000);
		expect(run.items).toEqual([]);
		const countAtEnd = emulator.requests.length;
		expect(countAtEnd).toBeGreaterThanOrEqual(1);
		await sleep(1500);
		expect(emulator.requests.length).toBe(countAtEnd);
	});
});
