import { gptImage1Model } from './gptImage1.model';
import { gptImage15Model } from './gptImage15.model';
import { gptImage15Edit } from './gptImage15Edit.model';
import { gptImage1Edit } from './gptImage1Edit.model';
import { gptImage1EditMini } from './gptImage1EditMini.model';
import { gptImage1Mini } from './gptImage1Mini.model';
import type { SegmindModel, SegmindOperation } from './types';

/** Every model the node offers; per operation, the first one is the default. */
export const segmindModels: readonly SegmindModel[] = [
	gptImage1EditMini,
	gptImage15Edit,
	gptImage1Edit,
	gptImage1Mini,
	gptImage1Model,
	gptImage15Model,
];

export function modelsForOperation(operation: SegmindOperation): SegmindModel[] {
	return segmindModels.filter((model) => model.operation === operation);
}

export function findModel(slug: string): SegmindModel | undefined {
	return segmindModels.find((model) => model.slug === slug);
}

export type * from './types';
