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
import type { SegmindModel } from './types';

/**
 * From Segmind's page for gpt-image-1.5 (test/fixtures/pages/gpt-image-1.5.txt): text to image,
 * no input images or mask. The stored page text ends inside the `size` entry, so its default and
 * allowed values are inferred (marked below).
 */
export const gptImage15Model: SegmindModel = {
	slug: 'gpt-image-1.5',
	displayName: 'GPT Image 1.5',
	summary:
		'GPT-Image-1.5 creates stunning, photorealistic images with exceptional detail and precision for professional applications.',
	operations: ['generate'],
	typicalDurationSeconds: 39.85,
	priceHintUsd: 0.154,
	documentationUrl: 'https://www.segmind.com/models/gpt-image-1.5',
	parameters: [
		{
			...prompt,
			default: '',
			placeholder: 'e.g. A serene sunset over a bustling cityscape',
			description: "Crafts the image content. Try 'A serene sunset over a bustling cityscape.' for vibrant scenes.",
		},
		{
			...size,
			default: '1536x1024',
			description: "Selects image resolution. Use '1536x1024' for wide images.",
			inferred: "default from the page's example request; allowed values from the GPT Image family",
		},
		{
			...quality,
			default: 'high',
			description: "Adjusts visual quality. 'High' for detailed, rich images; 'Medium' for average use.",
		},
		{
			...background,
			default: 'opaque',
			description:
				"Choose background style. 'Opaque' for full-color backgrounds; 'Transparent' for no background (needs PNG or WebP output).",
		},
		{
			...outputCompression,
			default: 100,
			description:
				"Sets output compression level. '100' for best quality; lower values for smaller file sizes. Affects JPEG and WebP output.",
		},
		{
			...outputFormat,
			default: 'png',
			description: "Chooses output image format. 'PNG' for high quality, 'JPEG' for smaller file sizes.",
		},
		{
			...moderation,
			default: 'auto',
			description: "Sets moderation strictness. Use 'low' for relaxed restrictions.",
		},
	],
	constraints: [transparentNeedsAlphaFormat],
};
