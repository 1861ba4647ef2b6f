/**
 * Every value a field or an expression can hold is read by its type before the run's first
 * request: the node runs in n8n-core's engine, values come from real `={{ … }}` expressions (as a
 * workflow gives them), and each refused item must leave the emulator's request log empty (or, in
 * a run with other items, hold nothing for that item) with a message that names the field.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { makeFixtures } from '../emulator/images';
import { editParameters, runSegmind, startTestEmulator } from './setup';
import type { Emulator } from './setup';

type Run = Awaited<ReturnType<typeof runSegmind>>;
type RunOptions = NonNullable<Parameters<typeof runSegmind>[2]>;

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

const messageOf = (run: Run) => String(run.error?.message ?? '');
const descriptionOf = (run: Run) => String((run.error as { description?: string } | undefined)?.description ?? '');
const statusRequests = () => emulator.requests.filter((request) => request.path.startsWith('/v2/requests/'));

/** The run failed on this item's input, before anything was sent: no request at all reached the emulator. */
function expectRefused(run: Run, expected: string, itemIndex = 0): void {
	expect(messageOf(run)).toContain(expected);
	expect(messageOf(run)).toContain(`[item ${itemIndex}]`);
	expect(descriptionOf(run)).toContain('no credit was spent');
	expect(run.items).toEqual([]);
	expect(emulator.requests).toEqual([]);
}

const edit = (overrides: IDataObject = {}) => editParameters(emulator, overrides);
const editOptions = (options: IDataObject) => edit({ options: { pollInterval: 0.2, ...options } });
const anyModel = (overrides: IDataObject = {}): INodeParameters => ({
	resource: 'model',
	operation: 'run',
	modelSlug: 'gpt-image-1',
	body: '{"prompt": "A red fox"}',
	options: { pollInterval: 0.2 },
	...overrides,
});
const getResult = (overrides: IDataObject = {}): INodeParameters => ({
	resource: 'job',
	operation: 'getResult',
	requestId: '00000000-0000-0000-0000-000000000000',
	waitSeconds: 0,
	options: { pollInterval: 0.2 },
	...overrides,
});

/** One test per case: the parameters built from the case's overrides are refused before any request. */
function itRefuses(cases: Array<[string, IDataObject, string]>, parameters: (overrides: IDataObject) => INodeParameters): void {
	it.each(cases)('refuses %s', async (_case, overrides, expected) => {
		const run = await runSegmind(emulator, parameters(overrides), { items: [{ json: {}, binary: {} }] });
		expectRefused(run, expected);
	});
}

describe("the issue's table: values that slipped through are refused before any request", () => {
	const twoUrls = ['https://example.com/mask-a.png', 'https://example.com/mask-b.png'];
	it.each<[string, INodeParameters | (() => INodeParameters), RunOptions, string]>([
		[
			'a prompt from an expression that returns an object',
			() => edit({ prompt: '={{ $json.prompt }}' }),
			{ items: [{ json: { prompt: { text: 'make it blue' } } }] },
			'"Prompt" must be text, not an object ({"text":"make it blue"})',
		],
		[
			'a prompt from an inline object expression',
			() => edit({ prompt: '={{ { a: 1 } }}' }),
			{},
			'"Prompt" must be text, not an object ({"a":1})',
		],
		[
			'a prompt from an expression that returns a list',
			() => edit({ prompt: '={{ ["make", "it blue"] }}' }),
			{},
			'"Prompt" must be text, not a list of 2 values (["make","it blue"])',
		],
		[
			'a prompt from an expression that returns nothing',
			() => edit({ prompt: '={{ $json.missing }}' }),
			{},
			'"Prompt" is empty',
		],
		[
			'a mask URL from an expression that returns two URLs',
			() => edit({ model: 'gpt-image-1.5-edit', mask: '={{ $json.masks }}' }),
			{ items: [{ json: { masks: twoUrls } }] },
			'"Mask URL" takes one URL, not a list of 2 values',
		],
		[
			'a mask URL holding two URLs joined by a comma',
			() => edit({ model: 'gpt-image-1.5-edit', mask: '={{ $json.masks.join(",") }}' }),
			{ items: [{ json: { masks: twoUrls } }] },
			'"Mask URL" holds 2 URLs',
		],
		['Timeout 0', () => editOptions({ timeout: 0 }), {}, '"Timeout (Seconds)" must be a number from 1 to 3600, not 0'],
		['Timeout -5', () => editOptions({ timeout: -5 }), {}, '"Timeout (Seconds)" must be a number from 1 to 3600, not -5'],
		[
			'Timeout NaN (Number("ten"))',
			() => editOptions({ timeout: '={{ Number("ten") }}' }),
			{},
			'"Timeout (Seconds)" must be a number from 1 to 3600, not NaN',
		],
		[
			'Concurrency NaN',
			() => editOptions({ concurrency: '={{ Number("ten") }}' }),
			{ items: [{ json: {} }, { json: {} }] },
			'"Concurrency" must be a whole number from 1 to 50, not NaN',
		],
		['output field __proto__', () => editOptions({ binaryPropertyName: '__proto__' }), {}, '"Put Output in Field" cannot be "__proto__"'],
	])('%s', async (_case, parameters, options, expected) => {
		const run = await runSegmind(emulator, typeof parameters === 'function' ? parameters() : parameters, options);
		expectRefused(run, expected);
	});

	it.each(['..', '../status', 'a/b', 'has space', 'line\nbreak', 'nul\u0000', '.', 'a..b'])(
		'Get Result refuses the request id %j before any request',
		async (requestId) => {
			const run = await runSegmind(emulator, getResult({ requestId: '={{ $json.id }}' }), { items: [{ json: { id: requestId } }] });
			expectRefused(run, `"Request ID" ${JSON.stringify(requestId)} is not a Segmind request ID`);
		},
	);
});

