import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { ModelParameter, OperationModel, SegmindModel, SegmindOperation } from '../models';
import { findModel } from '../models';

/**
 * Turns model descriptions into n8n properties. Models that describe a field identically share
 * one property; where they differ (a default, a range, a description), each variant becomes its
 * own property shown only for its models, so the panel always shows the selected model's values.
 */

function formatSeconds(seconds: number): string {
	return `~${Math.round(seconds)} s`;
}

/**
 * For a model retired upstream, e.g. "Retired upstream: OpenAI shut it down on 2026-10-23; Segmind
 * may refuse it. Use GPT Image 1.5 or GPT Image 2 instead." — given an operation, naming only the
 * replacements that serve it. (The README's model table shows it too.)
 */
export function retirementNotice(model: SegmindModel, operation?: SegmindOperation): string | undefined {
	const retired = model.retiredUpstream;
	if (!retired) return undefined;
	const names = retired.replacements
		.map((slug) => findModel(slug))
		.filter((replacement) => replacement && (!operation || replacement.operations.includes(operation)))
		.map((replacement) => (replacement as SegmindModel).displayName);
	const use = names.length > 0 ? ` Use ${names.join(' or ')} instead.` : '';
	return `Retired upstream: ${retired.by} shut it down on ${retired.on}; Segmind may refuse it.${use}`;
}

export function modelOption(model: OperationModel): INodePropertyOptions {
	const hints: string[] = [];
	if (model.typicalDurationSeconds !== undefined) hints.push(formatSeconds(model.typicalDurationSeconds));
	if (model.priceHintUsd !== undefined) hints.push(`~$${model.priceHintUsd} per image`);
	const summary = hints.length > 0 ? `${model.summary} (${hints.join(', ')})` : model.summary;
	const retired = retirementNotice(model, model.operation);
	return {
		name: retired ? `${model.displayName} (Retired Upstream)` : model.displayName,
		value: model.slug,
		description: retired ? `${retired} ${summary}` : summary,
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
	models: readonly OperationModel[],
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
	const order = fieldOrder(models);
	const ordered = [...variants.values()].sort(
		(a, b) => order.indexOf(a.property.name) - order.indexOf(b.property.name),
	);
	return ordered.map(({ property, slugs }) => ({
		...property,
		displayOptions: { show: { resource: [resource], operation: [operation], model: slugs } },
	}));
}

/**
 * Field names in panel order: each model's own order, a field new to a model placed right after
 * that model's previous field (so a model's Width and Height stay together after its Size).
 */
function fieldOrder(models: readonly OperationModel[]): string[] {
	const order: string[] = [];
	for (const model of models) {
		let previous = -1;
		for (const parameter of model.parameters) {
			let index = order.indexOf(parameter.name);
			if (index < 0) {
				index = previous + 1;
				order.splice(index, 0, parameter.name);
			}
			previous = index;
		}
	}
	return order;
}
