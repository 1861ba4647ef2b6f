import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { InvalidInput, isRequestId } from '../shared/jobSpec';

/**
 * Reads parameter values by their type. An expression in a field can hand the node any value (an
 * object, a list, NaN, an empty value), and n8n passes it on as it is: each reader here either
 * returns a value of the field's type or refuses it with the field's name and what it got, so
 * nothing malformed reaches Segmind. The rules come from the field's description: the model files
 * (models/*.model.ts) for model fields, the n8n property (its type and `typeOptions`) for the others.
 */


/** How a message shows what a field got, e.g. `an object ({"a":1})`, `NaN`, `"ten"`. */
export function describeValue(value: unknown): string {
	const preview = (text: string) => (text.length > 80 ? `${text.slice(0, 80)}…` : text);
	if (value === undefined || value === null) return 'an empty value';
	if (typeof value === 'string') return value.trim() === '' ? 'empty text' : `"${preview(value)}"`;
	if (typeof value === 'number' || typeof value === 'bigint') return String(value);
	if (typeof value === 'boolean') return `${String(value)} (a boolean)`;
	if (Array.isArray(value)) {
		return `a list of ${value.length} value${value.length === 1 ? '' : 's'} (${preview(JSON.stringify(value) ?? '')})`;
	}
	if (typeof value === 'object') return `an object (${preview(JSON.stringify(value) ?? '')})`;
	return `a ${typeof value}`;
}

const quoted = (field: string) => `"${field}"`;

export interface TextRules {
	required?: boolean;
	maxLength?: number;
}

/**
 * Text, or undefined when the field is empty and optional. A finite number becomes its text; an
 * object, a list, a boolean or NaN is refused, and so is an empty value where the field is required.
 */
export function readText(field: string, value: unknown, rules: TextRules = {}): string | undefined {
	let text: string;
	if (value === undefined || value === null) text = '';
	else if (typeof value === 'string') text = value;
	else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
	else throw new InvalidInput(`${quoted(field)} must be text, not ${describeValue(value)}`);
	if (text.trim() === '') {
		if (rules.required) throw new InvalidInput(`${quoted(field)} is empty`);
		return undefined;
	}
	if (rules.maxLength !== undefined && text.length > rules.maxLength) {
		throw new InvalidInput(`${quoted(field)} has ${text.length} characters; the model takes at most ${rules.maxLength}`);
	}
	return text;
}

