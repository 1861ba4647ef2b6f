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
beforeEach(() => emulator.reset());

type Run = Awaited<ReturnType<typeof runSegmind>>;

const prompts = ['one', 'two', 'three', 'four'];

/** Four items through one node, Continue On Fail on, so every item's outcome is visible. */
async function runBatch(options: Record<string, unknown> = {}): Promise<Run> {
	return await runSegmind(
		emulator,
		editParameters(emulator, { prompt: '={{ $json.prompt }}', options: { pollInterval: 0.2, concurrency: 4, ...options } }),
		{ continueOnFail: true, items: prompts.map((prompt) => ({ json: { prompt } })) },
	);
}

/** One outcome per input item, in order; never more than one job per item. */
function expectEveryItemAccountedFor(run: Run): void {
	expect(run.error).toBeUndefined();
	expect(run.items.map((item) => item.pairedItem)).toEqual(prompts.map((_p, item) => ({ item })));
	const jobsPerPrompt = new Map<string, number>();
	for (const job of emulator.jobs.values()) {
		const prompt = String(job.body.prompt);
		jobsPerPrompt.set(prompt, (jobsPerPrompt.get(prompt) ?? 0) + 1);
	}
	for (const count of jobsPerPrompt.values()) expect(count).toBe(1);
	for (const item of run.items) {
		if (item.json.error === undefined) {
			expect(item.binary?.data).toBeDefined();
			expect(jobsPerPrompt.get(String((item.json.parameters as { prompt: string }).prompt))).toBe(1);
		}
	}
	expectKeyKeptSecret(emulator, run);
}

const succeeded = (run: Run) => run.items.filter((item) => item.json.error === undefined).length;

