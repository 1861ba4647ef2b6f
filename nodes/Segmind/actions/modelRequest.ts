import type { IDataObject, IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import {
	ALL_IMAGE_BINARIES,
	binaryFieldDisplayName,
	binaryFieldList,
	binaryFieldName,
	fileRules,
	IMAGE_BINARY_FIELDS,
	IMAGE_BINARY_FIELDS_LABEL,
	imageBinaryFields,
	pendingUpload,
	readInputImage,
} from '../io/inputImages';
import type { CheckedImage } from '../io/inputImages';
import type { ModelParameter, SegmindModel, UrlListParameter, UrlParameter } from '../models';
import { findModel } from '../models';
import { invalidItemInputError } from '../shared/errors';
import type { JobSpec, PendingUpload } from '../shared/jobSpec';
import { InvalidInput } from '../shared/jobSpec';

/**
 * Reads an item's parameters for its model and checks them against the model description, so
 * bad input fails here, before anything is sent to Segmind (and before any credit is spent).
 * Images from binary data are read and checked here too (format from the bytes, size, mask
 * rules); they are uploaded only when the item is submitted (io/inputImages.ts).
 */

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

/** The list's URLs, each checked; how many there may be is checked with the binary images. */
function readUrlList(parameter: UrlListParameter, value: unknown): string[] {
	const urls = urlEntries(value);
	const bad = urls.find((url) => !isHttpUrl(url));
	if (bad !== undefined) {
		throw new InvalidInput(`"${parameter.displayName}" holds "${bad.slice(0, 200)}", which is not an http(s) URL`);
	}
	return urls;
}

/** The number of images (URLs plus binary images) within the model's limits. */
function checkImageCount(parameter: UrlListParameter, urlCount: number, binaryCount: number): void {
	const label = `"${parameter.displayName}"`;
	const total = urlCount + binaryCount;
	const min = parameter.minItems ?? 0;
	if (total < min) {
		throw new InvalidInput(
			`${label} needs at least ${min} URL${min === 1 ? '' : 's'} (or an image from ${IMAGE_BINARY_FIELDS_LABEL}): the item has no input image`,
		);
	}
	if (parameter.maxItems !== undefined && total > parameter.maxItems) {
		throw new InvalidInput(
			binaryCount === 0
				? `${label} has ${urlCount} URLs; the model takes at most ${parameter.maxItems}`
				: `${label} and ${IMAGE_BINARY_FIELDS_LABEL} give ${total} images (${urlCount} URLs, ${binaryCount} binary); the model takes at most ${parameter.maxItems}`,
		);
	}
}

/**
 * The value to send, or undefined to leave the field out. `fromBinary`: the field's file comes
 * from binary data instead, so an empty URL is fine even where the field is required.
 */
function readValue(parameter: ModelParameter, value: unknown, fromBinary = false): unknown {
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
				if (parameter.required && !fromBinary) throw new InvalidInput(`${label} is empty`);
				return undefined;
			}
			if (fromBinary) {
				throw new InvalidInput(`Set either ${label} or "${binaryFieldDisplayName(parameter)}", not both`);
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
	return invalidItemInputError(this.getNode(), itemIndex, message);
}

/** Which binary fields an item's model takes its files from, as the node parameters say. */
interface BinarySources {
	/** The model's first `urlList` parameter and the binary fields whose images it gets. */
	images?: { parameter: UrlListParameter; properties: string[] };
	/** `url` parameters (e.g. the mask) given as a binary field. */
	files: Array<{ parameter: UrlParameter; property: string }>;
}

function readBinarySources(this: IExecuteFunctions, itemIndex: number, model: SegmindModel): BinarySources {
	const files: BinarySources['files'] = [];
	for (const parameter of model.parameters) {
		if (parameter.type !== 'url') continue;
		const property = String(this.getNodeParameter(binaryFieldName(parameter), itemIndex, '') ?? '').trim();
		if (property !== '') files.push({ parameter, property });
	}
	const imagesParameter = model.parameters.find((parameter): parameter is UrlListParameter => parameter.type === 'urlList');
	if (!imagesParameter) return { files };
	const listed = binaryFieldList(this.getNodeParameter(IMAGE_BINARY_FIELDS, itemIndex, ''));
	const all = this.getNodeParameter(ALL_IMAGE_BINARIES, itemIndex, false) === true;
	// "all image binaries" leaves out the fields given as a mask (or other file) and repeats none.
	const taken = new Set([...listed, ...files.map((file) => file.property)]);
	const more = all ? imageBinaryFields.call(this, itemIndex).filter((name) => !taken.has(name)) : [];
	return { images: { parameter: imagesParameter, properties: [...listed, ...more] }, files };
}

/** Reads and checks an item's fields for the selected described model. */
export async function prepareModelJob(this: IExecuteFunctions, itemIndex: number): Promise<JobSpec> {
	const slug = this.getNodeParameter('model', itemIndex) as string;
	const model = findModel(slug);
	const fail = (message: string) => invalidInputError.call(this, itemIndex, message);
	if (!model) throw fail(`The model "${slug}" is not one this node knows`);
	const values: Record<string, unknown> = {};
	const body: IDataObject = {};
	const pendingUploads: PendingUpload[] = [];
	try {
		const sources = readBinarySources.call(this, itemIndex, model);
		const fromBinary = new Set(sources.files.map((file) => file.parameter.name));
		for (const parameter of model.parameters) {
			const raw = this.getNodeParameter(parameter.name, itemIndex, parameter.default);
			const value = readValue(parameter, raw, fromBinary.has(parameter.name));
			values[parameter.name] = value;
			if (value !== undefined) body[parameter.apiName] = value as IDataObject[keyof IDataObject];
		}
		checkConstraints(model, values);

		// The first image decides the size a mask must have, when it is known here (binary).
		let firstImage: CheckedImage | undefined;
		let firstImageIsUrl = false;
		if (sources.images) {
			const { parameter, properties } = sources.images;
			const urls = (values[parameter.name] as string[] | undefined) ?? [];
			checkImageCount(parameter, urls.length, properties.length);
			firstImageIsUrl = urls.length > 0;
			for (const property of properties) {
				const image = await readInputImage.call(this, itemIndex, property, fileRules(parameter), IMAGE_BINARY_FIELDS_LABEL);
				firstImage ??= image;
				pendingUploads.push(pendingUpload(image, parameter.apiName, true));
			}
		}
		for (const { parameter, property } of sources.files) {
			const field = `"${binaryFieldDisplayName(parameter)}"`;
			const rules = fileRules(parameter);
			const file = await readInputImage.call(this, itemIndex, property, rules, field);
			const reference = sources.images?.parameter;
			if (rules.sameSizeAs !== undefined && reference?.name === rules.sameSizeAs && !firstImageIsUrl) {
				checkSameSize(field, file, firstImage);
			}
			pendingUploads.push(pendingUpload(file, parameter.apiName, false));
		}
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
		...(pendingUploads.length > 0 ? { pendingUploads } : {}),
	};
}

/** A mask (or other file) must have the first image's width and height, when both are known. */
function checkSameSize(field: string, file: CheckedImage, first: CheckedImage | undefined): void {
	if (!first || first.width === undefined || file.width === undefined) return;
	if (first.width !== file.width || first.height !== file.height) {
		throw new InvalidInput(
			`${field}: ${file.label} is ${file.width}x${file.height}, but the first image (${first.label}) is ${first.width}x${first.height}; they must be the same size`,
		);
	}
}