function isHttpUrl(text: string): boolean {
	try {
		const url = new URL(text);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}

/** Text split into URLs: on white space, and on a comma that starts another http(s) URL. */
function splitUrls(text: string): string[] {
	return text
		.split(/\s+|,(?=\s*https?:\/\/)/i)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

/**
 * One http(s) URL, or undefined when the field is empty. A list, or text holding several URLs
 * (which `new URL` would happily take as one, commas and all), is refused.
 */
export function readUrl(field: string, value: unknown, rules: { required?: boolean } = {}): string | undefined {
	if (Array.isArray(value)) throw new InvalidInput(`${quoted(field)} takes one URL, not ${describeValue(value)}`);
	const text = readText(field, value, rules)?.trim();
	if (text === undefined) return undefined;
	const urls = splitUrls(text).filter(isHttpUrl);
	if (urls.length > 1) {
		throw new InvalidInput(`${quoted(field)} holds ${urls.length} URLs ("${text.slice(0, 200)}"); it takes one`);
	}
	if (!isHttpUrl(text)) throw new InvalidInput(`${quoted(field)} "${text.slice(0, 200)}" is not an http(s) URL`);
	return text;
}

/** Entries of a URL list: lists (from expressions) are flattened, `{url}` objects and text with several URLs opened. */
function urlEntries(field: string, value: unknown): string[] {
	if (value === undefined || value === null) return [];
	if (Array.isArray(value)) return value.flatMap((entry) => urlEntries(field, entry));
	if (typeof value === 'object') {
		const { url } = value as { url?: unknown };
		if (url === undefined) throw new InvalidInput(`${quoted(field)} must hold URLs, not ${describeValue(value)}`);
		return urlEntries(field, url);
	}
	if (typeof value !== 'string') throw new InvalidInput(`${quoted(field)} must hold URLs, not ${describeValue(value)}`);
	return splitUrls(value);
}

/** Every URL of a list field, each one checked; how many there may be is the caller's rule. */
export function readUrlList(field: string, value: unknown): string[] {
	const urls = urlEntries(field, value);
	const bad = urls.find((url) => !isHttpUrl(url));
	if (bad !== undefined) {
		throw new InvalidInput(`${quoted(field)} holds "${bad.slice(0, 200)}", which is not an http(s) URL`);
	}
	return urls;
}

export interface NumberRules {
	min: number;
	max: number;
	/** Whole numbers only. */
	integer?: boolean;
}

/** A finite number inside the range (numeric text counts); NaN, Infinity, empty, objects are refused. */
export function readNumber(field: string, value: unknown, rules: NumberRules): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	const valid =
		typeof number === 'number' &&
		Number.isFinite(number) &&
		(!rules.integer || Number.isInteger(number)) &&
		number >= rules.min &&
		number <= rules.max;
	if (!valid) {
		const kind = rules.integer ? 'a whole number' : 'a number';
		throw new InvalidInput(`${quoted(field)} must be ${kind} from ${rules.min} to ${rules.max}, not ${describeValue(value)}`);
	}
	return number;
}

/** One of the allowed values. */
export function readChoice(field: string, value: unknown, allowed: readonly string[]): string {
	if (typeof value !== 'string' || !allowed.includes(value)) {
		throw new InvalidInput(`${quoted(field)} is ${describeValue(value)}; allowed values are ${allowed.join(', ')}`);
	}
	return value;
}

/** true or false (the text "true"/"false" from an expression counts). */
export function readBoolean(field: string, value: unknown): boolean {
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	throw new InvalidInput(`${quoted(field)} must be true or false, not ${describeValue(value)}`);
}

/** Names that a plain object cannot hold as its own field, or that n8n's path helpers treat specially. */
export const UNSAFE_FIELD_NAMES: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/**
 * The name of an item's binary field, trimmed. `__proto__` would silently not be set on the item
 * (the image paid for, then lost), `constructor` and `prototype` are not ordinary fields either.
 */
export function readFieldName(field: string, value: unknown): string {
	const name = (readText(field, value) ?? '').trim();
	if (name === '') throw new InvalidInput(`${quoted(field)} is empty`);
	if (UNSAFE_FIELD_NAMES.includes(name)) {
		throw new InvalidInput(`${quoted(field)} cannot be "${name}": n8n cannot hold a binary field by that name`);
	}
	return name;
}

/**
 * Binary field names from a field that takes several: "data, photo", or a list from an
 * expression; each one checked as readFieldName does, duplicates dropped.
 */
export function readFieldNameList(field: string, value: unknown): string[] {
	const entries = Array.isArray(value) ? value.flat(2) : [value];
	const names = entries.flatMap((entry) => (readText(field, entry) ?? '').split(','));
	return [...new Set(names.filter((name) => name.trim() !== '').map((name) => readFieldName(field, name)))];
}

/** Segmind model slugs: the part after /v2/ in the API URL. */
const SLUG_PATTERN = /^[a-z0-9][a-z0-9._-]*$/i;

/** A Segmind model slug (no slashes, so it cannot reach another endpoint), or undefined when empty and optional. */
export function readSlug(field: string, value: unknown, rules: { required?: boolean } = {}): string | undefined {
	const slug = readText(field, value, rules)?.trim();
	if (slug === undefined) return undefined;
	if (!SLUG_PATTERN.test(slug)) {
		throw new InvalidInput(`${quoted(field)} "${slug.slice(0, 100)}" is not a Segmind model slug (letters, digits, ".", "-" and "_")`);
	}
	return slug;
}

/** A request id for Job › Get Result: one that can be a Segmind request id (see isRequestId). */
export function readRequestId(field: string, value: unknown): string {
	const id = (readText(field, value, { required: true }) ?? '').trim();
	if (!isRequestId(id)) {
		throw new InvalidInput(
			// JSON quoting shows control characters as escapes instead of printing them.
			`${quoted(field)} ${JSON.stringify(id.slice(0, 100))} is not a Segmind request ID (letters, digits, "-", "_" and single dots)`,
		);
	}
	return id;
}

/** A JSON object: an object from an expression, or text that parses to one. */
export function readJsonObject(field: string, value: unknown): IDataObject {
	let parsed = value;
	if (typeof value === 'string') {
		if (value.trim() === '') throw new InvalidInput(`${quoted(field)} is empty`);
		let problem: string | undefined;
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			problem = (error as Error).message;
		}
		if (problem !== undefined) throw new InvalidInput(`${quoted(field)} is not valid JSON: ${problem}`);
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new InvalidInput(`${quoted(field)} must be a JSON object, not ${describeValue(parsed)}`);
	}
	return parsed as IDataObject;
}

/** A number property's range as its description says it, e.g. `from 1 to 3600`. */
export function rangeText(typeOptions: { minValue: number; maxValue: number }): string {
	return `from ${typeOptions.minValue} to ${typeOptions.maxValue}`;
}

/**
 * A value of an n8n property, checked by the property's own type and `typeOptions`, so the
 * range a field shows in the editor is the range the node enforces. Missing → the default.
 */
export function readPropertyValue(property: INodeProperties, value: unknown): unknown {
	const given = value === undefined ? property.default : value;
	const field = property.displayName;
	switch (property.type) {
		case 'number': {
			const { minValue = -Number.MAX_VALUE, maxValue = Number.MAX_VALUE, numberPrecision } = property.typeOptions ?? {};
			return readNumber(field, given, { min: minValue, max: maxValue, integer: numberPrecision === 0 });
		}
		case 'boolean':
			return readBoolean(field, given);
		case 'options':
			return readChoice(
				field,
				given,
				(property.options ?? []).flatMap((option) => ('value' in option ? [String(option.value)] : [])),
			);
		case 'string':
			return readText(field, given, { required: property.required }) ?? '';
		default:
			return given;
	}
}

/**
 * The options of a collection, each read by its property; options not set take their default,
 * values for options the collection does not have (e.g. left from an older node version) are
 * ignored.
 */
export function readCollection(properties: readonly INodeProperties[], values: unknown): IDataObject {
	if (values !== undefined && values !== null && (typeof values !== 'object' || Array.isArray(values))) {
		throw new InvalidInput(`"Options" must be a set of options, not ${describeValue(values)}`);
	}
	const given = (values ?? {}) as IDataObject;
	const read: IDataObject = {};
	for (const property of properties) {
		read[property.name] = readPropertyValue(property, given[property.name]) as IDataObject[string];
	}
	return read;
}