describe('fault tolerance: every item ends in exactly one outcome, no job is paid twice', () => {
	it('429 on submit and on polls: the batch slows down together and completes', async () => {
		emulator.injectFault({ route: 'submit', status: 429, times: 3, body: { error: 'Too many requests' } });
		emulator.injectFault({ route: 'status', status: 429, times: 4, headers: { 'retry-after': '1' } });
		const run = await runBatch();
		expectEveryItemAccountedFor(run);
		expect(succeeded(run)).toBe(4);
		expect(emulator.submitCount()).toBe(4);
	});

	it.each([500, 502, 504])('%i on polls and results is retried; the jobs complete', async (status) => {
		emulator.injectFault({ route: 'status', status, times: 3 });
		emulator.injectFault({ route: 'result', status, times: 2 });
		const run = await runBatch();
		expectEveryItemAccountedFor(run);
		expect(succeeded(run)).toBe(4);
	});

	it('500 on one submit fails that item only, without re-sending it', async () => {
		emulator.injectFault({ route: 'submit', status: 500, times: 1 });
		const run = await runBatch();
		expectEveryItemAccountedFor(run);
		expect(succeeded(run)).toBe(3);
		const failed = run.items.find((item) => item.json.error !== undefined)!;
		expect(failed.json.description).toContain('may be billed');
		expect(emulator.requests.filter((request) => request.method === 'POST')).toHaveLength(4);
	});

	it('connection resets: a submit whose answer is lost is not re-sent; polls and downloads recover', async () => {
		emulator.injectFault({ route: 'submit', kind: 'reset-after-create', times: 1 });
		emulator.injectFault({ route: 'status', kind: 'reset', times: 2 });
		emulator.injectFault({ route: 'image', kind: 'reset', times: 2 });
		const run = await runBatch();
		expectEveryItemAccountedFor(run);
		expect(succeeded(run)).toBe(3);
		const failed = run.items.find((item) => item.json.error !== undefined)!;
		expect(failed.json.error).toContain('a job may have been created and billed');
		// The lost submit did create a job: it exists once and was never sent again.
		expect(emulator.submitCount()).toBe(4);
	});

	it('slow responses are waited for', async () => {
		emulator.injectFault({ route: 'submit', kind: 'delay', delayMs: 800, times: 2 });
		emulator.injectFault({ route: 'status', kind: 'delay', delayMs: 800, times: 2 });
		emulator.injectFault({ route: 'image', kind: 'delay', delayMs: 800, times: 2 });
		const run = await runBatch();
		expectEveryItemAccountedFor(run);
		expect(succeeded(run)).toBe(4);
	});

	it('malformed JSON on polls is retried', async () => {
		emulator.injectFault({ route: 'status', kind: 'malformed', times: 3 });
		emulator.injectFault({ route: 'result', kind: 'malformed', times: 1 });
		const run = await runBatch();
		expectEveryItemAccountedFor(run);
		expect(succeeded(run)).toBe(4);
	});

	it('404 (expired) mid-poll, 422 moderation and a download failure each fail only their item', async () => {
		emulator.nextJobs(
			{},
			{ outcome: 'FAILED', error: 'content_policy_violation: rejected by the safety system' },
			{},
			{},
		);
		emulator.injectFault({ route: 'image', status: 404, times: 1 });
		const run = await runSegmind(
			emulator,
			editParameters(emulator, { prompt: '={{ $json.prompt }}', options: { pollInterval: 0.2, concurrency: 1 } }),
			{ continueOnFail: true, items: prompts.map((prompt) => ({ json: { prompt } })) },
		);
		expectEveryItemAccountedFor(run);
		const errors = run.items.map((item) => item.json.error as string | undefined);
		// Item 0's file was gone (404 is not retried), item 1 was blocked by moderation.
		expect(errors[0]).toContain('Could not download the result image');
		expect(errors[1]).toContain('content_policy_violation');
		expect(errors[2]).toBeUndefined();
		expect(errors[3]).toBeUndefined();
	});

	it('a 406 for credits fails every item with the same clear advice', async () => {
		emulator.setCredits({ credits: 0, 'free-credits': 0 });
		const run = await runBatch();
		expectEveryItemAccountedFor(run);
		expect(run.items.every((item) => String(item.json.error).includes('Not enough Segmind credits'))).toBe(true);
		expect(emulator.submitCount()).toBe(0);
	});

	it('follows an image redirect to another host without the key', async () => {
		const target = emulator.fixtureUrl('photo.png').replace('127.0.0.1', 'localhost');
		emulator.injectFault({ route: 'image', status: 302, headers: { location: target }, body: '', times: 1 });
		emulator.nextJobs({ resultShape: 'url' });
		const run = await runSegmind(emulator, editParameters(emulator));
		expect(run.error).toBeUndefined();
		expect(run.items[0].binary?.data.mimeType).toBe('image/png');
		expect(emulator.requests.filter((request) => request.origin === 'images')).toHaveLength(2);
		expectKeyKeptSecret(emulator, run);
	});

	it('uses the bytes, not a wrong Content-Type, for the MIME type', async () => {
		emulator.nextJobs({ imageContentType: 'application/octet-stream' });
		const run = await runSegmind(emulator, editParameters(emulator, { outputFormat: 'webp' }));
		expect(run.items[0].binary?.data.mimeType).toBe('image/webp');
		expect(run.items[0].binary?.data.fileName).toMatch(/\.webp$/);
	});

	it('handles a very large image', async () => {
		const sharpPixels = Buffer.alloc(1536 * 1024 * 3);
		for (let i = 0; i < sharpPixels.length; i++) sharpPixels[i] = Math.floor(Math.random() * 256);
		const big = await sharp(sharpPixels, { raw: { width: 1536, height: 1024, channels: 3 } })
			.png({ compressionLevel: 0 })
			.toBuffer();
		const input = emulator.storeImage('big.png', big, 'image/png');
		const run = await runSegmind(emulator, editParameters(emulator, { imageUrls: [input], size: '1536x1024' }));
		expect(run.error).toBeUndefined();
		const bytes = await run.getBinaryBuffer(run.items[0]);
		expect(bytes.length).toBeGreaterThan(1_000_000);
		expect(await sharp(bytes).metadata()).toMatchObject({ width: 1536, height: 1024 });
	});

	it('a refused connection is known never to have reached Segmind: the submit is retried, then explained', async () => {
		const run = await runSegmind(emulator, editParameters(emulator), { baseUrl: 'http://127.0.0.1:9' });
		const message = String(run.error?.message);
		expect(message).toContain('Could not reach Segmind');
		expect(message).not.toContain('may be billed');
	});

	it('routes failed items to the error output with "Continue (using error output)"', async () => {
		const run = await runSegmind(
			emulator,
			editParameters(emulator, { prompt: '={{ $json.prompt }}', options: { pollInterval: 0.2, concurrency: 2 } }),
			{
				continueOnFail: 'continueErrorOutput',
				items: [{ json: { prompt: 'fine' } }, { json: { prompt: 'bad [emu:fail=content_policy_violation]' } }],
			},
		);
		expect(run.error).toBeUndefined();
		const [success, failure] = run.outputs;
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(failure.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(String(failure[0].json.error)).toContain('content_policy_violation');
	});

	it('without Continue On Fail, stops submitting after a failure and names the jobs that completed', async () => {
		emulator.nextJobs({ durationMs: 200 }, { outcome: 'FAILED', durationMs: 600, error: 'content_policy_violation: no' });
		const run = await runSegmind(
			emulator,
			editParameters(emulator, { prompt: '={{ $json.prompt }}', options: { pollInterval: 0.2, concurrency: 2 } }),
			{ items: prompts.map((prompt) => ({ json: { prompt } })) },
		);
		expect(String(run.error?.message)).toContain('content_policy_violation: no');
		const firstJob = [...emulator.jobs.values()].find((job) => job.body.prompt === 'one')!;
		expect(String((run.error as { description?: string }).description)).toContain(`item 0: ${firstJob.id}`);
		// Item 2 started when item 0 finished (before item 1 failed); item 3 never started.
		expect(emulator.jobs.size).toBeLessThanOrEqual(3);
		expect([...emulator.jobs.values()].some((job) => job.body.prompt === 'four')).toBe(false);
	});
});

