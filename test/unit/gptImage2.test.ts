import type { INodeProperties } from 'n8n-workflow';

import { Segmind } from '../../nodes/Segmind/Segmind.node';
import { customSizeViolation } from '../../nodes/Segmind/actions/customSize';
import { findModel, findOperationModel } from '../../nodes/Segmind/models';
import type { ModelParameter, OptionsParameter, SegmindModel, SegmindOperation } from '../../nodes/Segmind/models';
import { FIRST_LOOK_SHARE, nextPollDelayMs } from '../../nodes/Segmind/jobs/pollSchedule';
import { loadStoredPage } from '../fixtures/storedPages';

/** The gpt-image-2 model file against the stored copy of its Segmind page (test/fixtures/pages). */

const page = loadStoredPage('gpt-image-2');
const model = findModel('gpt-image-2') as SegmindModel;
const properties = new Segmind().description.properties;
const byApiName = (apiName: string) => model.parameters.find((parameter) => parameter.apiName === apiName) as ModelParameter;
const firstSentence = (text: string) => text.split(/(?<=\.) /)[0];

/** What n8n shows for gpt-image-2 in an operation, with the given field values. */
function visible(operation: SegmindOperation, values: Record<string, unknown> = {}): INodeProperties[] {
	const current: Record<string, unknown> = { resource: 'image', operation, model: 'gpt-image-2', size: 'auto', ...values };
	return properties.filter((property) =>
		Object.entries(property.displayOptions?.show ?? {}).every(([name, allowed]) => (allowed as unknown[]).includes(current[name])),
	);
}

describe('gpt-image-2 against its Segmind page', () => {
	it('has the page title, summary, typical time and price', () => {
		expect(page.slug).toBe(model.slug);
		expect(page.title).toContain(model.displayName);
		expect(model.summary).toBe(page.summary);
		expect(model.typicalDurationSeconds).toBe(page.typicalSeconds);
		expect(model.priceHintUsd).toBe(page.priceUsd);
	});

	it('serves both Image operations with one slug', () => {
		expect([...model.operations].sort()).toEqual(['edit', 'generate']);
	});

	it.each(page.parameters.filter((parameter) => parameter.name !== 'image').map((parameter) => [parameter.name, parameter] as const))(
		'%s: requiredness, default, allowed values and description as the page shows them',
		(_name, shown) => {
			const parameter = byApiName(shown.name);
			expect(parameter.required ?? false).toBe(shown.required);
			if (shown.default !== undefined) expect(parameter.default).toEqual(shown.default);
			if (shown.allowed) expect((parameter as OptionsParameter).options.map((option) => option.value)).toEqual(shown.allowed);
			// The stored copy may end mid-sentence: the model's description starts with what it shows.
			expect(parameter.description.startsWith(shown.description.replace(/\.$/, ''))).toBe(true);
		},
	);

	it('image: one optional URI on the page (null = text-to-image), so only Image › Edit has it, and needs it', () => {
		const shown = page.parameters.find((parameter) => parameter.name === 'image')!;
		expect(shown).toMatchObject({ type: 'string (uri)', default: null, required: false });
		const image = byApiName('image');
		expect(image).toMatchObject({ type: 'url', operations: ['edit'], required: true, default: '' });
		expect(findOperationModel('gpt-image-2', 'generate')!.parameters.map((parameter) => parameter.apiName)).not.toContain('image');
		expect(findOperationModel('gpt-image-2', 'edit')!.parameters.map((parameter) => parameter.apiName)).toContain('image');
		expect(model.parameters.map((parameter) => parameter.apiName)).not.toEqual(expect.arrayContaining(['image_urls']));
		expect(model.parameters.map((parameter) => parameter.apiName)).not.toContain('mask');
	});

	it("every field description the page shows begins the model's description of that field", () => {
		const descriptions = model.parameters.map((parameter) => parameter.description);
		for (const text of page.descriptions) {
			const start = firstSentence(text).replace(/\.$/, '');
			expect(descriptions.some((description) => description.startsWith(start))).toBe(true);
		}
	});

	it('output compression spans 0–100 as the page says', () => {
		expect(page.descriptions.some((text) => text.startsWith('Compression level 0-100'))).toBe(true);
		expect(byApiName('output_compression')).toMatchObject({ type: 'integer', min: 0, max: 100 });
	});

	it("the page's example body uses only the model's fields and values", () => {
		for (const [apiName, value] of Object.entries(page.example)) {
			const parameter = byApiName(apiName);
			expect(parameter).toBeDefined();
			if (parameter.type === 'options') expect(parameter.options.map((option) => option.value)).toContain(value);
			if (parameter.type === 'integer') expect(value).toBeGreaterThanOrEqual(parameter.min);
		}
	});

	it("custom size rules are the page's: multiple of 16, 1:3 to 3:1, edge ≤ 3840, 655,360–8,294,400 pixels", () => {
		const rules = page.sizeRules!;
		expect(model.customSize).toMatchObject({
			multipleOf: rules.multipleOf,
			maxEdge: rules.maxEdge,
			minPixels: rules.minPixels,
			maxPixels: rules.maxPixels,
			maxAspectRatio: Number(rules.maxRatio.split(':')[0]),
		});
		expect(rules.minRatio).toBe(`1:${model.customSize!.maxAspectRatio}`);
		// Every listed size keeps the rules too.
		const sizeField = byApiName('size') as OptionsParameter;
		for (const { value } of sizeField.options) {
			const match = /^(\d+)x(\d+)$/.exec(value);
			if (match) expect(customSizeViolation(model.customSize!, Number(match[1]), Number(match[2]))).toBeUndefined();
		}
		expect(sizeField.options.map((option) => option.value)).toEqual(expect.arrayContaining(['auto', 'custom']));
	});
});

