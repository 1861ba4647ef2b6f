import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ModelParameter, SegmindModel, UrlListParameter } from '../models';
import { findModel } from '../models';
import type { PreparedJob } from './preparedJob';

/**
 * Reads an item's parameters for its model and checks them against the model description, so
 * bad input fails here, before anything is sent to Segmind (and before any credit is spent).
 */

class InvalidInput extends Error {}

function isHttpUrl(text: string): boolean {
	try {
		const url = new URL(text);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}

/** URLs from a list field: entries may be arrays (from expressions) or text holding several URLs. */
function urlEntries(value: unknown): string[] {
	if (value === undefined || value === null) return [];
	if (Array.isArray(value)) return value.flatMap(urlEntries);
	if (typeof value === 'object') {
		const { url } = value as { url?: unknown };
		return url === undefined ? [JSON.stringify(value)] : urlEntries(url);
	}
	return String(value)
		.split(/\s+|,(?=\s*https?:\/\/)/i)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

function readUrlList(parameter: UrlListParameter, value: unknown): string[] {
	const urls = urlEntries(value);
	const label = `"${parameter.displayName}"`;
	if (urls.length < (parameter.minItems ?? 0)) {
		throw new InvalidInput(`${label} needs at least ${parameter.minItems} URL${parameter.minItems === 1 ? '' : 's'}`);
	}
	if (parameter.maxItems !== undefined && urls.length > parameter.maxItems) {
		throw new InvalidInput(`${label} has ${urls.length} URLs; the model takes at most ${parameter.maxItems}`);
	}
	const bad = urls.find((url) => !isHttpUrl(url));
	if (bad !== undefined) throw new InvalidInput(`${label} holds "${bad.slice(0, 200)}", which is not an http(s) URL`);
	return urls;
}

/** The value to send, or undefined to leave the field out. */
function readValue(parameter: ModelParameter, value: unknown): unknown {
	const label = `"${parameter.displayName}"`;
	switch (parameter.type) {
		case 'string': {
			const text = value === undefined || value === null ? '' : String(value);
			if (parameter.required && text.trim() === '') throw new InvalidInput(`${label} is empty`);
			if (parameter.maxLength !== undefined && text.length > parameter.maxLength) {
				throw new InvalidInput(`${label} has ${text.length} characters; the model takes at most ${parameter.maxLength}`);
			}
			return text === '' ? undefined : text;
		}
		case 'url': {
			const text = value === undefined || value === null ? '' : String(value).trim();
			if (text === '') {
				if (parameter.required) throw new InvalidInput(`${label} is empty`);
				return undefined;
			}
			if (!isHttpUrl(text)) throw new InvalidInput(`${label} "${text.slice(0, 200)}" is not an http(s) URL`);
			return text;
		}
		case 'urlList':
			return readUrlList(parameter, value);
		case 'options': {
			const text = String(value ?? '');
			const allowed = parameter.options.map((option) => option.value);
			if (!allowed.includes(text)) {
				throw new InvalidInput(`${label} is "${text.slice(0, 100)}"; allowed values are ${allowed.join(', ')}`);
			}
			return text;
		}
		case 'integer': {
			const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
			if (typeof number !== 'number' || !Number.isInteger(number) || number < parameter.min || number > parameter.max) {
				throw new InvalidInput(`${label} must be a whole number from ${parameter.min} to ${parameter.max}, not "${String(value)}"`);
			}
			return number;
		}
	}
}

function checkConstraints(model: SegmindModel, values: Record<string, unknown>): void {
	for (const constraint of model.constraints ?? []) {
		const trigger = values[constraint.when.field];
		const other = values[constraint.require.field];
		if (constraint.when.values.includes(String(trigger)) && !constraint.require.allowed.includes(String(other))) {
			throw new InvalidInput(constraint.message);
		}
	}
}

/** An input error: names the field and the item, and says nothing was spent. */
export function invalidInputError(this: IExecuteFunctions, itemIndex: number, message: string): NodeOperationError {
	return new NodeOperationError(this.getNode(), `${message} [item ${itemIndex}]`, {
		itemIndex,
		description: 'Nothing was sent to Segmind for this item, so no credit was spent.',
	});
}

/** Reads and checks an item's fields for the selected described model. */
export function prepareModelJob(this: IExecuteFunctions, itemIndex: number): PreparedJob {
	const slug = this.getNodeParameter('model', itemIndex) as string;
	const model = findModel(slug);
	const fail = (message: string) => invalidInputError.call(this, itemIndex, message);
	if (!model) throw fail(`The model "${slug}" is not one this node knows`);
	const values: Record<string, unknown> = {};
	const body: IDataObject = {};
	try {
		for (const parameter of model.parameters) {
			const value = readValue(parameter, this.getNodeParameter(parameter.name, itemIndex, parameter.default));
			values[parameter.name] = value;
			if (value !== undefined) body[parameter.apiName] = value as IDataObject[keyof IDataObject];
		}
		checkConstraints(model, values);
	} catch (error) {
		// Besides our own checks, n8n throws here when an expression in a field fails.
		throw fail(error instanceof Error ? error.message : String(error));
	}
	return {
		model: model.slug,
		body,
		typicalDurationSeconds: model.typicalDurationSeconds,
		requireImage: true,
		includeResult: false,
	};
}
