import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	readBoolean,
	readChoice,
	readFieldName,
	readFieldNameList,
	readNumber,
	readText,
	readUrl,
	readUrlList,
} from '../description/parameterValues';
import {
	ALL_IMAGE_BINARIES,
	ALL_IMAGE_BINARIES_DISPLAY_NAME,
	binaryFieldDisplayName,
	binaryFieldName,
	fileRules,
	IMAGE_BINARY_FIELDS,
	IMAGE_BINARY_FIELDS_DISPLAY_NAME,
	IMAGE_BINARY_FIELDS_LABEL,
	imageBinaryFields,
	pendingUpload,
	readInputImage,
} from '../io/inputImages';
import type { CheckedImage } from '../io/inputImages';
import type { ModelParameter, OperationModel, SegmindOperation, UrlListParameter, UrlParameter } from '../models';
import { findOperationModel } from '../models';
import { applyCustomSize } from './customSize';
import { itemJobOptions, readItemInput } from './itemInput';
import type { JobSpec, PendingUpload } from '../shared/jobSpec';
import { InvalidInput } from '../shared/jobSpec';


/**
 * Reads an item's parameters for its model and checks them against the model description, so
 * bad input fails here, before anything is sent to Segmind (and before any credit is spent).
 * Images from binary data are read and checked here too (format from the bytes, size, mask
 * rules); they are uploaded only when the item is submitted (io/inputImages.ts).
 */

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
 * The value to send, or undefined to leave the field out, checked by the field's type and the
 * model file's rules. `fromBinary`: the field's file comes from binary data instead, so an empty
 * URL is fine even where the field is required.
 */
function readValue(parameter: ModelParameter, value: unknown, fromBinary = false): unknown {
	const field = parameter.displayName;
	switch (parameter.type) {
		case 'string':
			return readText(field, value, { required: parameter.required, maxLength: parameter.maxLength });
		case 'url': {
			const url = readUrl(field, value, { required: parameter.required && !fromBinary });
			if (url !== undefined && fromBinary) {
				throw new InvalidInput(`Set either "${field}" or "${binaryFieldDisplayName(parameter)}", not both`);
			}
			return url;
		}
		case 'urlList':
			return readUrlList(field, value);
		case 'options':
			return readChoice(field, value, parameter.options.map((option) => option.value));
		case 'integer':
			return readNumber(field, value, { min: parameter.min, max: parameter.max, integer: true });
	}
}

function checkConstraints(model: OperationModel, values: Record<string, unknown>): void {
	for (const constraint of model.constraints ?? []) {
		const trigger = values[constraint.when.field];
		const other = values[constraint.require.field];
		if (constraint.when.values.includes(String(trigger)) && !constraint.require.allowed.includes(String(other))) {
			throw new InvalidInput(constraint.message);
		}
	}
}

/** Which binary fields an item's model takes its files from, as the node parameters say. */
interface BinarySources {
	/** The model's first `urlList` parameter and the binary fields whose images it gets. */
	images?: { parameter: UrlListParameter; properties: string[] };
	/** `url` parameters (e.g. the mask) given as a binary field. */
	files: Array<{ parameter: UrlParameter; property: string }>;
}

function readBinarySources(this: IExecuteFunctions, itemIndex: number, model: OperationModel): BinarySources {
	const files: BinarySources['files'] = [];
	for (const parameter of model.parameters) {
		if (parameter.type !== 'url') continue;
		const field = binaryFieldDisplayName(parameter);
		const given = readText(field, this.getNodeParameter(binaryFieldName(parameter), itemIndex, ''));
		if (given !== undefined) files.push({ parameter, property: readFieldName(field, given) });
	}
	const imagesParameter = model.parameters.find((parameter): parameter is UrlListParameter => parameter.type === 'urlList');
	if (!imagesParameter) return { files };
	const listed = readFieldNameList(IMAGE_BINARY_FIELDS_DISPLAY_NAME, this.getNodeParameter(IMAGE_BINARY_FIELDS, itemIndex, ''));
	const all = readBoolean(ALL_IMAGE_BINARIES_DISPLAY_NAME, this.getNodeParameter(ALL_IMAGE_BINARIES, itemIndex, false));
	// "all image binaries" leaves out the fields given as a mask (or other file) and repeats none.
	const taken = new Set([...listed, ...files.map((file) => file.property)]);
	const more = all ? imageBinaryFields.call(this, itemIndex).filter((name) => !taken.has(name)) : [];
	return { images: { parameter: imagesParameter, properties: [...listed, ...more] }, files };
}

/**
 * Reads and checks every parameter of an item for the selected described model (its fields by the
 * model file's rules, the binary inputs' names, the Options), then its binary inputs from their
 * bytes. Nothing is sent here.
 */
export async function prepareModelJob(this: IExecuteFunctions, itemIndex: number): Promise<JobSpec> {
	return await (readItemInput<JobSpec>).call(this, itemIndex, async () => {
		const slug = readText('Model', this.getNodeParameter('model', itemIndex)) ?? '';
		const operation = this.getNodeParameter('operation', itemIndex) as SegmindOperation;
		const model = findOperationModel(slug, operation);
		if (!model) throw new InvalidInput(`The model "${slug.slice(0, 100)}" is not one this node knows for Image › ${operation}`);
		const values: Record<string, unknown> = {};
		const body: IDataObject = {};
		const sources = readBinarySources.call(this, itemIndex, model);
		const fromBinary = new Set(sources.files.map((file) => file.parameter.name));
		for (const parameter of model.parameters) {
			const raw = this.getNodeParameter(parameter.name, itemIndex, parameter.default);
			const value = readValue(parameter, raw, fromBinary.has(parameter.name));
			values[parameter.name] = value;
			if (value !== undefined) body[parameter.apiName] = value as IDataObject[keyof IDataObject];
		}
		checkConstraints(model, values);
		applyCustomSize(model, values, body);
		// Checked here, before any binary input is read, though the runner reads them again to run the item.
		itemJobOptions.call(this, itemIndex);
		const pendingUploads = await readBinaryInputs.call(this, itemIndex, sources, values);
		return {
			model: model.slug,
			body,
			typicalDurationSeconds: model.typicalDurationSeconds,
			requireImage: true,
			includeResult: false,
			...(pendingUploads.length > 0 ? { pendingUploads } : {}),
		};
	});
}

/** Reads and checks the item's binary inputs (from their bytes), as uploads still to make. */
async function readBinaryInputs(
	this: IExecuteFunctions,
	itemIndex: number,
	sources: BinarySources,
	values: Record<string, unknown>,
): Promise<PendingUpload[]> {
	const pendingUploads: PendingUpload[] = [];
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
	return pendingUploads;
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
