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
 * gpt-image-1 generates images from text alone: no input images or mask (shared/segmind-api.md).
 * Defaults follow its edit sibling's page, as Segmind publishes none of its own here.
 */
export const gptImage1Model: SegmindModel = {
	slug: 'gpt-image-1',
	displayName: 'GPT Image 1',
	summary: "OpenAI's GPT Image 1: detailed text-to-image generation with strong prompt following.",
	operations: ['generate'],
	documentationUrl: 'https://www.segmind.com/models/gpt-image-1',
	// OpenAI's API reference: GPT Image 1 was shut down on 2026-10-23 (shared/segmind-api.md).
	retiredUpstream: { by: 'OpenAI', on: '2026-10-23', replacements: ['gpt-image-1.5', 'gpt-image-2'] },
	parameters: [
		{
			...prompt,
			default: '',
			placeholder: 'e.g. A watercolor poster of a lighthouse at dawn',
			description: 'Text description of the image to generate, up to 32,000 characters',
		},
		{
			...size,
			default: 'auto',
			description: "Image resolution. Use 'auto' for default or 1024x1024 for quicker generation.",
		},
		{
			...quality,
			default: 'auto',
			description: "Output image quality. 'high' is best for detailed outputs.",
		},
		{
			...background,
			default: 'opaque',
			description: 'Transparent or opaque background. Transparent needs PNG or WebP output.',
		},
		{
			...outputCompression,
			default: 100,
			description: 'Compression level from 1-100; 100 means no compression. Affects JPEG and WebP output.',
		},
		{
			...outputFormat,
			default: 'png',
			description: 'Image format: PNG for transparency, JPEG for smaller files',
		},
		{
			...moderation,
			default: 'auto',
			description: "Moderation strictness. 'low' relaxes content restrictions.",
		},
	],
	constraints: [transparentNeedsAlphaFormat],
};
