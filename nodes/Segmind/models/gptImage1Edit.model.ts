import { gptImage1EditMini } from './gptImage1EditMini.model';
import type { SegmindModel } from './types';

/**
 * gpt-image-1-edit: Segmind's page lists the same parameters as the mini edit model (see
 * shared/segmind-api.md); no separate defaults are published, so the mini model's apply.
 */
export const gptImage1Edit: SegmindModel = {
	slug: 'gpt-image-1-edit',
	displayName: 'GPT Image 1 Edit',
	summary: "OpenAI's GPT Image 1 editing: text-guided edits of one or more reference images.",
	operations: ['edit'],
	typicalDurationSeconds: 57,
	priceHintUsd: 0.14,
	documentationUrl: 'https://www.segmind.com/models/gpt-image-1-edit',
	// OpenAI's API reference: GPT Image 1 was shut down on 2026-10-23 (shared/segmind-api.md).
	retiredUpstream: { by: 'OpenAI', on: '2026-10-23', replacements: ['gpt-image-1.5-edit', 'gpt-image-2'] },
	parameters: gptImage1EditMini.parameters,
	constraints: gptImage1EditMini.constraints,
};
