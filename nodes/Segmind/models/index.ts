import { gptImage1Model } from './gptImage1.model';
import { gptImage15Model } from './gptImage15.model';
import { gptImage15Edit } from './gptImage15Edit.model';
import { gptImage1Edit } from './gptImage1Edit.model';
import { gptImage1EditMini } from './gptImage1EditMini.model';
import { gptImage1Mini } from './gptImage1Mini.model';
import { gptImage2 } from './gptImage2.model';
import type { OperationModel, SegmindModel, SegmindOperation } from './types';

/**
 * Every model the node offers, in dropdown order: per operation, the first one that serves it is
 * the default. Keep those defaults first: n8n stores a parameter left at its default as absent, so
 * a new default would silently move saved workflows to another (differently priced) model. Then
 * the newest, and the models retired upstream last.
 */
export const segmindModels: readonly SegmindModel[] = [
	gptImage1EditMini,
	gptImage1Mini,
	gptImage2,
	gptImage15Edit,
	gptImage15Model,
	gptImage1Edit,
	gptImage1Model,
];

export function findModel(slug: string): SegmindModel | undefined {
	return segmindModels.find((model) => model.slug === slug);
}

/** The model as the operation offers it (only that operation's fields), if it serves it. */
export function modelForOperation(model: SegmindModel, operation: SegmindOperation): OperationModel | undefined {
	if (!model.operations.includes(operation)) return undefined;
	const parameters = model.parameters.filter((parameter) => parameter.operations?.includes(operation) ?? true);
	return { ...model, operation, parameters };
}

export function modelsForOperation(operation: SegmindOperation): OperationModel[] {
	return segmindModels.flatMap((model) => modelForOperation(model, operation) ?? []);
}

/** The registered model by slug, as the operation offers it. */
export function findOperationModel(slug: string, operation: SegmindOperation): OperationModel | undefined {
	const model = findModel(slug);
	return model ? modelForOperation(model, operation) : undefined;
}

export type * from './types';
