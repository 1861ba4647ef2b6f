import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as account from './account';
import * as image from './image';
import * as job from './job';
import * as model from './model';

type OperationExecute = (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;

const operations: Record<string, Record<string, OperationExecute>> = {
	image: { edit: image.edit.execute, generate: image.generate.execute },
	model: { run: model.run.execute },
	job: { getResult: job.getResult.execute },
	account: { getCredits: account.getCredits.execute },
};

/** Sends the node's items to the operation the user picked. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[resource]?.[operation];
	if (!execute) {
		throw new NodeOperationError(this.getNode(), `The operation "${resource} › ${operation}" is not supported`);
	}
	return [await execute.call(this, this.getInputData())];
}
