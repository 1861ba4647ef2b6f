import type { INodeProperties } from 'n8n-workflow';

import { Segmind } from '../../nodes/Segmind/Segmind.node';
import { modelParameterProperties } from '../../nodes/Segmind/description/modelProperties';
import { findModel, modelForOperation, modelsForOperation, segmindModels } from '../../nodes/Segmind/models';
import type { SegmindModel } from '../../nodes/Segmind/models';
import { loadSeedPages } from '../fixtures/seedPages';

const seeds = loadSeedPages();
const properties = new Segmind().description.properties;

const camelCase = (name: string) => name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());

/** The properties n8n shows for a model, under (the first) Image operation the model serves. */
function visibleFor(slug: string, operation = findModel(slug)?.operations[0] ?? 'edit'): INodeProperties[] {
	return properties.filter((property) => {
		const show = property.displayOptions?.show;
		if (!show) return true;
		if (show.resource && !show.resource.includes('image')) return false;
		if (show.operation && !show.operation.includes(operation)) return false;
		return !show.model || show.model.includes(slug);
	});
}

describe('model descriptions against the Segmind model pages', () => {
	it('has a seed page for both seed models', () => {
		expect(seeds.map((seed) => seed.slug).sort()).toEqual(['gpt-image-1-edit-mini', 'gpt-image-1.5-edit']);
	});

	describe.each(seeds.map((seed) => [seed.slug, seed] as const))('%s', (slug, seed) => {
		const model = findModel(slug) as SegmindModel;

		it('is registered with the page summary and typical duration', () => {
			expect(model).toBeDefined();
			expect(model.summary).toBe(seed.summary);
			expect(model.typicalDurationSeconds).toBe(seed.typicalSeconds);
			expect(seed.title).toContain(model.displayName);
		});

		it('describes exactly the parameters of the page, with their Segmind names', () => {
			expect(model.parameters.map((parameter) => parameter.apiName).sort()).toEqual(
				seed.parameters.map((parameter) => parameter.name).sort(),
			);
			for (const parameter of model.parameters) expect(parameter.name).toBe(camelCase(parameter.apiName));
		});

		it.each(seed.parameters.map((parameter) => [parameter.name, parameter] as const))(
			'%s: type, default, allowed values and requiredness match the page',
			(_name, seedParameter) => {
				const parameter = model.parameters.find((candidate) => candidate.apiName === seedParameter.name)!;
				const expectedType = seedParameter.allowed
					? 'options'
					: { 'string[]': 'urlList', 'string (uri)': 'url', integer: 'integer', string: 'string' }[seedParameter.type];
				expect(parameter.type).toBe(expectedType);
				if (seedParameter.default !== undefined) expect(parameter.default).toEqual(seedParameter.default);
				if (seedParameter.allowed && parameter.type === 'options') {
					expect(parameter.options.map((option) => option.value)).toEqual(seedParameter.allowed);
				}
				// The pages mark mask required, yet every example sends null: it is optional here.
				const required = seedParameter.name === 'mask' ? false : seedParameter.required;
				expect(parameter.required ?? false).toBe(required);
			},
		);

		it.each(seed.parameters.map((parameter) => [parameter.name, parameter] as const))(
			'%s: the node panel shows one field with the page default and allowed values',
			(_name, seedParameter) => {
				const shown = visibleFor(slug).filter((property) => property.name === camelCase(seedParameter.name));
				expect(shown).toHaveLength(1);
				const [property] = shown;
				const expectedDefault =
					seedParameter.default ?? (seedParameter.type === 'string[]' ? [] : '');
				expect(property.default).toEqual(expectedDefault);
				if (seedParameter.allowed) {
					expect(property.type).toBe('options');
					expect(property.options?.map((option) => (option as { value: string }).value)).toEqual(
						seedParameter.allowed,
					);
				}
				if (seedParameter.type === 'integer') {
					expect(property.type).toBe('number');
					expect(property.typeOptions).toMatchObject({ minValue: 1, maxValue: 100, numberPrecision: 0 });
				}
				if (seedParameter.type === 'string[]') expect(property.typeOptions?.multipleValues).toBe(true);
			},
		);
	});

	it('shows the differing defaults of the two models (quality, output compression)', () => {
		const defaultOf = (slug: string, name: string) =>
			visibleFor(slug).find((property) => property.name === name)?.default;
		expect(defaultOf('gpt-image-1-edit-mini', 'quality')).toBe('auto');
		expect(defaultOf('gpt-image-1.5-edit', 'quality')).toBe('high');
		expect(defaultOf('gpt-image-1-edit-mini', 'outputCompression')).toBe(100);
		expect(defaultOf('gpt-image-1.5-edit', 'outputCompression')).toBe(95);
	});

	it.each([
		['edit', 'gpt-image-1-edit-mini'],
		['generate', 'gpt-image-1-mini'],
	] as const)('offers every %s model in that operation\'s model dropdown, by slug', (operation, defaultSlug) => {
		const dropdown = properties.find(
			(property) => property.name === 'model' && property.displayOptions?.show?.operation?.includes(operation),
		)!;
		expect(dropdown.options?.map((option) => (option as { value: string }).value)).toEqual(
			modelsForOperation(operation).map((model) => model.slug),
		);
		expect(dropdown.default).toBe(defaultSlug);
	});
});

