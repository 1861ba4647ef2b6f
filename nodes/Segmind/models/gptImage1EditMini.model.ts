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

/** From Segmind's page for gpt-image-1-edit-mini (test/fixtures/seeds/gpt-image-1-edit-mini.txt). */
export const gptImage1EditMini: SegmindModel = {
	slug: 'gpt-image-1-edit-mini',
	displayName: 'GPT Image 1 Edit Mini',
	summary: 'Affordable text-driven image generation and editing.',
	operations: ['edit'],
	typicalDurationSeconds: 42.46,
	priceHintUsd: 0.028,
	documentationUrl: 'https://www.segmind.com/models/gpt-image-1-edit-mini',
	parameters: [
		{
			...prompt,
			default: '',
			placeholder: 'e.g. Make it larger scale and more dynamic, with multiple airships in the sky',
			description:
				'Text input to generate the desired image. For a 3D action figure, describe clothing and accessories vividly. For an edit, say what to change and what to keep.',
		},
		{
			...imageUrls,
			default: [],
			description:
				'URLs of source images. Include multiple URLs for diverse image references. PNG, JPEG or WebP, up to 16. Each must be a public http(s) URL that Segmind can download (no login, no local paths).',
		},
		{
			...mask,
			default: '',
			description:
				'Input image for masking. Use when specific parts of the image need editing: a PNG the size of the first image whose transparent pixels mark the area to edit. Leave empty to edit the whole image.',
		},
		{
			...size,
			default: 'auto',
			description: "Image resolution selection. Use 'auto' for default or 1024x1024 for quicker generation.",
		},
		{
			...quality,
			default: 'auto',
			description:
				"Controls output image quality. 'Auto' suits most needs while 'high' is best for detailed outputs.",
		},
		{
			...background,
			default: 'opaque',
			description:
				"Chooses between transparent or opaque background. Use 'transparent' for standalone figures (needs PNG or WebP output).",
		},
		{
			...outputCompression,
			default: 100,
			description:
				'Set compression level from 1-100. Use 100 for no compression and optimal quality. Affects JPEG and WebP output.',
		},
		{
			...outputFormat,
			default: 'png',
			description: 'Choose image format: PNG for transparency, JPEG for smaller file size',
		},
		{
			...moderation,
			default: 'auto',
			description: "Controls image generation moderation strictness. Opt for 'low' to reduce restrictions.",
		},
	],
	constraints: [transparentNeedsAlphaFormat],
};