describe('Image › Edit and Generate: every field by its type', () => {
	itRefuses(
		[
			['a prompt that is true', { prompt: '={{ true }}' }, '"Prompt" must be text, not true (a boolean)'],
			['a prompt that is NaN', { prompt: '={{ NaN }}' }, '"Prompt" must be text, not NaN'],
			['image URLs from an expression giving objects', { imageUrls: ['={{ [{ a: 1 }] }}'] }, '"Image URLs" must hold URLs, not an object ({"a":1})'],
			['image URLs from an expression giving a number', { imageUrls: ['={{ 42 }}'] }, '"Image URLs" must hold URLs, not 42'],
			['a mask URL that is an object', { model: 'gpt-image-1.5-edit', mask: '={{ { url: 1 } }}' }, '"Mask URL" must be text, not an object'],
			['a size from an expression giving a number', { size: '={{ 1024 }}' }, '"Size" is 1024; allowed values are'],
			['a size from an expression giving a list', { size: '={{ ["auto"] }}' }, '"Size" is a list of 1 value (["auto"]); allowed values are'],
			['an output compression of NaN', { outputCompression: '={{ Number("ten") }}' }, '"Output Compression" must be a whole number from 1 to 100, not NaN'],
			['an output compression of 80.5', { outputCompression: 80.5 }, '"Output Compression" must be a whole number from 1 to 100, not 80.5'],
			['Input Binary Fields from an object', { inputBinaryFields: '={{ { name: "data" } }}' }, '"Input Binary Fields" must be text, not an object'],
			['Input Binary Fields naming __proto__', { inputBinaryFields: 'data, __proto__' }, '"Input Binary Fields" cannot be "__proto__"'],
			['a Mask Binary Field named constructor', { maskBinaryField: 'constructor' }, '"Mask Binary Field" cannot be "constructor"'],
			['Use All Image Binaries that is "yes"', { useAllImageBinaries: '={{ "yes" }}' }, '"Use All Image Binaries" must be true or false, not "yes"'],
			['a model from an expression giving an object', { model: '={{ { slug: "x" } }}' }, '"Model" must be text, not an object'],
		],
		edit,
	);

	it('Generate refuses a prompt list the same way', async () => {
		const run = await runSegmind(emulator, {
			resource: 'image',
			operation: 'generate',
			model: 'gpt-image-1-mini',
			prompt: '={{ $json.words }}',
			options: { pollInterval: 0.2 },
		}, { items: [{ json: { words: ['a', 'fox'] } }] });
		expectRefused(run, '"Prompt" must be text, not a list of 2 values');
	});

	it('takes a number as prompt text, numeric text as a number, and "true" as a boolean', async () => {
		const run = await runSegmind(
			emulator,
			edit({
				model: 'gpt-image-1.5-edit',
				prompt: '={{ 42 }}',
				outputCompression: '={{ "80" }}',
				useAllImageBinaries: '={{ "false" }}',
				options: { pollInterval: 0.2, concurrency: '={{ "3" }}', timeout: '={{ "120" }}' },
			}),
		);
		expect(run.error).toBeUndefined();
		expect([...emulator.jobs.values()][0].body).toMatchObject({ prompt: '42', output_compression: 80 });
	});
});

