import type {
	IntegerParameter,
	OptionsParameter,
	StringParameter,
	UrlListParameter,
	UrlParameter,
} from './types';

/**
 * The fields every GPT Image model on Segmind shares. Model files spread these and set what
 * their own page says: the default (always restated, even where it matches) and the description.
 */

type Template<T> = Omit<T, 'description'>;

export const prompt: Template<StringParameter> = {
	displayName: 'Prompt',
	name: 'prompt',
	apiName: 'prompt',
	type: 'string',
	default: '',
	required: true,
	maxLength: 32000,
	rows: 4,
};

export const imageUrls: Template<UrlListParameter> = {
	displayName: 'Image URLs',
	name: 'imageUrls',
	apiName: 'image_urls',
	type: 'urlList',
	default: [],
	required: true,
	minItems: 1,
	maxItems: 16,
	placeholder: 'https://example.com/photo.png',
	// OpenAI's GPT Image edit limits: png, webp or jpg, each under 50 MB.
	file: { formats: ['png', 'jpeg', 'webp'], maxBytes: 50_000_000 },
};

export const mask: Template<UrlParameter> = {
	displayName: 'Mask URL',
	name: 'mask',
	apiName: 'mask',
	type: 'url',
	default: '',
	placeholder: 'https://example.com/mask.png',
	// OpenAI: a PNG under 4 MB with the same dimensions as the (first) image.
	file: { formats: ['png'], maxBytes: 4_000_000, sameSizeAs: 'imageUrls' },
};

export const size: Template<OptionsParameter> = {
	displayName: 'Size',
	name: 'size',
	apiName: 'size',
	type: 'options',
	default: 'auto',
	options: [
		{ value: '1024x1024', name: '1024x1024 (Square)' },
		{ value: '1536x1024', name: '1536x1024 (Landscape)' },
		{ value: '1024x1536', name: '1024x1536 (Portrait)' },
		{ value: 'auto', name: 'Auto' },
	],
};

export const quality: Template<OptionsParameter> = {
	displayName: 'Quality',
	name: 'quality',
	apiName: 'quality',
	type: 'options',
	default: 'auto',
	options: [
		{ value: 'low', name: 'Low' },
		{ value: 'medium', name: 'Medium' },
		{ value: 'high', name: 'High' },
		{ value: 'auto', name: 'Auto' },
	],
};

export const background: Template<OptionsParameter> = {
	displayName: 'Background',
	name: 'background',
	apiName: 'background',
	type: 'options',
	default: 'opaque',
	options: [
		{ value: 'transparent', name: 'Transparent' },
		{ value: 'opaque', name: 'Opaque' },
	],
};

export const outputCompression: Template<IntegerParameter> = {
	displayName: 'Output Compression',
	name: 'outputCompression',
	apiName: 'output_compression',
	type: 'integer',
	default: 100,
	min: 1,
	max: 100,
};

export const outputFormat: Template<OptionsParameter> = {
	displayName: 'Output Format',
	name: 'outputFormat',
	apiName: 'output_format',
	type: 'options',
	default: 'png',
	options: [
		{ value: 'png', name: 'PNG' },
		{ value: 'jpeg', name: 'JPEG' },
		{ value: 'webp', name: 'WebP' },
	],
};

export const moderation: Template<OptionsParameter> = {
	displayName: 'Moderation',
	name: 'moderation',
	apiName: 'moderation',
	type: 'options',
	default: 'auto',
	options: [
		{ value: 'low', name: 'Low' },
		{ value: 'auto', name: 'Auto' },
	],
};

/** OpenAI's rule for every GPT Image model: JPEG has no alpha channel. */
export const transparentNeedsAlphaFormat = {
	when: { field: 'background', values: ['transparent'] },
	require: { field: 'outputFormat', allowed: ['png', 'webp'] },
	message: 'A transparent background needs PNG or WebP output: JPEG has no transparency',
};
