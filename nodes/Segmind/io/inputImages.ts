import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { InputFileRules, InputImageFormat, UrlListParameter, UrlParameter } from '../models';
import type { CallContext } from '../shared/errors';
import type { JobSpec, PendingUpload } from '../shared/jobSpec';
import { InvalidInput } from '../shared/jobSpec';
import type { SegmindClient } from '../transport/segmindClient';
import { dataUrlBytes } from '../transport/segmindClient';
import { detectImageFormat } from './imageFormat';

/**
 * Input images from the item's binary data (a form upload, a Drive download, an HTTP Request, an
 * email attachment…): the node-level fields that name them, their checks (from the bytes, before
 * anything is sent), and their upload to Segmind right before the item's submit.
 * Binary data is read only through n8n's helpers, so every binary data mode works (filesystem,
 * S3, database, in-memory).
 */

/** Node parameter: binary fields whose images are added to a model's first `urlList` parameter. */
export const IMAGE_BINARY_FIELDS = 'inputBinaryFields';
export const IMAGE_BINARY_FIELDS_DISPLAY_NAME = 'Input Binary Fields';
/** Node parameter: add every image binary of the item as well. */
export const ALL_IMAGE_BINARIES = 'useAllImageBinaries';
export const ALL_IMAGE_BINARIES_DISPLAY_NAME = 'Use All Image Binaries';
export const IMAGE_BINARY_FIELDS_LABEL = `"${IMAGE_BINARY_FIELDS_DISPLAY_NAME}"`;

/** Node parameter for a `url` model parameter given as binary data, e.g. `mask` → `maskBinaryField`. */
export function binaryFieldName(parameter: UrlParameter): string {
	return `${parameter.name}BinaryField`;
}

/** e.g. "Mask URL" → "Mask Binary Field". */
export function binaryFieldDisplayName(parameter: UrlParameter): string {
	return `${parameter.displayName.replace(/\s+URL$/i, '')} Binary Field`;
}

/** Rules for binary files whose model parameter states none. */
const DEFAULT_FILE_RULES: InputFileRules = { formats: ['png', 'jpeg', 'webp'], maxBytes: 50_000_000 };

export function fileRules(parameter: UrlParameter | UrlListParameter): InputFileRules {
	return parameter.file ?? DEFAULT_FILE_RULES;
}

const FORMAT_NAMES: Record<InputImageFormat, string> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP' };

