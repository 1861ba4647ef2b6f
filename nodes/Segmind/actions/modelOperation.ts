import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { jobOptionsProperty } from '../description/commonOptions';
import { modelOption, modelParameterProperties } from '../description/modelProperties';
import type { SegmindOperation } from '../models';
import { modelsForOperation } from '../models';
import { prepareModelJob } from './modelRequest';
import { runItems } from './runItems';

/**
 * An operation whose fields come from model descriptions (Image › Edit, Image › Generate):
 * a model dropdown, each model's fields, and the shared options.
 */
export function modelOperationDescription(
	resource: string,
	operation: SegmindOperation,
	modelDescription: string,
): INodeProperties[] {
	const models = modelsForOperation(operation);
	const defaultModel = models[0].slug;
	return [
		{
			displayName: 'Model',
			name: 'model',
			type: 'options',
			default: defaultModel,
			options: models.map(modelOption),
			description: modelDescription,
			displayOptions: { show: { resource: [resource], operation: [operation] } },
		},
		...modelParameterProperties(resource, operation, models),
		jobOptionsProperty(resource, [operation]),
	];
}

export async function executeModelOperation(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await runItems.call(this, items, prepareModelJob);
}
