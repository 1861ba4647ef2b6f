import {
	background,
	moderation,
	outputCompression,
	outputFormat,
	prompt,
	quality,
	size,
	transparentNeedsAlphaFormat,
} from './gptImageFields';
import type { CustomSizeRules, SegmindModel } from './types';

/**
 * From Segmind's page for gpt-image-2 (segmind.com/models/gpt-image-2/api; the text relied on is
 * kept in test/fixtures/pages/gpt-image-2.txt). One slug for both operations: text-to-image, and
 * edit mode when the body carries one input image in `image` (no `image_urls`, no `mask`).
 *
 * Shown on the page: the title, summary, ~93.90 s and ~$5; prompt (required); background
 * (transparent|opaque, default opaque); image (uri, default null: edit mode only); moderation
 * ('auto' is the safe default); output_compression 0–100; quality ('high' keeps typography
 * crisp, 'medium'/'low' for previews); size (WIDTHxHEIGHT or 'auto'; for a size not listed,
 * Width and Height instead, each edge a multiple of 16, aspect ratio 1:3–3:1, longest edge
 * ≤ 3840, 655,360–8,294,400 pixels); the example body (size 1536x1024, quality high, moderation
 * auto, background opaque, output_compression 100, output_format png).
 *
 * INFERRED (the stored page does not show them; Segmind answers 400, unbilled, if one is wrong):
 * - the listed sizes (the stored page cuts off before them): OpenAI's popular gpt-image-2 sizes;
 * - the field names `width` and `height` for "Width and Height", sent instead of `size`;
 * - the defaults of size (auto), quality (high: the example and its description), moderation
 *   (auto), output_compression (100) and output_format (png) — from the example body;
 * - the allowed values of quality, moderation and output_format: the GPT Image family's;
 * - Width and Height defaults (1024 × 1024) and the input image rules (OpenAI's edit limits:
 *   PNG, JPEG or WebP under 50 MB).
 */
/** The page's rules for a size given as Width and Height. */
const customSize: CustomSizeRules = {
	sizeParameter: 'size',
	customValue: 'custom',
	width: 'width',
	height: 'height',
	multipleOf: 16,
	maxAspectRatio: 3,
	maxEdge: 3840,
	minPixels: 655_360,
	maxPixels: 8_294_400,
};

export const gptImage2: SegmindModel = {
	slug: 'gpt-image-2',
	displayName: 'GPT Image 2',
	summary: 'Generate photorealistic images with legible multilingual text and 2K output.',
	operations: ['generate', 'edit'],
	typicalDurationSeconds: 93.9,
	// As the page shows it: far above GPT Image 1.5 Edit's ~$0.24.
	priceHintUsd: 5,
	documentationUrl: 'https://www.segmind.com/models/gpt-image-2',
	parameters: [
		{
			...prompt,
			default: '',
			placeholder: "e.g. A chalkboard sign that reads 'Open Daily 9 am – 9 pm', photorealistic",
			description:
				'Text describing the image; supports in-image typography across scripts. Lead with subject, style, lighting. For an edit, say what to change and what to keep.',
		},
		{
			displayName: 'Image URL',
			name: 'image',
			apiName: 'image',
			type: 'url',
			default: '',
			required: true,
			operations: ['edit'],
			placeholder: 'https://example.com/photo.png',
			description:
				'The image to edit (edit mode): one public http(s) URL that Segmind can download, or leave empty and name a binary field below. PNG, JPEG or WebP.',
			file: { formats: ['png', 'jpeg', 'webp'], maxBytes: 50_000_000 },
		},
		{
			...size,
			default: 'auto',
			options: [
				{ value: '1024x1024', name: '1024x1024 (Square)' },
				{ value: '1536x1024', name: '1536x1024 (Landscape)' },
				{ value: '1024x1536', name: '1024x1536 (Portrait)' },
				{ value: '2048x2048', name: '2048x2048 (2K Square)' },
				{ value: '2048x1152', name: '2048x1152 (2K Landscape)' },
				{ value: '1152x2048', name: '1152x2048 (2K Portrait)' },
				{ value: '3840x2160', name: '3840x2160 (4K Landscape)' },
				{ value: '2160x3840', name: '2160x3840 (4K Portrait)' },
				{ value: 'auto', name: 'Auto' },
				{ value: 'custom', name: 'Custom (Width × Height)', description: 'Set Width and Height below' },
			],
			description:
				"Output resolution (WIDTHxHEIGHT). 'auto' lets the model pick. For a resolution not listed, choose Custom and set Width and Height.",
		},
		{
			displayName: 'Width',
			name: 'width',
			apiName: 'width',
			type: 'integer',
			default: 1024,
			min: customSize.multipleOf,
			max: customSize.maxEdge,
			description: 'Custom output width in pixels',
		},
		{
			displayName: 'Height',
			name: 'height',
			apiName: 'height',
			type: 'integer',
			default: 1024,
			min: customSize.multipleOf,
			max: customSize.maxEdge,
			description: 'Custom output height in pixels',
		},
		{
			...quality,
			default: 'high',
			description: "Rendering fidelity; 'high' keeps typography crisp. Use 'medium' or 'low' only for previews.",
		},
		{
			...background,
			default: 'opaque',
			description:
				"'opaque' for full scenes; 'transparent' for logos, stickers, and product cutouts (needs PNG or WebP output).",
		},
		{
			...outputCompression,
			default: 100,
			min: 0,
			description: 'Compression level 0-100; 100 preserves text crispness. Lower values reduce file size. Affects JPEG and WebP output.',
		},
		{
			...outputFormat,
			default: 'png',
			description: "Output image format. Use 'png' for transparency and crisp text.",
		},
		{
			...moderation,
			default: 'auto',
			description: "Content filter strictness; 'auto' is the safe default. Use 'low' only for permitted use cases.",
		},
	],
	constraints: [transparentNeedsAlphaFormat],
	customSize,
};
