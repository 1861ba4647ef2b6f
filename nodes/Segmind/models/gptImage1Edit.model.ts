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

/** The stored page text ends before these fields' entries: only its example request shows them. */
const FROM_EXAMPLE = "default from the page's example request; allowed values from the GPT Image family";

/**
 * From Segmind's page for gpt-image-1-edit (test/fixtures/pages/gpt-image-1-edit.txt): the same
 * parameters as the mini edit model, with the same prompt and background defaults. The stored text
 * ends inside the moderation entry, so the remaining defaults are the page's example request values
 * (marked inferred). Descriptions are the mini model's, so the two share their n8n fields.
 */
export const gptImage1Edit: SegmindModel = {
	slug: 'gpt-image-1-edit',
	displayName: 'GPT Image 1 Edit',
	summary:
		'Edit and compose images using natural language with GPT Image 1 Edit, OpenAI’s powerful inpainting and multi-reference editing model. Perfect for marketing visuals, product updates, and creative asset generation.',
	operation: 'edit',
	typicalDurationSeconds: 58.03,
	priceHintUsd: 0.14,
	documentationUrl: 'https://www.segmind.com/models/gpt-image-1-edit',
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
			inferred: FROM_EXAMPLE,
		},
		{
			...quality,
			default: 'auto',
			description:
				"Controls output image quality. 'Auto' suits most needs while 'high' is best for detailed outputs.",
			inferred: FROM_EXAMPLE,
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
			inferred: FROM_EXAMPLE,
		},
		{
			...outputFormat,
			default: 'png',
			description: 'Choose image format: PNG for transparency, JPEG for smaller file size',
			inferred: FROM_EXAMPLE,
		},
		{
			...moderation,
			default: 'auto',
			description: "Controls image generation moderation strictness. Opt for 'low' to reduce restrictions.",
			inferred: FROM_EXAMPLE,
		},
	],
	constraints: [transparentNeedsAlphaFormat],
};