describe('Options: finite and in range, from the option descriptions', () => {
	itRefuses(
		[
			['Timeout Infinity', { timeout: '={{ Infinity }}' }, '"Timeout (Seconds)" must be a number from 1 to 3600, not Infinity'],
			['Timeout above 3600', { timeout: 3601 }, 'from 1 to 3600, not 3601'],
			['Timeout from an object', { timeout: '={{ { s: 5 } }}' }, '"Timeout (Seconds)" must be a number from 1 to 3600, not an object ({"s":5})'],
			['Timeout empty', { timeout: '={{ "" }}' }, '"Timeout (Seconds)" must be a number from 1 to 3600, not empty text'],
			['Concurrency 0', { concurrency: 0 }, '"Concurrency" must be a whole number from 1 to 50, not 0'],
			['Concurrency 51', { concurrency: 51 }, 'from 1 to 50, not 51'],
			['Concurrency 2.5', { concurrency: 2.5 }, '"Concurrency" must be a whole number from 1 to 50, not 2.5'],
			['Poll Interval NaN', { pollInterval: '={{ Number("ten") }}' }, '"Poll Interval (Seconds)" must be a number from 0 to 60, not NaN'],
			['Poll Interval -1', { pollInterval: -1 }, '"Poll Interval (Seconds)" must be a number from 0 to 60, not -1'],
			['Poll Interval 61', { pollInterval: 61 }, 'from 0 to 60, not 61'],
			['Output "zip"', { outputMode: 'zip' }, '"Output" is "zip"; allowed values are auto, binary, url'],
			['Run Mode from a number', { runMode: '={{ 1 }}' }, '"Run Mode" is 1; allowed values are wait, submit, sync'],
			['One Item per Image "yes"', { separateItems: '={{ "yes" }}' }, '"One Item per Image" must be true or false, not "yes"'],
			['File Name from an object', { fileName: '={{ { a: 1 } }}' }, '"File Name" must be text, not an object'],
			['output field constructor', { binaryPropertyName: 'constructor' }, '"Put Output in Field" cannot be "constructor"'],
			['output field prototype', { binaryPropertyName: ' prototype ' }, '"Put Output in Field" cannot be "prototype"'],
			['output field empty after trimming', { binaryPropertyName: '   ' }, '"Put Output in Field" is empty'],
			['output field from a list', { binaryPropertyName: '={{ ["a", "b"] }}' }, '"Put Output in Field" must be text, not a list of 2 values'],
		],
		editOptions,
	);

	it('refuses a bad option on item 2 before item 0 or 1 is submitted', async () => {
		const run = await runSegmind(emulator, editOptions({ timeout: '={{ $json.timeout }}' }), {
			items: [{ json: { timeout: 60 } }, { json: { timeout: 60 } }, { json: { timeout: 0 } }],
		});
		expectRefused(run, '"Timeout (Seconds)" must be a number from 1 to 3600, not 0', 2);
	});

	it('with Continue On Fail, a first item with Concurrency NaN fails alone and the others run', async () => {
		const run = await runSegmind(emulator, editOptions({ concurrency: '={{ $json.concurrency }}' }), {
			continueOnFail: true,
			items: [{ json: { concurrency: 'ten' } }, { json: { concurrency: 2 } }, { json: { concurrency: 2 } }],
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(run.items[0].json.error).toBe('"Concurrency" must be a whole number from 1 to 50, not "ten" [item 0]');
		expect(run.items[0].binary).toBeUndefined();
		expect(run.items[1].binary?.data).toBeDefined();
		expect(run.items[2].binary?.data).toBeDefined();
		expect(emulator.submitCount()).toBe(2);
	});

	it('with Continue On Fail, an output field __proto__ is an error item, never a "success" without its image', async () => {
		const run = await runSegmind(emulator, editOptions({ binaryPropertyName: '={{ $json.field }}' }), {
			continueOnFail: true,
			items: [{ json: { field: '__proto__' } }, { json: { field: 'image' } }],
		});
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.error).toContain('"Put Output in Field" cannot be "__proto__"');
		expect(run.items[1].binary?.image).toBeDefined();
		// Only item 1 was submitted (and so paid for).
		expect(emulator.submitCount()).toBe(1);
	});

	it('raises a fixed Poll Interval below 0.2 s to 0.2 s, as its description says: no poll storm', async () => {
		emulator.nextJobs({ durationMs: 1500 });
		const run = await runSegmind(emulator, editOptions({ pollInterval: 0.01 }));
		expect(run.error).toBeUndefined();
		// A 1.5 s job polled every 0.2 s: about 8 status requests, not the ~150 that 0.01 s would give.
		expect(statusRequests().length).toBeGreaterThan(2);
		expect(statusRequests().length).toBeLessThan(20);
	});

	it('ignores a Timeout left in Job › Get Result\'s options by an older node version', async () => {
		const run = await runSegmind(emulator, getResult({ options: { pollInterval: 0.2, timeout: 0 } }));
		// The request was made (the id is unknown to the emulator): the stale value did not stop it.
		expect(messageOf(run)).toContain('was not found (404)');
	});
});

describe('Any Model › Run: every field by its type', () => {
	itRefuses(
		[
			['a slug from an object', { modelSlug: '={{ { slug: "gpt-image-1" } }}' }, '"Model Slug" must be text, not an object'],
			['a slug with a slash', { modelSlug: 'v1/gpt-image-1' }, '"Model Slug" "v1/gpt-image-1" is not a Segmind model slug'],
			['a slug of ".."', { modelSlug: '..' }, '"Model Slug" ".." is not a Segmind model slug'],
			['an empty body', { body: '  ' }, '"Request Body (JSON)" is empty'],
			['a body from a list expression', { body: '={{ [1, 2] }}' }, '"Request Body (JSON)" must be a JSON object, not a list of 2 values'],
			['a body that is a JSON number', { body: '42' }, '"Request Body (JSON)" must be a JSON object, not 42'],
			['Timeout 0', { options: { pollInterval: 0.2, timeout: 0 } }, '"Timeout (Seconds)" must be a number from 1 to 3600, not 0'],
			['Concurrency NaN', { options: { concurrency: '={{ NaN }}' } }, '"Concurrency" must be a whole number from 1 to 50, not NaN'],
			['output field __proto__', { options: { binaryPropertyName: '__proto__' } }, '"Put Output in Field" cannot be "__proto__"'],
		],
		anyModel,
	);

	it('takes a body that an expression gives as an object', async () => {
		const run = await runSegmind(emulator, anyModel({ body: '={{ $json.body }}' }), {
			items: [{ json: { body: { prompt: 'A red fox', size: '1024x1024' } } }],
		});
		expect(run.error).toBeUndefined();
		expect([...emulator.jobs.values()][0].body).toEqual({ prompt: 'A red fox', size: '1024x1024' });
	});
});

describe('Job › Get Result: every field by its type, before any request', () => {
	itRefuses(
		[
			['an empty request id', { requestId: '  ' }, '"Request ID" is empty'],
			['a request id from an object', { requestId: '={{ { id: "x" } }}' }, '"Request ID" must be text, not an object'],
			['Wait Up To NaN', { waitSeconds: '={{ Number("ten") }}' }, '"Wait Up To (Seconds)" must be a number from 0 to 3600, not NaN'],
			['Wait Up To -1', { waitSeconds: -1 }, '"Wait Up To (Seconds)" must be a number from 0 to 3600, not -1'],
			['Wait Up To 3601', { waitSeconds: 3601 }, 'from 0 to 3600, not 3601'],
			['a model slug with a path', { modelSlug: '../x' }, '"Model" "../x" is not a Segmind model slug'],
			['Poll Interval NaN', { options: { pollInterval: '={{ NaN }}' } }, '"Poll Interval (Seconds)" must be a number from 0 to 60, not NaN'],
			['output field __proto__', { options: { binaryPropertyName: '__proto__' } }, '"Put Output in Field" cannot be "__proto__"'],
		],
		getResult,
	);

	it('reads every item before the first request: a bad id on item 2 means no request for items 0 and 1 either', async () => {
		const run = await runSegmind(emulator, getResult({ requestId: '={{ $json.id }}' }), {
			items: [
				{ json: { id: '11111111-1111-1111-1111-111111111111' } },
				{ json: { id: '22222222-2222-2222-2222-222222222222' } },
				{ json: { id: '..' } },
			],
		});
		expectRefused(run, '"Request ID" ".." is not a Segmind request ID', 2);
	});

	it('with Continue On Fail, a bad id is an error item and sends nothing for it', async () => {
		const run = await runSegmind(emulator, getResult({ requestId: '={{ $json.id }}' }), {
			continueOnFail: true,
			items: [{ json: { id: '..' } }, { json: { id: '33333333-3333-3333-3333-333333333333' } }],
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(2);
		expect(run.items[0].json.error).toBe('"Request ID" ".." is not a Segmind request ID (letters, digits, "-", "_" and single dots) [item 0]');
		expect(run.items[0].pairedItem).toEqual({ item: 0 });
		expect(String(run.items[1].json.error)).toContain('was not found (404)');
		// Every request went to item 1's job, none to /v2/status or anywhere else.
		expect(emulator.requests.length).toBeGreaterThan(0);
		for (const request of emulator.requests) {
			expect(request.path).toBe('/v2/requests/33333333-3333-3333-3333-333333333333/status');
		}
	});
});

describe('already refused before, still refused before any request', () => {
	const binaryOf = (name: string, mimeType: string) => {
		const fixture = fixtures.get(name);
		if (!fixture) throw new Error(`no fixture ${name}`);
		return { buffer: fixture.bytes, fileName: name, mimeType };
	};

	it.each<[string, IDataObject, () => Record<string, ReturnType<typeof binaryOf>>, string]>([
		['a GIF', { inputBinaryFields: 'data', imageUrls: [] }, () => ({ data: binaryOf('photo.gif', 'image/png') }), '"Input Binary Fields": binary field "data" (photo.gif) is a GIF image'],
		['text that claims to be a PNG', { inputBinaryFields: 'data', imageUrls: [] }, () => ({ data: binaryOf('not-an-image.png', 'image/png') }), '"Input Binary Fields": binary field "data" (not-an-image.png) is not a PNG, JPEG or WebP image'],
		['an ftp image URL', { imageUrls: ['ftp://example.com/a.png'] }, () => ({}), '"Image URLs" holds "ftp://example.com/a.png", which is not an http(s) URL'],
		['a file image URL', { imageUrls: ['file:///etc/passwd'] }, () => ({}), '"Image URLs" holds "file:///etc/passwd", which is not an http(s) URL'],
		['a file mask URL', { model: 'gpt-image-1.5-edit', mask: 'file:///tmp/mask.png' }, () => ({}), '"Mask URL" "file:///tmp/mask.png" is not an http(s) URL'],
	])('%s', async (_case, overrides, binary, expected) => {
		const run = await runSegmind(emulator, edit(overrides), { items: [{ json: {}, binary: binary() }] });
		expectRefused(run, expected);
	});

	it.each<[string, IDataObject, string]>([
		['a blank slug', { modelSlug: '   ' }, '"Model Slug" is empty'],
		['a slug with a path in it', { modelSlug: '../v1/get-user-credits' }, 'is not a Segmind model slug'],
		['invalid JSON', { body: '{"prompt": "unclosed' }, '"Request Body (JSON)" is not valid JSON'],
		['a JSON array', { body: '[1, 2]' }, '"Request Body (JSON)" must be a JSON object'],
	])('Any Model › Run: %s', async (_case, overrides, expected) => {
		const run = await runSegmind(emulator, anyModel(overrides));
		expectRefused(run, expected);
	});

	const ITEMS = 1000;
	const BAD = 617;
	const batch = () => ({
		parameters: edit({
			prompt: '={{ $json.prompt }}',
			options: { runMode: 'submit', concurrency: 50 },
		}),
		items: Array.from({ length: ITEMS }, (_v, n) => ({ json: { prompt: n === BAD ? { not: 'text' } : `item ${n}` } })),
	});

	it(`one bad item in ${ITEMS}: the run stops before the first request`, async () => {
		const { parameters, items } = batch();
		const run = await runSegmind(emulator, parameters, { items });
		expectRefused(run, '"Prompt" must be text, not an object ({"not":"text"})', BAD);
	});

	it(`one bad item in ${ITEMS} with Continue On Fail: it alone is an error item, with no request for it`, async () => {
		emulator.setCredits({ credits: 100_000, 'free-credits': 0 });
		const { parameters, items } = batch();
		const run = await runSegmind(emulator, parameters, { items, continueOnFail: true });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(ITEMS);
		expect(run.items.map((item) => (item.pairedItem as { item: number }).item)).toEqual(items.map((_item, n) => n));
		expect(run.items[BAD].json.error).toBe(`"Prompt" must be text, not an object ({"not":"text"}) [item ${BAD}]`);
		expect(run.items.filter((item) => item.json.error !== undefined)).toHaveLength(1);
		// One submit per good item, none for the bad one.
		const prompts = [...emulator.jobs.values()].map((job) => job.body.prompt).sort();
		const expected = items.flatMap((_item, n) => (n === BAD ? [] : [`item ${n}`])).sort();
		expect(prompts).toEqual(expected);
		expect(emulator.requests.filter((request) => request.method === 'POST')).toHaveLength(ITEMS - 1);
	}, 120_000);
});
