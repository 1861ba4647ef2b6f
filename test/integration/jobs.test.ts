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
