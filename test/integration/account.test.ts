/** Account › Get Credits through n8n-core's engine against the emulator. */
import { expectKeyKeptSecret, runSegmind, SegmindAsTool, startTestEmulator } from './setup';
import type { Emulator } from './setup';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startTestEmulator();
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => emulator.reset());

const getCredits = { resource: 'account', operation: 'getCredits' };
const creditRequests = () => emulator.requests.filter((request) => request.path === '/v1/get-user-credits');


describe('Account › Get Credits', () => {
	it('returns credits and free credits as numbers, from GET /v1/get-user-credits', async () => {
		emulator.setCredits({ credits: 0, 'free-credits': 0.018 });
		const run = await runSegmind(emulator, getCredits);
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		expect(run.items[0].json).toEqual({ credits: 0, freeCredits: 0.018 });
		expect(typeof run.items[0].json.credits).toBe('number');
		expect(run.items[0].pairedItem).toEqual({ item: 0 });
		expect(creditRequests()).toHaveLength(1);
		expect(creditRequests()[0].method).toBe('GET');
		expectKeyKeptSecret(emulator, run);
	});

	it('follows the balance: a job paid for lowers it', async () => {
		emulator.setCredits({ credits: 10, 'free-credits': 0 });
		await runSegmind(emulator, { resource: 'image', operation: 'generate', model: 'gpt-image-1.5', prompt: 'A fox', options: { pollInterval: 0.2 } });
		const run = await runSegmind(emulator, getCredits);
		expect(run.items[0].json).toEqual({ credits: 9.9, freeCredits: 0 });
	});

	it('several input items: one request, one item each, paired', async () => {
		const run = await runSegmind(emulator, getCredits, { items: [{ json: {} }, { json: {} }, { json: {} }] });
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(run.items.every((item) => item.json.freeCredits === 0.018)).toBe(true);
		expect(creditRequests()).toHaveLength(1);
	});

	it('a wrong key gives the credential error', async () => {
		const run = await runSegmind(emulator, getCredits, { apiKey: 'wrong-key' });
		expect(run.error?.message).toBe('Segmind rejected the API key (401 Unauthorized) [item 0]');
		expect(run.error?.description).toContain('Check the API key in your Segmind credential');
		expectKeyKeptSecret(emulator, run, 'wrong-key');
	});

	it('with Continue On Fail a wrong key becomes an error item', async () => {
		const run = await runSegmind(emulator, getCredits, { apiKey: 'wrong-key', continueOnFail: true });
		expect(run.items).toEqual([
			expect.objectContaining({ json: expect.objectContaining({ error: 'Segmind rejected the API key (401 Unauthorized)', httpCode: '401' }), pairedItem: { item: 0 } }),
		]);
	});

	it('a balance answered as text is still output as numbers; an answer without one fails clearly', async () => {
		emulator.injectFault({ route: 'credits', status: 200, body: { credits: '2.5', 'free-credits': '0' } });
		const run = await runSegmind(emulator, getCredits);
		expect(run.items[0].json).toEqual({ credits: 2.5, freeCredits: 0 });
		emulator.injectFault({ route: 'credits', status: 200, body: { message: 'ok' } });
		const broken = await runSegmind(emulator, getCredits);
		expect(broken.error?.message).toBe('Segmind sent an unexpected answer: no numeric "credits" and "free-credits" [item 0]');
	});

	it('a 404 from the credits endpoint speaks of the endpoint, not of a job', async () => {
		emulator.injectFault({ route: 'credits', status: 404, body: { error: 'Not Found' } });
		const run = await runSegmind(emulator, getCredits);
		expect(run.error?.message).toBe("Segmind could not report the account's credits (HTTP 404): Not Found [item 0]");
		expect(run.error?.description).toContain('Check the base URL in your Segmind credential');
		expect(run.error?.description).not.toContain('job');
	});

	it('works as an AI tool: the same numbers as plain JSON', async () => {
		const run = await runSegmind(emulator, getCredits, { nodeType: new SegmindAsTool() });
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toEqual({ credits: 100, freeCredits: 0.018 });
		expect(run.items[0].binary).toBeUndefined();
	});
});
