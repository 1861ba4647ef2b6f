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
 * gpt-image-1.5 generates images from text alone: no input images or mask (shared/segmind-api.md).
 * Defaults follow its edit sibling's page, as Segmind publishes none of its own here.
 */
export const gptImage15Model: SegmindModel = {
	slug: 'gpt-image-1.5',
	displayName: 'GPT Image 1.5',
	summary: "OpenAI's GPT Image 1.5: precise, high-fidelity text-to-image generation.",
	operations: ['generate'],
	documentationUrl: 'https://www.segmind.com/models/gpt-image-1.5',
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
			default: 'high',
			description: "Output image quality. 'high' is best for detailed outputs.",
		},
		{
			...background,
			default: 'opaque',
			description: 'Transparent or opaque background. Transparent needs PNG or WebP output.',
		},
		{
			...outputCompression,
			default: 95,
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
