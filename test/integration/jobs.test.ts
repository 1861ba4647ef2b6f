import { sleep } from 'n8n-workflow';

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

const getResult = (requestId: string, waitSeconds = 0, extra: Record<string, unknown> = {}) =>
	runSegmind(emulator, {
		resource: 'job',
		operation: 'getResult',
		requestId,
		waitSeconds,
		modelSlug: 'gpt-image-1-edit-mini',
		options: { pollInterval: 0.2 },
		...extra,
	});

describe('Job › Get Result', () => {
	it('fetches a job that passed the deadline, without submitting it again', async () => {
		emulator.nextJobs({ durationMs: 2500 });
		const late = await runSegmind(emulator, editParameters(emulator, { options: { pollInterval: 0.2, timeout: 1 } }));
		const requestId = [...emulator.jobs.keys()][0];
		expect(String(late.error?.message)).toContain(`Segmind job ${requestId} did not finish within 1 seconds`);
		expect(String((late.error as { description?: string }).description)).toContain('1 hour');

		const fetched = await getResult(requestId, 10);
		expect(fetched.error).toBeUndefined();
		const [item] = fetched.items;
		expect(item.json).toMatchObject({ requestId, status: 'COMPLETED', model: 'gpt-image-1-edit-mini' });
		expect(item.binary?.data.mimeType).toBe('image/png');
		expect(emulator.submitCount()).toBe(1);
		expectKeyKeptSecret(emulator, fetched);
	});

	it('returns a job still running as a pending item, not an error', async () => {
		emulator.nextJobs({ durationMs: 30_000 });
		const submitted = await fetch(`${emulator.apiUrl}/v2/gpt-image-1-edit-mini`, {
			method: 'POST',
			headers: { 'x-api-key': 'sk-dummy-0123456789abcdef', 'content-type': 'application/json' },
			body: JSON.stringify({ prompt: 'x', image_urls: [emulator.fixtureUrl('photo.png')] }),
		});
		const { request_id: requestId } = (await submitted.json()) as { request_id: string };
		const run = await getResult(requestId, 0, { options: { pollInterval: 0.2 } });
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toEqual({
			requestId,
			model: 'gpt-image-1-edit-mini',
			status: expect.stringMatching(/^(QUEUED|PROCESSING)$/),
			pending: true,
		});
		expect(run.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('retries a 429 on its status check even with no time to wait', async () => {
		emulator.nextJobs({ durationMs: 50 });
		await runSegmind(emulator, editParameters(emulator, { options: { runMode: 'submit' } }));
		const requestId = [...emulator.jobs.keys()][0];
		await sleep(100);
		emulator.injectFault({ route: 'status', status: 429, times: 1 });
		const run = await getResult(requestId, 0);
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.status).toBe('COMPLETED');
	});

	it('explains an unknown or expired request id', async () => {
		const run = await getResult('00000000-0000-0000-0000-000000000000');
		expect(String(run.error?.message)).toContain('was not found (404): it is unknown or has expired');
	});

	it('reports a FAILED job with Segmind\'s reason', async () => {
		emulator.nextJobs({ outcome: 'FAILED', error: 'content_policy_violation: nope', durationMs: 100 });
		await runSegmind(emulator, editParameters(emulator), { continueOnFail: true });
		const requestId = [...emulator.jobs.keys()][0];
		const run = await getResult(requestId);
		expect(String(run.error?.message)).toContain(`Segmind job ${requestId} failed: content_policy_violation: nope`);
	});
});

describe('Run Mode', () => {
	it('Submit Only returns the request id at once, and Get Result fetches the image later', async () => {
		emulator.nextJobs({ durationMs: 1500 });
		const submitted = await runSegmind(emulator, editParameters(emulator, { options: { runMode: 'submit' } }));
		expect(submitted.error).toBeUndefined();
		const [item] = submitted.items;
		const requestId = [...emulator.jobs.keys()][0];
		expect(item.json).toMatchObject({ requestId, model: 'gpt-image-1-edit-mini', status: 'QUEUED' });
		expect(item.binary).toBeUndefined();
		// Nothing but the submit was sent: no polling.
		expect(emulator.requests.map((request) => request.method + ' ' + request.path)).toEqual([
			'POST /v2/gpt-image-1-edit-mini',
		]);

		const fetched = await getResult(requestId, 10);
		expect(fetched.items[0].binary?.data.mimeType).toBe('image/png');
		expect(emulator.submitCount()).toBe(1);
		expectKeyKeptSecret(emulator, submitted);
	});

	it('Single Synchronous Call uses v1 and returns the image bytes as binary', async () => {
		const run = await runSegmind(
			emulator,
			editParameters(emulator, { outputFormat: 'jpeg', size: '1024x1536', options: { runMode: 'sync' } }),
		);
		expect(run.error).toBeUndefined();
		expect(emulator.requests.map((request) => request.method + ' ' + request.path)).toEqual([
			'POST /v1/gpt-image-1-edit-mini',
		]);
		const [item] = run.items;
		expect(item.binary?.data.mimeType).toBe('image/jpeg');
		expect(item.json).toMatchObject({ status: 'COMPLETED', width: 1024, height: 1536 });
		expect(typeof (item.json.metrics as { inference_time?: number }).inference_time).toBe('number');
		expect(item.json.result).toBeUndefined();
		expectKeyKeptSecret(emulator, run);
	});

	it('Single Synchronous Call reports a FAILED job with Segmind\'s text, and never re-sends on 5xx', async () => {
		emulator.nextJobs({ outcome: 'FAILED', error: 'content_policy_violation: sync says no' });
		const failed = await runSegmind(emulator, editParameters(emulator, { options: { runMode: 'sync' } }));
		expect(String(failed.error?.message)).toContain('content_policy_violation: sync says no');

		emulator.reset();
		emulator.injectFault({ route: 'sync', status: 502, times: 1 });
		const broken = await runSegmind(emulator, editParameters(emulator, { options: { runMode: 'sync' } }));
		expect(String((broken.error as { description?: string }).description)).toContain('may be billed');
		expect(emulator.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
	});
});
