import type { SegmindModel } from './types';

/** From Segmind's page for gpt-image-1-edit-mini (shared/seeds/gpt-image-1-edit-mini.txt). */
export const gptImage1EditMini: SegmindModel = {
	slug: 'gpt-image-1-edit-mini',
	displayName: 'GPT Image 1 Edit Mini',
	summary: 'Affordable text-driven image generation and editing.',
	operation: 'edit',
	typicalDurationSeconds: 42.46,
	priceHintUsd: 0.028,
	documentationUrl: 'https://www.segmind.com/models/gpt-image-1-edit-mini',
	parameters: [
		{
			displayName: 'Prompt',
			name: 'prompt',
			apiName: 'prompt',
			type: 'string',
			required: true,
			default: '',
			maxLength: 32000,
			rows: 4,
			placeholder: 'e.g. Make it larger scale and more dynamic, with multiple airships in the sky',
			description:
				'Text input to generate the desired image. For a 3D action figure, describe clothing and accessories vividly.',
		},
		{
			displayName: 'Image URLs',
			name: 'imageUrls',
			apiName: 'image_urls',
			type: 'urlList',
			required: true,
			default: [],
			minItems: 1,
			maxItems: 16,
			placeholder: 'https://example.com/photo.png',
			description:
				'URLs of source images. Include multiple URLs for diverse image references. PNG, JPEG or WebP, up to 16.',
		},
		{
			displayName: 'Mask URL',
			name: 'mask',
			apiName: 'mask',
			type: 'url',
			default: '',
			placeholder: 'https://example.com/mask.png',
			description:
				'Input image for masking. Use when specific parts of the image need editing: a PNG the size of the first image whose transparent pixels mark the area to edit. Leave empty to edit the whole image.',
		},
		{
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
			description:
				"Image resolution selection. Use 'auto' for default or 1024x1024 for quicker generation.",
		},
		{
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
			description:
				"Controls output image quality. 'Auto' suits most needs while 'high' is best for detailed outputs.",
		},
		{
			displayName: 'Background',
			name: 'background',
			apiName: 'background',
			type: 'options',
			default: 'opaque',
			options: [
				{ value: 'transparent', name: 'Transparent' },
				{ value: 'opaque', name: 'Opaque' },
			],
			description:
				"Chooses between transparent or opaque background. Use 'transparent' for standalone figures (needs PNG or WebP output).",
		},
		{
			displayName: 'Output Compression',
			name: 'outputCompression',
			apiName: 'output_compression',
			type: 'integer',
			default: 100,
			min: 1,
			max: 100,
			description:
				'Set compression level from 1-100. Use 100 for no compression and optimal quality. Affects JPEG and WebP output.',
		},
		{
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
			description: 'Choose image format: PNG for transparency, JPEG for smaller file size',
		},
		{
			displayName: 'Moderation',
			name: 'moderation',
			apiName: 'moderation',
			type: 'options',
			default: 'auto',
			options: [
				{ value: 'low', name: 'Low' },
				{ value: 'auto', name: 'Auto' },
			],
			description: "Controls image generation moderation strictness. Opt for 'low' to reduce restrictions.",
		},
	],
	constraints: [
		{
			when: { field: 'background', values: ['transparent'] },
			require: { field: 'outputFormat', allowed: ['png', 'webp'] },
			message: 'A transparent background needs PNG or WebP output: JPEG has no transparency',
		},
	],
};
