import { gptImage15Edit } from './gptImage15Edit.model';
import { gptImage1EditMini } from './gptImage1EditMini.model';
import type { SegmindModel, SegmindOperation } from './types';

/** Every model the node offers, in the order the model dropdown shows them. */
export const segmindModels: readonly SegmindModel[] = [gptImage1EditMini, gptImage15Edit];

export function modelsForOperation(operation: SegmindOperation): SegmindModel[] {
	return segmindModels.filter((model) => model.operation === operation);
}

export function findModel(slug: string): SegmindModel | undefined {
	return segmindModels.find((model) => model.slug === slug);
}

export type * from './types';
