import { Segmind } from '../../nodes/Segmind/Segmind.node';
import { findModel, modelsForOperation } from '../../nodes/Segmind/models';

/** GPT Image 1 is retired upstream: still offered, marked as such, pointing to its replacements. */

const properties = new Segmind().description.properties;
const dropdownOption = (operation: string, slug: string) => {
	const dropdown = properties.find((property) => property.name === 'model' && property.displayOptions?.show?.operation?.includes(operation))!;
	return dropdown.options!.find((option) => (option as { value: string }).value === slug) as { name: string; description: string };
};

describe('GPT Image 1, retired upstream', () => {
	it.each([
		['generate', 'gpt-image-1', 'GPT Image 1 (Retired Upstream)', 'Use GPT Image 1.5 or GPT Image 2 instead.'],
		['edit', 'gpt-image-1-edit', 'GPT Image 1 Edit (Retired Upstream)', 'Use GPT Image 1.5 Edit or GPT Image 2 instead.'],
	])('Image › %s still offers %s, marked in the dropdown with its replacements', (operation, slug, name, use) => {
		const option = dropdownOption(operation, slug);
		expect(option.name).toBe(name);
		expect(option.description.startsWith(`Retired upstream: OpenAI shut it down on 2026-10-23; Segmind may refuse it. ${use}`)).toBe(true);
		expect(findModel(slug)!.retiredUpstream).toEqual(expect.objectContaining({ by: 'OpenAI', on: '2026-10-23' }));
	});

	it('lists the retired models last, and names only registered replacements that serve the operation', () => {
		for (const operation of ['generate', 'edit'] as const) {
			const models = modelsForOperation(operation);
			const firstRetired = models.findIndex((model) => model.retiredUpstream);
			expect(firstRetired).toBeGreaterThan(0);
			expect(models.slice(firstRetired).every((model) => model.retiredUpstream)).toBe(true);
			for (const model of models.slice(firstRetired)) {
				for (const replacement of model.retiredUpstream!.replacements) {
					expect(findModel(replacement)?.operations).toContain(operation);
					expect(findModel(replacement)?.retiredUpstream).toBeUndefined();
				}
			}
		}
	});

	it('marks no other model', () => {
		expect(dropdownOption('generate', 'gpt-image-1-mini').name).toBe('GPT Image 1 Mini');
		expect(dropdownOption('edit', 'gpt-image-1-edit-mini').description).not.toContain('Retired');
	});

	it('keeps the default model of each operation (saved workflows that never set it keep theirs)', () => {
		expect(modelsForOperation('edit')[0].slug).toBe('gpt-image-1-edit-mini');
		expect(modelsForOperation('generate')[0].slug).toBe('gpt-image-1-mini');
	});
});