function formatList(formats: InputImageFormat[]): string {
	const names = formats.map((format) => FORMAT_NAMES[format]);
	return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** A file size as the panel and the messages say it, e.g. `50 MB`, `4.2 MB`. */
export function megabytes(bytes: number): string {
	const mb = bytes / 1_000_000;
	return `${mb >= 10 || Number.isInteger(mb) ? Math.round(mb) : mb.toFixed(1)} MB`;
}

function isImageBinary(binary: IBinaryData): boolean {
	return binary.fileType === 'image' || String(binary.mimeType ?? '').toLowerCase().startsWith('image/');
}

/** The item's binary fields that hold images (by their stated type), in the item's order. */
export function imageBinaryFields(this: IExecuteFunctions, itemIndex: number): string[] {
	const binary = this.getInputData()[itemIndex]?.binary ?? {};
	return Object.keys(binary).filter((name) => isImageBinary(binary[name]));
}

/** An input image from binary data that passed its checks. */
export interface CheckedImage {
	binaryProperty: string;
	mimeType: string;
	width?: number;
	height?: number;
	/** How error messages name it, e.g. `binary field "data" (photo.png)`. */
	label: string;
	bytes: number;
}

/** The item's binary data for a field, or undefined when the item has none by that name. */
function findBinary(this: IExecuteFunctions, itemIndex: number, property: string): IBinaryData | undefined {
	try {
		return this.helpers.assertBinaryData(itemIndex, property);
	} catch {
		// n8n says the field is missing; the caller says so with the field's name and the item's fields.
		return undefined;
	}
}

function missingFieldMessage(this: IExecuteFunctions, itemIndex: number, field: string, property: string): string {
	const present = Object.keys(this.getInputData()[itemIndex]?.binary ?? {});
	const has = present.length > 0 ? `its binary fields are ${present.map((name) => `"${name}"`).join(', ')}` : 'it has no binary data';
	return `${field}: the item has no binary field "${property}" (${has})`;
}

/**
 * Reads one binary input through n8n's helpers and checks it against the rules: a format
 * recognised from its bytes (never from the claimed MIME type), below the size limit.
 */
export async function readInputImage(
	this: IExecuteFunctions,
	itemIndex: number,
	property: string,
	rules: InputFileRules,
	field: string,
): Promise<CheckedImage> {
	const binary = findBinary.call(this, itemIndex, property);
	if (!binary) throw new InvalidInput(missingFieldMessage.call(this, itemIndex, field, property));
	const label = `binary field "${property}"${binary.fileName ? ` (${binary.fileName})` : ''}`;
	const tooBig = (bytes: number) =>
		new InvalidInput(`${field}: ${label} is ${megabytes(bytes)}; each file must be under ${megabytes(rules.maxBytes)}`);
	// The stored size, when n8n knows it, spares reading a file that is too big anyway.
	if (typeof binary.bytes === 'number' && binary.bytes >= rules.maxBytes) throw tooBig(binary.bytes);
	// By name, not by the IBinaryData object: older n8n releases take only a name here.
	const data = await this.helpers.getBinaryDataBuffer(itemIndex, property);
	if (data.length === 0) throw new InvalidInput(`${field}: ${label} is empty`);
	if (data.length >= rules.maxBytes) throw tooBig(data.length);
	const format = detectImageFormat(data);
	const allowed = formatList(rules.formats);
	if (!format) {
		throw new InvalidInput(
			`${field}: ${label} is not a ${allowed} image by its content (its stated type is "${binary.mimeType}")`,
		);
	}
	const kind: string = format.extension === 'jpg' ? 'jpeg' : format.extension;
	if (!(rules.formats as string[]).includes(kind)) {
		throw new InvalidInput(`${field}: ${label} is a ${kind.toUpperCase()} image; only ${allowed} is accepted here`);
	}
	return {
		binaryProperty: property,
		mimeType: format.mimeType,
		...(format.width !== undefined ? { width: format.width, height: format.height } : {}),
		label,
		bytes: data.length,
	};
}

/** The pending upload for a checked image. */
export function pendingUpload(image: CheckedImage, field: string, list: boolean): PendingUpload {
	return { field, list, binaryProperty: image.binaryProperty, mimeType: image.mimeType, bytes: image.bytes };
}

/**
 * The most an upload-asset request carries, in base64 characters: files are sent in as few
 * requests as fit under it (one, when everything fits), so no request grows with the number of
 * images. A single file larger than this goes alone.
 */
export const UPLOAD_REQUEST_MAX_BASE64 = 24_000_000;

/**
 * The most binary input one item may upload in all. Segmind states no limit for upload-asset;
 * this is the node's own: 16 images (the most a model takes) of 12.5 MB each, and it keeps a
 * runaway expression from uploading gigabytes.
 */
export const UPLOAD_TOTAL_MAX_BYTES = 200_000_000;

function base64Length(bytes: number): number {
	return Math.ceil(bytes / 3) * 4;
}

/** Refuses, before anything is sent, an item whose binary inputs together are too large to upload. */
export function checkUploadTotal(spec: JobSpec): void {
	const total = (spec.pendingUploads ?? []).reduce((sum, upload) => sum + (upload.bytes ?? 0), 0);
	if (total > UPLOAD_TOTAL_MAX_BYTES) {
		throw new InvalidInput(
			`The item's binary images are ${megabytes(total)} together; at most ${megabytes(UPLOAD_TOTAL_MAX_BYTES)} can be uploaded for one item`,
		);
	}
}

/**
 * Uploads a spec's binary inputs and returns the spec to submit: uploaded images appended after
 * the given URLs in their list field, an uploaded mask set as its field. Files are read one at a
 * time and sent in requests of at most UPLOAD_REQUEST_MAX_BASE64 each, so memory follows the
 * largest file, not the item's total. A spec without binary inputs is returned as it is.
 */
export async function withUploads(
	this: IExecuteFunctions,
	client: SegmindClient,
	spec: JobSpec,
	context: CallContext,
): Promise<JobSpec> {
	const pending = spec.pendingUploads ?? [];
	if (pending.length === 0) return spec;
	const urls: string[] = [];
	let batch: Buffer[] = [];
	let batchLength = 0;
	const flush = async () => {
		if (batch.length === 0) return;
		const sent = batch;
		batch = [];
		batchLength = 0;
		urls.push(...(await client.upload(context, sent, context.deadlineMs ?? Date.now())));
	};
	for (const upload of pending) {
		// Flushed before reading the next file when it would not fit: one file's bytes at a time.
		if (upload.bytes !== undefined && batchLength + base64Length(upload.bytes) > UPLOAD_REQUEST_MAX_BASE64) await flush();
		const data = await this.helpers.getBinaryDataBuffer(context.itemIndex, upload.binaryProperty);
		const dataUrl = dataUrlBytes(upload.mimeType, data);
		if (batchLength + dataUrl.length > UPLOAD_REQUEST_MAX_BASE64) await flush();
		batch.push(dataUrl);
		batchLength += dataUrl.length;
	}
	await flush();
	const body: IDataObject = { ...spec.body };
	for (const [index, upload] of pending.entries()) {
		if (upload.list) {
			const given = Array.isArray(body[upload.field]) ? (body[upload.field] as string[]) : [];
			body[upload.field] = [...given, urls[index]];
		} else {
			body[upload.field] = urls[index];
		}
	}
	const uploaded: JobSpec = { ...spec, body };
	delete uploaded.pendingUploads;
	return uploaded;
}
