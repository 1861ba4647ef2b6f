import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { ModelParameter, SegmindModel, SegmindOperation } from '../models';

/**
 * Turns model descriptions into n8n properties. Models that describe a field identically share
 * one property; where they differ (a default, a range, a description), each variant becomes its
 * own property shown only for its models, so the panel always shows the selected model's values.
 */

function formatSeconds(seconds: number): string {
	return `~${Math.round(seconds)} s`;
}

export function modelOption(model: SegmindModel): INodePropertyOptions {
	const hints: string[] = [];
	if (model.typicalDurationSeconds !== undefined) hints.push(formatSeconds(model.typicalDurationSeconds));
	if (model.priceHintUsd !== undefined) hints.push(`~$${model.priceHintUsd} per image`);
	return {
		name: model.displayName,
		value: model.slug,
		description: hints.length > 0 ? `${model.summary} (${hints.join(', ')})` : model.summary,
	};
}

function parameterProperty(parameter: ModelParameter): INodeProperties {
	const base = {
		displayName: parameter.displayName,
		name: parameter.name,
		description: parameter.description,
		required: parameter.required ?? false,
		...(parameter.hint ? { hint: parameter.hint } : {}),
	};
	switch (parameter.type) {
		case 'string':
			return {
				...base,
				type: 'string',
				default: parameter.default,
				...(parameter.placeholder ? { placeholder: parameter.placeholder } : {}),
				typeOptions: { rows: parameter.rows ?? 1 },
			};
		case 'url':
			return {
				...base,
				type: 'string',
				default: parameter.default,
				...(parameter.placeholder ? { placeholder: parameter.placeholder } : {}),
			};
		case 'urlList':
			return {
				...base,
				type: 'string',
				default: [...parameter.default],
				...(parameter.placeholder ? { placeholder: parameter.placeholder } : {}),
				typeOptions: { multipleValues: true, multipleValueButtonText: `Add ${parameter.displayName.replace(/s$/, '')}` },
			};
		case 'options':
			return {
				...base,
				type: 'options',
				default: parameter.default,
				options: parameter.options.map((option) => ({
					name: option.name ?? option.value,
					value: option.value,
					...(option.description ? { description: option.description } : {}),
				})),
			};
		case 'integer':
			return {
				...base,
				type: 'number',
				default: parameter.default,
				typeOptions: { minValue: parameter.min, maxValue: parameter.max, numberPrecision: 0 },
			};
	}
}

/**
 * One property per distinct parameter variant, in the order the parameters first appear, each
 * shown for the operation and exactly the models that describe it that way.
 */
export function modelParameterProperties(
	resource: string,
	operation: SegmindOperation,
	models: readonly SegmindModel[],
): INodeProperties[] {
	const variants = new Map<string, { property: INodeProperties; slugs: string[] }>();
	for (const model of models) {
		for (const parameter of model.parameters) {
			const property = parameterProperty(parameter);
			const key = JSON.stringify(property);
			const variant = variants.get(key);
			if (variant) variant.slugs.push(model.slug);
			else variants.set(key, { property, slugs: [model.slug] });
		}
	}
	const ordered = [...variants.values()].sort(
		(a, b) => firstPosition(models, a.property.name) - firstPosition(models, b.property.name),
	);
	return ordered.map(({ property, slugs }) => ({
		...property,
		displayOptions: { show: { resource: [resource], operation: [operation], model: slugs } },
	}));
}

function firstPosition(models: readonly SegmindModel[], name: string): number {
	for (const model of models) {
		const index = model.parameters.findIndex((parameter) => parameter.name === name);
		if (index >= 0) return index;
	}
	return Number.MAX_SAFE_INTEGER;
}
