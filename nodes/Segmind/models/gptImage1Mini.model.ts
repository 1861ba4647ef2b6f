import { gptImage1Model } from './gptImage1.model';
import type { SegmindModel } from './types';

/**
 * gpt-image-1-mini generates images from text alone, with the same fields and defaults as
 * gpt-image-1 (shared/segmind-api.md lists the same parameters for both).
 */
export const gptImage1Mini: SegmindModel = {
	slug: 'gpt-image-1-mini',
	displayName: 'GPT Image 1 Mini',
	summary: 'Affordable text-to-image generation with GPT Image 1 Mini.',
	operations: ['generate'],
	documentationUrl: 'https://www.segmind.com/models/gpt-image-1-mini',
	parameters: gptImage1Model.parameters,
	constraints: gptImage1Model.constraints,
};
