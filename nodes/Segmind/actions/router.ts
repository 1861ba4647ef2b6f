import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as image from './image';

/** Sends the node's items to the operation the user picked. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	if (resource === 'image' && operation === 'edit') {
		return [await image.edit.execute.call(this, items)];
	}
	throw new NodeOperationError(this.getNode(), `The operation "${resource} › ${operation}" is not supported`);
}
