/**
 * GPT Image 1 retired upstream (OpenAI shut it down on 2026-10-23): gpt-image-1 and
 * gpt-image-1-edit still run for existing workflows; when Segmind refuses a retired model's
 * submit, the user sees Segmind's own text.
 */
import { startEmulator } from '../emulator';
import { API_KEY, editParameters, runSegmind } from './setup';
import type { Emulator } from './setup';

const GENERATE_REFUSAL = 'gpt-image-1 has been retired by OpenAI. Please use gpt-image-1.5 or gpt-image-2.';
const EDIT_REFUSAL = 'Model gpt-image-1-edit is no longer available';

let refusing: Emulator;
let serving: Emulator;

beforeAll(async () => {
	[refusing, serving] = await Promise.all([
		startEmulator({
			apiKey: API_KEY,
			jobDurationMs: 300,
			retiredModels: {
				'gpt-image-1': { status: 410, error: GENERATE_REFUSAL },
				'gpt-image-1-edit': { status: 404, error: EDIT_REFUSAL },
			},
		}),
		startEmulator({ apiKey: API_KEY, jobDurationMs: 300 }),
	]);
});
afterAll(async () => {
	await Promise.all([refusing.close(), serving.close()]);
});
beforeEach(() => {
	refusing.reset();
	serving.reset();
});

const generate = { resource: 'image', operation: 'generate', model: 'gpt-image-1', prompt: 'A fox', options: { pollInterval: 0.2 } };

describe('GPT Image 1, retired upstream', () => {
	it.each([
		['gpt-image-1', () => generate],
		['gpt-image-1-edit', (e: Emulator) => editParameters(e, { model: 'gpt-image-1-edit' })],
	] as const)('%s still runs where Segmind still serves it', async (slug, parameters) => {
		const run = await runSegmind(serving, parameters(serving) as never);
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({ model: slug, status: 'COMPLETED' });
	});

	it("a refused submit (410) shows Segmind's own text; no job was created", async () => {
		const run = await runSegmind(refusing, generate as never);
		expect(run.error?.message).toBe(`Segmind answered with HTTP 410: ${GENERATE_REFUSAL} [item 0]`);
		expect(refusing.jobs.size).toBe(0);
	});

	it("a refused submit (404) shows Segmind's own text too, and with Continue On Fail becomes an error item", async () => {
		const run = await runSegmind(refusing, editParameters(refusing, { model: 'gpt-image-1-edit' }), { continueOnFail: true });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		expect(run.items[0].json).toMatchObject({
			error: `Segmind does not know the model "gpt-image-1-edit" (404 Not Found): ${EDIT_REFUSAL}`,
			model: 'gpt-image-1-edit',
			httpCode: '404',
		});
		expect(run.items[0].pairedItem).toEqual({ item: 0 });
		expect(refusing.jobs.size).toBe(0);
	});

	it('the replacements still run on the same (refusing) account', async () => {
		const run = await runSegmind(refusing, { ...generate, model: 'gpt-image-1.5' } as never);
		expect(run.error).toBeUndefined();
		expect(refusing.jobs.size).toBe(1);
	});
});
