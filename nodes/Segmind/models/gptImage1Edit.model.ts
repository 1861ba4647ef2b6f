import { gptImage1EditMini } from './gptImage1EditMini.model';
import type { SegmindModel } from './types';

// The mini edit model's fields, in its order (prompt, image_urls, mask, size, quality, background,
// output_compression, output_format, moderation): the same descriptions, so both share n8n fields.
const [promptField, imageUrlsField, maskField, sizeField, qualityField, backgroundField, compressionField, formatField, moderationField] =
	gptImage1EditMini.parameters;

/** The stored page text ends before these fields' entries: only its example request shows them. */
const FROM_EXAMPLE = "default from the page's example request; allowed values from the GPT Image family";

/**
 * From Segmind's page for gpt-image-1-edit (test/fixtures/pages/gpt-image-1-edit.txt): the same
 * parameters as the mini edit model, with the same prompt and background defaults. The stored text
 * ends inside the moderation entry, so the remaining defaults are the page's example request values
 * (marked inferred).
 */
export const gptImage1Edit: SegmindModel = {
	slug: 'gpt-image-1-edit',
	displayName: 'GPT Image 1 Edit',
	summary:
		'Edit and compose images using natural language with GPT Image 1 Edit, OpenAI’s powerful inpainting and multi-reference editing model. Perfect for marketing visuals, product updates, and creative asset generation.',
	operations: ['edit'],
	typicalDurationSeconds: 58.03,
	priceHintUsd: 0.14,
	documentationUrl: 'https://www.segmind.com/models/gpt-image-1-edit',
	// OpenAI's API reference: GPT Image 1 was shut down on 2026-10-23 (shared/segmind-api.md).
	retiredUpstream: { by: 'OpenAI', on: '2026-10-23', replacements: ['gpt-image-1.5-edit', 'gpt-image-2'] },
	parameters: [
		promptField,
		imageUrlsField,
		maskField,
		{ ...sizeField, inferred: FROM_EXAMPLE },
		{ ...qualityField, inferred: FROM_EXAMPLE },
		backgroundField,
		{ ...compressionField, inferred: FROM_EXAMPLE },
		{ ...formatField, inferred: FROM_EXAMPLE },
		{ ...moderationField, inferred: FROM_EXAMPLE },
	],
	constraints: gptImage1EditMini.constraints,
};
