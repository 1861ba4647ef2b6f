import { findModel } from '../../nodes/Segmind/models';
import type { ModelParameter, SegmindModel } from '../../nodes/Segmind/models';
import { loadFamilyPages } from '../fixtures/familyPages';

const pages = loadFamilyPages();

/** The values the page shows for a field, and whether the model file has to call its own inferred. */
function pageFacts(parameter: ModelParameter, page: (typeof pages)[number]) {
	const shown = page.parameters.find((candidate) => candidate.name === parameter.apiName);
	const defaultShown = shown?.default !== undefined;
	const valuesShown = parameter.type !== 'options' || shown?.allowed !== undefined;
	// A field the page marks required has no default to show (mask included, which the node makes optional).
	return { shown, complete: shown?.required === true || (defaultShown && valuesShown) };
}

describe('the GPT Image family model files against their Segmind pages (test/fixtures/pages)', () => {
	it('has a stored page for each family model', () => {
		expect(pages.map((page) => page.slug)).toEqual(['gpt-image-1-edit', 'gpt-image-1-mini', 'gpt-image-1.5', 'gpt-image-1']);
	});

	describe.each(pages.map((page) => [page.slug, page] as const))('%s', (slug, page) => {
		const model = findModel(slug) as SegmindModel;

		it("takes the page's summary, typical time and price", () => {
			expect(model.summary).toBe(page.summary);
			expect(model.typicalDurationSeconds).toBe(page.typicalSeconds);
			expect(model.priceHintUsd).toBe(page.priceUsd);
			expect(page.title).toContain(model.displayName);
			expect(page.url).toBe(`${model.documentationUrl}/api`);
		});

		it("describes exactly the fields of the page's example request, with Segmind's names", () => {
			expect(model.parameters.map((parameter) => parameter.apiName).sort()).toEqual(Object.keys(page.example).sort());
			for (const shown of page.parameters) expect(Object.keys(page.example)).toContain(shown.name);
		});

		it.each(Object.keys(page.example))('%s: what the page shows is what the model file says', (apiName) => {
			const parameter = model.parameters.find((candidate) => candidate.apiName === apiName)!;
			const { shown } = pageFacts(parameter, page);
			if (!shown) return;
			// The pages mark mask required, yet every example sends null: it is optional here.
			expect(parameter.required ?? false).toBe(apiName === 'mask' ? false : shown.required);
			// A required field's page "default" is an example (gpt-image-1 shows its example prompt): the node sends none.
			if (parameter.required) expect(parameter.default).toEqual(parameter.type === 'urlList' ? [] : '');
			else if (shown.default !== undefined) expect(parameter.default).toEqual(shown.default);
			if (shown.allowed) {
				expect(parameter.type).toBe('options');
				if (parameter.type === 'options') expect(parameter.options.map((option) => option.value)).toEqual(shown.allowed);
			}
			if (shown.type === 'integer') expect(parameter.type).toBe('integer');
		});

		it.each(Object.keys(page.example))('%s: is marked inferred exactly when the page does not show it all', (apiName) => {
			const parameter = model.parameters.find((candidate) => candidate.apiName === apiName)!;
			const { shown, complete } = pageFacts(parameter, page);
			if (complete) {
				expect(parameter.inferred).toBeUndefined();
				return;
			}
			expect(parameter.inferred).toEqual(expect.any(String));
			// What is not shown as a default comes from the page's example request.
			if (shown?.default === undefined && !parameter.required) expect(parameter.default).toEqual(page.example[apiName]);
		});
	});

	it('reads the figures the issue quotes (gpt-image-1.5 quality high, ~39.9 s, ~$0.154; gpt-image-1 ~48.9 s, ~$0.179)', () => {
		const byslug = Object.fromEntries(pages.map((page) => [page.slug, page]));
		expect(byslug['gpt-image-1.5'].parameters.find((parameter) => parameter.name === 'quality')?.default).toBe('high');
		expect(byslug['gpt-image-1.5']).toMatchObject({ typicalSeconds: 39.85, priceUsd: 0.154 });
		expect(byslug['gpt-image-1']).toMatchObject({ typicalSeconds: 48.94, priceUsd: 0.179 });
	});
});
