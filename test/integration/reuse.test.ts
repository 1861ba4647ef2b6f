/**
 * Re-runs never pay twice (jobs/jobReuse.ts): with Retry On Fail, n8n's engine runs the node again
 * in the same execution, with the same node context; an item whose job an earlier attempt bought
 * fetches it again instead of submitting. Real node, real n8n-core engine, the Segmind emulator
 * counting submits. The REST-retry of a saved execution is proven in real n8n (test/reuse).
 */
import { makeFixtures } from '../emulator/images';
import { API_KEY, editParameters, expectKeyKeptSecret, runSegmind, startTestEmulator } from './setup';
import type { Emulator } from './setup';

let emulator: Emulator;
let fixtures: Awaited<ReturnType<typeof makeFixtures>>;

beforeAll(async () => {
	emulator = await startTestEmulator();
	fixtures = await makeFixtures();
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => emulator.reset());

type Run = Awaited<ReturnType<typeof runSegmind>>;

const RETRY = { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 };
const prompts = ['first', 'second', 'third'];
const items = prompts.map((prompt) => ({ json: { prompt } }));
const submitsOf = (prompt: string) => [...emulator.jobs.values()].filter((job) => String(job.body.prompt).startsWith(prompt)).length;

function parameters(options: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) {
	return editParameters(emulator, { prompt: '={{ $json.prompt }}', options: { pollInterval: 0.2, timeout: 30, ...options }, ...overrides });
}

function contextOf(run: Run): unknown {
	return (run.run.data.executionData as { contextData?: unknown } | undefined)?.contextData;
}

describe('Reuse Jobs on Re-run, with Retry On Fail', () => {
	it('image downloads fail in the first attempt: the retry fetches the same jobs, one submit per item', async () => {
		// 404 is not retried by the download: every item's first download fails the attempt.
		emulator.injectFault({ route: 'image', status: 404, times: prompts.length });
		const run = await runSegmind(emulator, parameters(), { items, node: RETRY });
		expect(run.error).toBeUndefined();
		expect(emulator.submitCount()).toBe(prompts.length);
		expect(run.items).toHaveLength(prompts.length);
		const jobs = [...emulator.jobs.values()];
		run.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.binary?.data).toBeDefined();
			expect(item.json.reusedJob).toBe(true);
			expect(Object.keys(item.json).slice(0, 2)).toEqual(['requestId', 'reusedJob']);
			const job = jobs.find((entry) => entry.id === item.json.requestId);
			expect(job?.body.prompt).toBe(prompts[index]);
			expect(item.json.parameters).toEqual(job?.body);
		});
		expectKeyKeptSecret(emulator, run);
		// The memory is in the node's context: request id, model, when, fingerprints; never the key.
		const context = JSON.stringify(contextOf(run));
		expect(context).toContain(String(run.items[0].json.requestId));
		expect(context).not.toContain(API_KEY);
	});

	it('with the option off, every attempt buys every job again', async () => {
		emulator.injectFault({ route: 'image', status: 404, times: prompts.length });
		const run = await runSegmind(emulator, parameters({ reuseJobs: false }), { items, node: RETRY });
		expect(run.error).toBeUndefined();
		expect(emulator.submitCount()).toBe(2 * prompts.length);
		for (const item of run.items) expect(item.json.reusedJob).toBeUndefined();
	});

	it('a recorded job Segmind no longer knows (404) is submitted anew', async () => {
		emulator.injectFault({ route: 'image', status: 404, times: 1 });
		// The moment the (failing) download arrives, the emulator's clock jumps past its 1-hour
		// retention: the job the retry finds in the node's memory is unknown to Segmind by then.
		const { requests } = emulator;
		const push = requests.push.bind(requests);
		let jumped = false;
		requests.push = (...entries) => {
			const count = push(...entries);
			if (!jumped && entries.some((entry) => entry.origin === 'images')) {
				jumped = true;
				emulator.advanceTime(2 * 60 * 60 * 1000);
			}
			return count;
		};
		try {
			const run = await runSegmind(emulator, parameters(), { items: items.slice(0, 1), node: RETRY });
			expect(run.error).toBeUndefined();
			expect(emulator.submitCount()).toBe(2);
			expect(run.items[0].json.reusedJob).toBeUndefined();
			expect(run.items[0].json.requestId).toBe([...emulator.jobs.keys()][1]);
		} finally {
			requests.push = push;
		}
	});

	it('a recorded job whose result answers 404 after its status said COMPLETED is not bought again', async () => {
		emulator.injectFault({ route: 'image', status: 404, times: 1 });
		// When the first attempt's (failing) download arrives, the retry's first result fetch is set
		// to answer 404: the job is done and paid for, so the item fails this try, and the next try
		// fetches the same job, rather than submitting a second one.
		const { requests } = emulator;
		const push = requests.push.bind(requests);
		let armed = false;
		requests.push = (...entries) => {
			const count = push(...entries);
			if (!armed && entries.some((entry) => entry.origin === 'images')) {
				armed = true;
				emulator.injectFault({ route: 'result', status: 404, times: 1 });
			}
			return count;
		};
		try {
			const run = await runSegmind(emulator, parameters(), { items: items.slice(0, 1), node: RETRY });
			expect(run.error).toBeUndefined();
			expect(emulator.submitCount()).toBe(1);
			expect(run.items[0].json).toMatchObject({ reusedJob: true, requestId: [...emulator.jobs.keys()][0] });
			expect(run.items[0].binary?.data).toBeDefined();
		} finally {
			requests.push = push;
		}
	});

	it('a first run without faults marks nothing as reused', async () => {
		const run = await runSegmind(emulator, parameters(), { items, node: RETRY });
		expect(run.error).toBeUndefined();
		expect(emulator.submitCount()).toBe(prompts.length);
		for (const item of run.items) expect(item.json.reusedJob).toBeUndefined();
	});

	it('Continue On Fail: an error in the first item re-runs all items; completed ones are reused, the FAILED one bought anew', async () => {
		const failing = ['bad [emu:fail]', 'good one', 'good two'].map((prompt) => ({ json: { prompt } }));
		const run = await runSegmind(emulator, parameters(), { items: failing, node: RETRY, continueOnFail: true });
		expect(run.error).toBeUndefined();
		// n8n tried 3 times because the first output item kept its json.error.
		expect(run.items[0].json.error).toMatch(/failed/);
		expect(submitsOf('bad')).toBe(3);
		expect(submitsOf('good one')).toBe(1);
		expect(submitsOf('good two')).toBe(1);
		expect(run.items[1].json.reusedJob).toBe(true);
		expect(run.items[2].json.reusedJob).toBe(true);
		expect(run.items[1].binary?.data).toBeDefined();
	});

	it('Submit Only: an item another item made fail is answered with its recorded request id, not submitted again', async () => {
		// Item 1's upload is refused (400) after item 0 was submitted: the node fails and is retried.
		emulator.injectFault({ route: 'upload', status: 400, times: 1, body: { error: 'refused once' } });
		const bytes = fixtures.get('photo.png')?.bytes as Buffer;
		// Item 0 has no binary input (nothing to upload); item 1 has one.
		const run = await runSegmind(emulator, parameters({ runMode: 'submit', concurrency: 1 }, { useAllImageBinaries: true }), {
			items: [{ json: { prompt: 'first' } }, { json: { prompt: 'second' }, binary: { data: { buffer: bytes, mimeType: 'image/png', fileName: 'photo.png' } } }],
			node: RETRY,
		});
		expect(run.error).toBeUndefined();
		expect(emulator.submitCount()).toBe(2);
		expect(run.items[0].json.reusedJob).toBe(true);
		expect(run.items[1].json.reusedJob).toBeUndefined();
		expect(run.items.map((item) => item.json.requestId)).toEqual([...emulator.jobs.keys()]);
	});

	it('binary inputs: the fingerprint is taken from the bytes, so a retry reuses although uploads give new URLs', async () => {
		emulator.injectFault({ route: 'image', status: 404, times: 1 });
		const bytes = fixtures.get('photo.png')?.bytes as Buffer;
		const run = await runSegmind(emulator, parameters({}, { imageUrls: [], inputBinaryFields: 'data' }), {
			items: [{ json: { prompt: 'binary' }, binary: { data: { buffer: bytes, mimeType: 'image/png', fileName: 'photo.png' } } }],
			node: RETRY,
		});
		expect(run.error).toBeUndefined();
		expect(emulator.submitCount()).toBe(1);
		expect(emulator.requests.filter((request) => request.path === '/upload-asset')).toHaveLength(1);
		expect(run.items[0].json.reusedJob).toBe(true);
		expect(run.items[0].json.parameters).toEqual([...emulator.jobs.values()][0].body);
	});

	it('a submit whose outcome is unknown is never sent again by a retry (it may have created a job)', async () => {
		// The job is created, then the connection breaks: the node cannot know it was taken.
		emulator.injectFault({ route: 'submit', kind: 'reset-after-create', times: 1 });
		const run = await runSegmind(emulator, parameters(), { items: items.slice(0, 1), node: RETRY });
		expect(run.error?.message).toMatch(/not sent again: an earlier try's submit of the same job may have created a job/);
		expect(emulator.submitCount()).toBe(1);
	});

	it('with the option off, a retry sends such a submit again (the old behaviour)', async () => {
		emulator.injectFault({ route: 'submit', kind: 'reset-after-create', times: 1 });
		const run = await runSegmind(emulator, parameters({ reuseJobs: false }), { items: items.slice(0, 1), node: RETRY });
		expect(run.error).toBeUndefined();
		expect(emulator.submitCount()).toBe(2);
	});

	it('sync mode has no request id: a retry submits again (no reuse there)', async () => {
		emulator.injectFault({ route: 'sync', status: 500, times: 1, after: true });
		const run = await runSegmind(emulator, parameters({ runMode: 'sync' }), { items: items.slice(0, 1), node: RETRY });
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.reusedJob).toBeUndefined();
		expect(run.items[0].json.requestId).toBeNull();
		// the first call's job was created (and billed) too: a sync call cannot be fetched again
		expect(emulator.jobs.size).toBe(2);
	});
});
