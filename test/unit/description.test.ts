import type { INodeProperties } from 'n8n-workflow';

import { Segmind } from '../../nodes/Segmind/Segmind.node';
import { modelParameterProperties } from '../../nodes/Segmind/description/modelProperties';
import { findModel, segmindModels } from '../../nodes/Segmind/models';
import type { SegmindModel } from '../../nodes/Segmind/models';
import { loadSeedPages } from '../fixtures/seedPages';

const seeds = loadSeedPages();
const properties = new Segmind().description.properties;

const camelCase = (name: string) => name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());

/** The properties n8n shows for a model of the Edit operation. */
function visibleFor(slug: string): INodeProperties[] {
	return properties.filter((property) => {
		const show = property.displayOptions?.show;
		if (!show) return true;
		if (show.resource && !show.resource.includes('image')) return false;
		if (show.operation && !show.operation.includes('edit')) return false;
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

	it('offers every registered model in the model dropdown, by slug', () => {
		const modelProperty = properties.find((property) => property.name === 'model')!;
		expect(modelProperty.options?.map((option) => (option as { value: string }).value)).toEqual(
			segmindModels.map((model) => model.slug),
		);
		expect(modelProperty.default).toBe('gpt-image-1-edit-mini');
	});
});

describe('property generation', () => {
	const extraModel: SegmindModel = {
		slug: 'made-up-model',
		displayName: 'Made Up',
		summary: 'A model that exists only in this test.',
		operation: 'edit',
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
		const generated = modelParameterProperties('image', 'edit', [...segmindModels, extraModel]);
		const steps = generated.filter((property) => property.name === 'steps');
		expect(steps).toHaveLength(1);
		expect(steps[0].displayOptions?.show?.model).toEqual(['made-up-model']);
		expect(steps[0].typeOptions).toMatchObject({ minValue: 1, maxValue: 50 });
		const formats = generated.filter((property) => property.name === 'outputFormat');
		expect(formats.map((property) => property.displayOptions?.show?.model)).toEqual([
			['gpt-image-1-edit-mini', 'made-up-model'],
			['gpt-image-1.5-edit'],
		]);
	});

	it('never shows two fields of the same name for one model', () => {
		for (const model of segmindModels) {
			const names = visibleFor(model.slug).map((property) => property.name);
			expect(new Set(names).size).toBe(names.length);
		}
	});
});
