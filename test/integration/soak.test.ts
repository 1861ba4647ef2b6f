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
const isAmbiguousSubmit = (text: string) => /a job may have been created and (may be )?billed/.test(text);

it(`soak: ${ITEMS} items at concurrency 16 with faults on every route — nothing Segmind completed is lost, nothing paid twice`, async () => {
	emulator.setCredits({ credits: 1000, 'free-credits': 0 });
	emulator.nextJobs(...Array.from({ length: ITEMS }, () => ({ durationMs: 150 })));
	// Faults are decided per request (its path, a submit's body, and its attempt), not by arrival order.
	emulator.setChaos({
		rate: 0.06,
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
			{ route: 'image', kind: 'reset-mid-body' },
			{ route: 'image', status: 504 },
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

	// Not paid twice: at most one job per item, and every success is its own job.
	const jobsByPrompt = new Map<string, string[]>();
	for (const job of emulator.jobs.values()) {
		const prompt = String(job.body.prompt);
		jobsByPrompt.set(prompt, [...(jobsByPrompt.get(prompt) ?? []), job.id]);
	}
	expect([...jobsByPrompt.values()].every((ids) => ids.length === 1)).toBe(true);

	// The submits whose answer never reached the node: the only jobs it may not know about.
	const lostAnswers = new Set(
		emulator.requests
			.filter((request) => request.method === 'POST' && request.path.startsWith('/v2/') && request.fault === 'reset-after-create')
			.map((request) => String((JSON.parse(request.body) as { prompt: string }).prompt)),
	);
	let ambiguous = 0;
	for (const [n, item] of run.items.entries()) {
		const prompt = `item ${n}`;
		if (item.json.error === undefined) {
			// A success is this item's own job, with its image.
			expect(item.json.requestId).toBe(jobsByPrompt.get(prompt)?.[0]);
			expect((item.json.parameters as { prompt: string }).prompt).toBe(prompt);
			expect(item.binary?.data).toBeDefined();
			continue;
		}
		// Only a submit whose outcome was unknown may fail: a 500 to the submit (no job created) or
		// an answer lost after Segmind created the job. Everything after a known submit recovers.
		const text = `${item.json.error} ${item.json.description}`;
		expect(isAmbiguousSubmit(text)).toBe(true);
		if (jobsByPrompt.has(prompt)) expect(lostAnswers.has(prompt)).toBe(true);
		ambiguous++;
	}
	// Every job Segmind completed whose submit answer arrived reached its item.
	for (const [prompt, [id]] of jobsByPrompt) {
		if (lostAnswers.has(prompt)) continue;
		const n = Number(prompt.replace('item ', ''));
		expect(run.items[n].json.requestId).toBe(id);
		expect(run.items[n].json.error).toBeUndefined();
	}
	// The faults did hit: image-host faults among them.
	expect(emulator.requests.filter((request) => request.origin === 'images' && request.fault).length).toBeGreaterThan(ITEMS / 50);
	expect(ambiguous).toBeGreaterThan(0);
	expect(ambiguous).toBeLessThan(ITEMS * 0.1);
	expectKeyKeptSecret(emulator, run);
}, 300_000);
