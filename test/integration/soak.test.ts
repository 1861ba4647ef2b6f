import { editParameters, expectKeyKeptSecret, runSegmind, startTestEmulator } from './setup';
import type { Emulator } from './setup';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startTestEmulator();
});
afterAll(async () => {
	await emulator.close();
});

const ITEMS = 1000;

it(`soak: ${ITEMS} items at concurrency 16 with random faults — none lost, none paid twice`, async () => {
	emulator.setCredits({ credits: 1000, 'free-credits': 0 });
	emulator.nextJobs(...Array.from({ length: ITEMS }, () => ({ durationMs: 150 })));
	emulator.setChaos({
		rate: 0.05,
		seed: 2026,
		routes: ['submit', 'status', 'result', 'image'],
		faults: [
			{ route: 'submit', status: 429 },
			{ route: 'submit', status: 500 },
			{ route: 'submit', kind: 'reset-after-create' },
			{ route: '*', status: 502 },
			{ route: '*', status: 503 },
			{ route: '*', kind: 'reset' },
			{ route: '*', kind: 'delay', delayMs: 300 },
			{ route: 'status', kind: 'malformed' },
			{ route: 'result', kind: 'malformed' },
		],
	});
	const run = await runSegmind(
		emulator,
		editParameters(emulator, {
			prompt: '={{ "item " + $json.n }}',
			imageUrls: [emulator.fixtureUrl('small.png')],
			size: '1024x1024',
			quality: 'low',
			options: { concurrency: 16, pollInterval: 0.2 },
		}),
		{ continueOnFail: true, items: Array.from({ length: ITEMS }, (_v, n) => ({ json: { n } })) },
	);
	expect(run.error).toBeUndefined();

	// Not lost: exactly one outcome per input item, in order.
	expect(run.items).toHaveLength(ITEMS);
	expect(run.items.map((item) => (item.pairedItem as { item: number }).item)).toEqual(
		Array.from({ length: ITEMS }, (_v, n) => n),
	);

	// Not duplicated: at most one job per item, and every success is its own job.
	const jobsPerPrompt = new Map<string, number>();
	for (const job of emulator.jobs.values()) {
		jobsPerPrompt.set(String(job.body.prompt), (jobsPerPrompt.get(String(job.body.prompt)) ?? 0) + 1);
	}
	expect([...jobsPerPrompt.values()].every((count) => count === 1)).toBe(true);
	const succeeded = run.items.filter((item) => item.json.error === undefined);
	const successIds = succeeded.map((item) => item.json.requestId);
	expect(new Set(successIds).size).toBe(successIds.length);
	for (const [n, item] of run.items.entries()) {
		if (item.json.error === undefined) {
			expect((item.json.parameters as { prompt: string }).prompt).toBe(`item ${n}`);
			expect(item.binary?.data).toBeDefined();
		} else {
			// A failure is explained, and only an uncertain submit may have left a job behind.
			expect(String(item.json.error)).not.toBe('');
		}
	}
	// Only submits whose outcome was unknown (500, lost answer) fail; everything else recovers.
	const failed = run.items.filter((item) => item.json.error !== undefined);
	for (const item of failed) expect(`${item.json.error} ${item.json.description}`).toMatch(/may have been created and billed|may be billed/);
	expect(succeeded.length).toBeGreaterThan(ITEMS * 0.9);
	expectKeyKeptSecret(emulator, run);
}, 300_000);
