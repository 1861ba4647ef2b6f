import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { CustomSizeRules, OperationModel } from '../models';
import { InvalidInput } from '../shared/jobSpec';

/**
 * Custom sizes (Size "Custom" with Width × Height, e.g. gpt-image-2): the rules from the model
 * file, checked here before anything is sent, shown in the panel in the same words.
 */

const count = (value: number) => value.toLocaleString('en-US');

/** The rules in plain words, e.g. for the panel's hints. */
export function customSizeRulesText(rules: CustomSizeRules): string {
	return `each edge a multiple of ${rules.multipleOf}, aspect ratio from 1:${rules.maxAspectRatio} to ${rules.maxAspectRatio}:1, longest edge at most ${count(rules.maxEdge)} pixels, ${count(rules.minPixels)} to ${count(rules.maxPixels)} pixels in total`;
}

/** The rule a custom width × height breaks, in plain words; undefined when it keeps them all. */
export function customSizeViolation(rules: CustomSizeRules, width: number, height: number): string | undefined {
	const size = `${width} × ${height}`;
	if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
		return `Width and Height must be whole numbers of pixels, not ${size}`;
	}
	for (const [name, edge] of [['Width', width], ['Height', height]] as const) {
		if (edge % rules.multipleOf !== 0) {
			const below = Math.floor(edge / rules.multipleOf) * rules.multipleOf;
			return `${name} ${edge} is not a multiple of ${rules.multipleOf}: each edge of a custom size must be (${below} or ${below + rules.multipleOf} would be)`;
		}
	}
	const longest = Math.max(width, height);
	const shortest = Math.min(width, height);
	if (longest > rules.maxEdge) {
		return `The custom size ${size} has an edge of ${count(longest)} pixels; the longest edge may be at most ${count(rules.maxEdge)}`;
	}
	if (longest > shortest * rules.maxAspectRatio) {
		const ratio = Math.round((longest / shortest) * 100) / 100;
		return `The custom size ${size} has an aspect ratio of ${ratio}:1; it must be from 1:${rules.maxAspectRatio} to ${rules.maxAspectRatio}:1 (the longer edge at most ${rules.maxAspectRatio} times the shorter)`;
	}
	const pixels = width * height;
	if (pixels < rules.minPixels) {
		return `The custom size ${size} has ${count(pixels)} pixels; it needs at least ${count(rules.minPixels)} in total`;
	}
	if (pixels > rules.maxPixels) {
		return `The custom size ${size} has ${count(pixels)} pixels; it may have at most ${count(rules.maxPixels)} in total`;
	}
	return undefined;
}

/**
 * Shapes a read and checked body for a model with custom sizes: with Size "Custom", Width × Height
 * must keep the rules (else InvalidInput, naming the rule) and is sent instead of the size;
 * with any other size, Width and Height are left out.
 */
export function applyCustomSize(model: OperationModel, values: Record<string, unknown>, body: IDataObject): void {
	const rules = model.customSize;
	if (!rules) return;
	const apiName = (name: string) => model.parameters.find((parameter) => parameter.name === name)?.apiName ?? name;
	if (values[rules.sizeParameter] !== rules.customValue) {
		delete body[apiName(rules.width)];
		delete body[apiName(rules.height)];
		return;
	}
	const violation = customSizeViolation(rules, Number(values[rules.width]), Number(values[rules.height]));
	if (violation !== undefined) throw new InvalidInput(violation);
	delete body[apiName(rules.sizeParameter)];
}

/** Width and Height fields show only for Size "Custom"; the rules are the hint under the pair. */
export function withCustomSizeFields(models: readonly OperationModel[], properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => {
		const slugs = (property.displayOptions?.show?.model ?? []) as string[];
		const rules = models.find((model) => slugs.includes(model.slug) && model.customSize)?.customSize;
		if (!rules || (property.name !== rules.width && property.name !== rules.height)) return property;
		return {
			...property,
			...(property.name === rules.height ? { hint: `Custom size: ${customSizeRulesText(rules)}` } : {}),
			displayOptions: {
				...property.displayOptions,
				show: { ...property.displayOptions?.show, [rules.sizeParameter]: [rules.customValue] },
			},
		};
	});
}
