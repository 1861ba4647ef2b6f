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

	it("a submit answer whose request_id is no id (a path) fails that item: nothing is polled at it, nothing re-sent", async () => {
		emulator.injectFault({ route: 'submit', status: 200, body: { request_id: '../../v1/get-user-credits', status: 'QUEUED' }, times: 1 });
		const run = await runBatch();
		expectEveryItemAccountedFor(run);
		expect(succeeded(run)).toBe(3);
		const failed = run.items.find((item) => item.json.error !== undefined)!;
		expect(failed.json.error).toContain('is not a request id');
		expect(failed.json.description).toContain('may be billed');
		expect(emulator.requests.filter((request) => request.method === 'POST')).toHaveLength(4);
		expect(emulator.requests.filter((request) => request.path.includes('get-user-credits'))).toHaveLength(0);
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


describe('retries bounded by the deadline, not a count', () => {
	/** One item, single job, as a user would run it; Timeout as given. */
	const runOne = async (timeout = 120) =>
		await runSegmind(emulator, editParameters(emulator, { options: { pollInterval: 0.2, timeout } }));
	const onlyJobId = () => [...emulator.jobs.keys()][0];
	const description = (run: Run) => String((run.error as { description?: string } | undefined)?.description);

	it('8 consecutive status faults of mixed kinds (500, 502, 504, reset), then success', async () => {
		for (const fault of [
			{ status: 500 },
			{ status: 502 },
			{ status: 504 },
			{ kind: 'reset' as const },
			{ status: 500 },
			{ kind: 'reset' as const },
			{ status: 502 },
			{ status: 504 },
		]) {
			emulator.injectFault({ route: 'status', times: 1, ...fault });
		}
		const run = await runOne();
		expect(run.error).toBeUndefined();
		expect(run.items[0].binary?.data.mimeType).toBe('image/png');
		const statusRequests = emulator.requests.filter((request) => request.path.endsWith('/status'));
		expect(statusRequests.slice(0, 8).map((request) => request.fault)).toEqual([
			'http', 'http', 'http', 'reset', 'http', 'reset', 'http', 'http',
		]);
		expect(emulator.submitCount()).toBe(1);
		expectKeyKeptSecret(emulator, run);
	}, 90_000);

	it('6 consecutive download faults (503, reset, 502, broken transfer, 504, reset), then the image', async () => {
		for (const fault of [
			{ status: 503 },
			{ kind: 'reset' as const },
			{ status: 502 },
			{ kind: 'reset-mid-body' as const },
			{ status: 504 },
			{ kind: 'reset' as const },
		]) {
			emulator.injectFault({ route: 'image', times: 1, ...fault });
		}
		const run = await runOne();
		expect(run.error).toBeUndefined();
		expect(emulator.requests.filter((request) => request.origin === 'images')).toHaveLength(7);
		const bytes = await run.getBinaryBuffer(run.items[0]);
		expect((await sharp(bytes).metadata()).format).toBe('png');
		expect(emulator.submitCount()).toBe(1);
	}, 90_000);

	it('result-fetch faults and upload faults are retried; nothing is submitted twice', async () => {
		emulator.injectFault({ route: 'result', status: 500, times: 2 });
		emulator.injectFault({ route: 'result', kind: 'reset', times: 1 });
		emulator.injectFault({ route: 'result', kind: 'malformed', times: 1 });
		emulator.injectFault({ route: 'upload', status: 503, times: 2 });
		emulator.injectFault({ route: 'upload', kind: 'reset', times: 1 });
		emulator.injectFault({ route: 'upload', status: 429, headers: { 'retry-after': '1' }, times: 1 });
		const photo = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#36c' } }).png().toBuffer();
		const run = await runSegmind(
			emulator,
			editParameters(emulator, { imageUrls: [], inputBinaryFields: 'data' }),
			{ items: [{ json: {}, binary: { data: { buffer: photo, fileName: 'photo.png', mimeType: 'image/png' } } }] },
		);
		expect(run.error).toBeUndefined();
		expect(emulator.requests.filter((request) => request.path === '/upload-asset')).toHaveLength(5);
		expect(emulator.requests.filter((request) => request.path === `/v2/requests/${onlyJobId()}`)).toHaveLength(5);
		expect(emulator.submitCount()).toBe(1);
	}, 90_000);

	it('faults until past the deadline: a clear error naming the job, the last fault and Get Result; no extra submit', async () => {
		emulator.injectFault({ route: 'status', status: 502, times: 3 });
		emulator.injectFault({ route: 'status', kind: 'reset', times: Infinity });
		const started = Date.now();
		const run = await runOne(4);
		const id = onlyJobId();
		expect(String(run.error?.message)).toMatch(
			new RegExp(`^Segmind job ${id}: its status could not be read before the item's deadline \\(last: socket hang up; \\d+ tries\\) \\[item 0\\]$`),
		);
		expect(description(run)).toBe(
			`The job may be running or done, and may be paid for. Segmind keeps its result for 1 hour: Job › Get Result with request id ${id} fetches it without a new job, and so does retrying this execution while Reuse Jobs on Re-Run is on. A new run of the workflow creates (and bills) a new job.`,
		);
		expect((run.error as { context?: { requestId?: string } }).context?.requestId).toBe(id);
		// Bounded by the Timeout (4 s), not by a count of tries.
		expect(Date.now() - started).toBeLessThan(15_000);
		expect(emulator.submitCount()).toBe(1);
		expect(emulator.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
	}, 60_000);

	it('a submit reset after sending: n8n shows the node\'s own words, not "retry immediately"', async () => {
		emulator.injectFault({ route: 'submit', kind: 'reset-after-create', times: 1 });
		const run = await runOne();
		expect(run.error?.message).toBe(
			'The connection to Segmind broke after the job was sent: a job may have been created and billed [item 0]',
		);
		expect(description(run)).toBe(
			"Segmind may have received this item's job and started it (socket hang up). The node did not send it again, so that it is not paid for twice. Check your Segmind request history (Segmind console → Requests) for a job with this item's inputs (model gpt-image-1-edit-mini, same prompt) before running the item again.",
		);
		expect(`${run.error?.message} ${description(run)}`).not.toMatch(/retry the request immediately/i);
		// The job was created (and billed) once, and never sent again.
		expect(emulator.submitCount()).toBe(1);
		expect(emulator.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
	});

	it('a Single Synchronous Call offers no made-up request id as fetchable', async () => {
		const run = await runSegmind(
			emulator,
			editParameters(emulator, { prompt: '={{ $json.prompt }}', options: { runMode: 'sync', concurrency: 1 } }),
			{ items: [{ json: { prompt: 'fine' } }, { json: { prompt: 'bad [emu:fail=content_policy_violation]' } }] },
		);
		expect(String(run.error?.message)).toContain('content_policy_violation');
		expect(description(run)).not.toContain('Get Result can fetch');
		expect(description(run)).not.toMatch(/sync-/);
	});
});
