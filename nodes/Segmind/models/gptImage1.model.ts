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

/** What the stored page shows for the fields it cuts off: only the example request's values. */
const FROM_EXAMPLE = "default from the page's example request; allowed values from the GPT Image family";

/**
 * From Segmind's page for gpt-image-1 (test/fixtures/pages/gpt-image-1.txt): text to image, no input
 * images or mask. The stored page text ends after the prompt entry (whose "default" is the page's
 * example prompt; the node keeps Prompt required and empty), so every other default is inferred from
 * the page's example request (marked below).
 */
export const gptImage1Model: SegmindModel = {
	slug: 'gpt-image-1',
	displayName: 'GPT Image 1',
	summary:
		"Create high-quality AI-generated images from text prompts using OpenAI's GPT Image 1 model. Ideal for product design, content creation, and rapid visual prototyping at scale.",
	operations: ['generate'],
	typicalDurationSeconds: 48.94,
	priceHintUsd: 0.179,
	documentationUrl: 'https://www.segmind.com/models/gpt-image-1',
	// OpenAI's API reference: GPT Image 1 was shut down on 2026-10-23 (shared/segmind-api.md).
	retiredUpstream: { by: 'OpenAI', on: '2026-10-23', replacements: ['gpt-image-1.5', 'gpt-image-2'] },
	parameters: [
		{
			...prompt,
			default: '',
			placeholder: 'e.g. A magazine cover for a lifestyle magazine called "Urban Pulse"',
			description: 'Text prompt used to generate the image, up to 32,000 characters',
		},
		{
			...size,
			default: 'auto',
			description: "Image resolution. Use 'auto' for default or 1024x1024 for quicker generation.",
			inferred: FROM_EXAMPLE,
		},
		{
			...quality,
			default: 'auto',
			description: "Output image quality. 'high' is best for detailed outputs.",
			inferred: FROM_EXAMPLE,
		},
		{
			...background,
			default: 'opaque',
			description: 'Select whether the image background should be transparent (needs PNG or WebP output) or opaque.',
			inferred: FROM_EXAMPLE,
		},
		{
			...outputCompression,
			default: 100,
			description: 'Compression level from 1-100; 100 means no compression. Affects JPEG and WebP output.',
			inferred: "default from the page's example request",
		},
		{
			...outputFormat,
			default: 'png',
			description: 'Image format: PNG for transparency, JPEG for smaller files',
			inferred: FROM_EXAMPLE,
		},
		{
			...moderation,
			default: 'auto',
			description: "Moderation strictness. 'low' relaxes content restrictions.",
			inferred: FROM_EXAMPLE,
		},
	],
	constraints: [transparentNeedsAlphaFormat],
};