describe('property generation', () => {
	const extraModel: SegmindModel = {
		slug: 'made-up-model',
		displayName: 'Made Up',
		summary: 'A model that exists only in this test.',
		operations: ['edit'],
		typicalDurationSeconds: 5,
		documentationUrl: 'https://example.com',
		parameters: [
			{ displayName: 'Prompt', name: 'prompt', apiName: 'prompt', type: 'string', default: '', description: 'Words.', required: true },
			{ displayName: 'Steps', name: 'steps', apiName: 'steps', type: 'integer', default: 20, min: 1, max: 50, description: 'How many steps.' },
			// Described exactly as the mini edit model does, so the two share one field.
			findModel('gpt-image-1-edit-mini')!.parameters.find((parameter) => parameter.name === 'outputFormat')!,
		],
	};

	it('covers a new model from its description alone, sharing identical fields', () => {
		const generated = modelParameterProperties('image', 'edit', [...modelsForOperation('edit'), modelForOperation(extraModel, 'edit')!]);
		const steps = generated.filter((property) => property.name === 'steps');
		expect(steps).toHaveLength(1);
		expect(steps[0].displayOptions?.show?.model).toEqual(['made-up-model']);
		expect(steps[0].typeOptions).toMatchObject({ minValue: 1, maxValue: 50 });
		const formats = generated.filter((property) => property.name === 'outputFormat');
		expect(formats.map((property) => property.displayOptions?.show?.model)).toEqual([
			['gpt-image-1-edit-mini', 'gpt-image-1-edit', 'made-up-model'],
			['gpt-image-2'],
			['gpt-image-1.5-edit'],
		]);
	});

	it('never shows two fields of the same name for one model', () => {
		for (const model of segmindModels) {
			for (const operation of model.operations) {
				const names = visibleFor(model.slug, operation).map((property) => property.name);
				expect(new Set(names).size).toBe(names.length);
			}
		}
	});
});

describe('the rest of the GPT Image family (shared/segmind-api.md)', () => {
	const editFields = findModel('gpt-image-1-edit-mini')!.parameters.map((parameter) => parameter.name);
	const generateFields = ['prompt', 'size', 'quality', 'background', 'outputCompression', 'outputFormat', 'moderation'];

	it('gpt-image-1-edit has the same parameters as the mini edit model', () => {
		const model = findModel('gpt-image-1-edit')!;
		expect(model.operations).toEqual(['edit']);
		// Same fields, values and descriptions; only the `inferred` marks differ (test/unit/familyPages.test.ts).
		const withoutMarks = (parameters: SegmindModel['parameters']) => parameters.map((parameter) => ({ ...parameter, inferred: undefined }));
		expect(withoutMarks(model.parameters)).toEqual(withoutMarks(findModel('gpt-image-1-edit-mini')!.parameters));
		expect(visibleFor('gpt-image-1-edit').filter((property) => editFields.includes(property.name))).toHaveLength(
			editFields.length,
		);
		expect(model).toMatchObject({ typicalDurationSeconds: 58.03, priceHintUsd: 0.14 });
	});

	it.each(['gpt-image-1', 'gpt-image-1-mini', 'gpt-image-1.5'])(
		'%s generates from text: prompt, size, quality, moderation, background, compression, format; no images or mask',
		(slug) => {
			const model = findModel(slug)!;
			expect(model.operations).toEqual(['generate']);
			expect(model.parameters.map((parameter) => parameter.name).sort()).toEqual([...generateFields].sort());
			const shown = visibleFor(slug).map((property) => property.name);
			for (const field of generateFields) expect(shown).toContain(field);
			expect(shown).not.toContain('imageUrls');
			expect(shown).not.toContain('mask');
		},
	);

	it('gives each generation model its own defaults', () => {
		const defaultOf = (slug: string, name: string) =>
			visibleFor(slug).find((property) => property.name === name)?.default;
		expect(defaultOf('gpt-image-1.5', 'quality')).toBe('high');
		expect(defaultOf('gpt-image-1.5', 'size')).toBe('1536x1024');
		expect(defaultOf('gpt-image-1-mini', 'quality')).toBe('high');
		expect(defaultOf('gpt-image-1-mini', 'size')).toBe('1024x1024');
		expect(defaultOf('gpt-image-1', 'quality')).toBe('auto');
	});

	it('shows the typical duration and price in the model dropdown where known', () => {
		const editDropdown = properties.find(
			(property) => property.name === 'model' && property.displayOptions?.show?.operation?.includes('edit'),
		)!;
		const mini = editDropdown.options!.find((option) => (option as { value: string }).value === 'gpt-image-1-edit-mini');
		expect((mini as { description: string }).description).toContain('~42 s, ~$0.028 per image');
	});

	it('lists every model exactly once in the registry', () => {
		const slugs = segmindModels.map((model) => model.slug);
		expect(new Set(slugs).size).toBe(slugs.length);
	});
});