describe('gpt-image-2 in the node panel', () => {
	it.each(['generate', 'edit'] as const)('is offered under Image › %s, with its time and price in the dropdown', (operation) => {
		const dropdown = properties.find((property) => property.name === 'model' && property.displayOptions?.show?.operation?.includes(operation))!;
		const option = dropdown.options!.find((candidate) => (candidate as { value: string }).value === 'gpt-image-2') as { description: string };
		expect(option.description).toContain('~94 s, ~$5 per image');
	});

	it('Generate shows no image field; Edit shows Image URL and Image Binary Field (no Image URLs, no mask)', () => {
		const generate = visible('generate').map((property) => property.name);
		expect(generate).not.toContain('image');
		expect(generate).not.toContain('imageBinaryField');
		const edit = visible('edit').map((property) => property.name);
		expect(edit).toEqual(expect.arrayContaining(['image', 'imageBinaryField']));
		for (const name of ['imageUrls', 'mask', 'maskBinaryField', 'inputBinaryFields', 'useAllImageBinaries']) expect(edit).not.toContain(name);
		// Either a URL or a binary field: the URL field itself may stay empty in the panel.
		expect(visible('edit').find((property) => property.name === 'image')!.required).toBe(false);
	});

	it.each(['generate', 'edit'] as const)('%s: Width and Height appear only for Size "Custom", with the rules as hint', (operation) => {
		expect(visible(operation).map((property) => property.name)).not.toContain('width');
		const custom = visible(operation, { size: 'custom' });
		const names = custom.map((property) => property.name);
		expect(names.slice(names.indexOf('size'), names.indexOf('size') + 3)).toEqual(['size', 'width', 'height']);
		const field = (name: string) => custom.find((property) => property.name === name)!;
		expect(field('height').hint).toBe(
			'Custom size: each edge a multiple of 16, aspect ratio from 1:3 to 3:1, longest edge at most 3,840 pixels, 655,360 to 8,294,400 pixels in total',
		);
		expect(field('width').hint).toBeUndefined();
		for (const name of ['width', 'height']) {
			expect(field(name).typeOptions).toMatchObject({ minValue: 16, maxValue: 3840, numberPrecision: 0 });
		}
	});
});

describe('custom size rules (one function)', () => {
	const rules = model.customSize!;
	it.each([
		[1024, 640],
		[1920, 1088],
		[3840, 2160],
		[2160, 3840],
		[480, 1440],
		[1536, 512],
	])('%i × %i keeps every rule', (width, height) => {
		expect(customSizeViolation(rules, width, height)).toBeUndefined();
	});

	it.each([
		[1920, 1080, 'Height 1080 is not a multiple of 16: each edge of a custom size must be (1072 or 1088 would be)'],
		[1000, 1024, 'Width 1000 is not a multiple of 16: each edge of a custom size must be (992 or 1008 would be)'],
		[4096, 1024, 'The custom size 4096 × 1024 has an edge of 4,096 pixels; the longest edge may be at most 3,840'],
		[3200, 1024, 'The custom size 3200 × 1024 has an aspect ratio of 3.13:1; it must be from 1:3 to 3:1 (the longer edge at most 3 times the shorter)'],
		[512, 1552, 'The custom size 512 × 1552 has an aspect ratio of 3.03:1; it must be from 1:3 to 3:1 (the longer edge at most 3 times the shorter)'],
		[768, 768, 'The custom size 768 × 768 has 589,824 pixels; it needs at least 655,360 in total'],
		[3840, 2176, 'The custom size 3840 × 2176 has 8,355,840 pixels; it may have at most 8,294,400 in total'],
		[1024.5, 1024, 'Width and Height must be whole numbers of pixels, not 1024.5 × 1024'],
	])('%s × %s breaks a rule: %s', (width, height, message) => {
		expect(customSizeViolation(rules, width, height)).toBe(message);
	});

	it('accepts the exact bounds: 1:3, 3:1, 655,360 and 8,294,400 pixels, a 3,840 edge', () => {
		expect(customSizeViolation(rules, 1024, 640)).toBeUndefined(); // 655,360
		expect(customSizeViolation(rules, 3840, 2160)).toBeUndefined(); // 8,294,400
		expect(customSizeViolation(rules, 1536, 512)).toBeUndefined(); // 3:1
		expect(customSizeViolation(rules, 512, 1536)).toBeUndefined(); // 1:3
	});
});

describe('gpt-image-2 in the poll schedule', () => {
	it("its ~94 s typical time delays the first status request to 0.725 of it (a model without one: 1 s)", () => {
		const start = { nowMs: 0, submittedMs: 0, deadlineMs: 600_000, polls: 0 };
		const typicalMs = (findOperationModel('gpt-image-2', 'generate')?.typicalDurationSeconds ?? 0) * 1000;
		expect(typicalMs).toBe(93_900);
		expect(nextPollDelayMs({ typicalMs }, start)).toBeCloseTo(typicalMs * FIRST_LOOK_SHARE, 0);
		expect(nextPollDelayMs({}, start)).toBe(1000);
	});
});
