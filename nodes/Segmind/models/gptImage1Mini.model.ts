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

/** The page gives these defaults but lists no allowed values. */
const VALUES_FROM_FAMILY = 'allowed values from the GPT Image family';

/**
 * From Segmind's page for gpt-image-1-mini (test/fixtures/pages/gpt-image-1-mini.txt): text to
 * image, no input images or mask. Size and quality defaults come from the page's attribute list;
 * what the stored page text does not show is marked inferred.
 */
export const gptImage1Mini: SegmindModel = {
	slug: 'gpt-image-1-mini',
	displayName: 'GPT Image 1 Mini',
	summary:
		'GPT Image 1 Mini generates high-quality images from text descriptions, empowering efficient visual content creation.',
	operations: ['generate'],
	typicalDurationSeconds: 42.03,
	priceHintUsd: 0.037,
	documentationUrl: 'https://www.segmind.com/models/gpt-image-1-mini',
	parameters: [
		{
			...prompt,
			default: '',
			placeholder: 'e.g. A pop-art urban street-inspired cover',
			description:
				'Describe the image you want to generate. Try using descriptive keywords and context for creative imagery or straight-forward terms for clear visuals.',
		},
		{
			...size,
			default: '1024x1024',
			description:
				'Choose how big the image should be. Use square for fast results and larger sizes for detailed or wide visuals.',
			inferred: VALUES_FROM_FAMILY,
		},
		{
			...quality,
			default: 'high',
			description:
				"Set the image's visual quality. Use high for intricate details or medium for efficiency without much compromise.",
			inferred: VALUES_FROM_FAMILY,
		},
		{
			...background,
			default: 'opaque',
			description:
				'Decide if background should be see-through or solid. Transparent is best for overlays (needs PNG or WebP output); opaque suits standalone images.',
		},
		{
			...outputCompression,
			default: 100,
			description:
				'Select how compressed the output image is. A higher number preserves quality; lower numbers shrink file size. Affects JPEG and WebP output.',
		},
		{
			...outputFormat,
			default: 'png',
			description: 'Choose the file type for saving. PNG is great for quality; jpeg for smaller files.',
			inferred: "default from the page's example request; allowed values from the GPT Image family",
		},
		{
			...moderation,
			default: 'auto',
			description: 'Choose moderation level for content. Use low for creative freedom, auto for balanced safety.',
		},
	],
	constraints: [transparentNeedsAlphaFormat],
};
