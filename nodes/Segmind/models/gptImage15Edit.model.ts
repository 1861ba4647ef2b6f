import {
	background,
	imageUrls,
	mask,
	moderation,
	outputCompression,
	outputFormat,
	prompt,
	quality,
	size,
	transparentNeedsAlphaFormat,
} from './gptImageFields';
import type { SegmindModel } from './types';

/** From Segmind's page for gpt-image-1.5-edit (test/fixtures/seeds/gpt-image-1.5-edit.txt). */
export const gptImage15Edit: SegmindModel = {
	slug: 'gpt-image-1.5-edit',
	displayName: 'GPT Image 1.5 Edit',
	summary: 'Precise image editing via natural language instructions.',
	operations: ['edit'],
	typicalDurationSeconds: 43.95,
	priceHintUsd: 0.24,
	documentationUrl: 'https://www.segmind.com/models/gpt-image-1.5-edit',
	parameters: [
		{
			...prompt,
			default: '',
			placeholder: 'e.g. A cyberpunk city skyline at night',
			description:
				'Text prompt guides image generation. Example: a cyberpunk city skyline at night. For an edit, say what to change and what to keep.',
		},
		{
			...imageUrls,
			default: [],
			description:
				'Links to reference images. PNG, JPEG or WebP, up to 16. Each must be a public http(s) URL that Segmind can download (no login, no local paths).',
		},
		{
			...mask,
			default: '',
			description:
				'Image to be used as a base. Leave empty (null) to edit the whole image; otherwise a PNG the size of the first image whose transparent pixels mark the area to edit.',
		},
		{
			...size,
			default: 'auto',
			description: "Choose image resolution. 'auto' balances speed and quality.",
		},
		{
			...quality,
			default: 'high',
			description: "Sets visual quality. 'auto' balances detail and performance.",
		},
		{
			...background,
			default: 'opaque',
			description:
				'Background type for the image. Transparent is useful for overlays (needs PNG or WebP output).',
		},
		{
			...outputCompression,
			default: 95,
			description:
				'Defines output image compression level. Use 100 for best quality. Affects JPEG and WebP output.',
		},
		{
			...outputFormat,
			default: 'png',
			description: "Specifies the output image format. Use 'png' for high-quality needs.",
		},
		{
			...moderation,
			default: 'auto',
			description: "Sets moderation strictness. 'low' relaxes content restrictions.",
		},
	],
	constraints: [transparentNeedsAlphaFormat],
};
