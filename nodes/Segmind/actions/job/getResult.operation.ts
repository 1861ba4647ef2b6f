import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { jobOptionsProperty } from '../../description/commonOptions';
import type { JobWork } from '../../shared/jobSpec';
import { invalidInputError } from '../modelRequest';
import { runWork } from '../runItems';

const show = { resource: ['job'], operation: ['getResult'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Request ID',
		name: 'requestId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.requestId }}',
		description:
			'The request ID of a job submitted earlier (by this node in Submit mode, or one that passed its timeout). Segmind keeps results for 1 hour.',
		displayOptions: { show },
	},
	{
		displayName: 'Wait Up To (Seconds)',
		name: 'waitSeconds',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, maxValue: 3600 },
		description:
			'How long to wait for a job that is still running. When it is still running then, the item is returned with status QUEUED or PROCESSING and pending: true — not as an error — so a Wait node can loop back.',
		displayOptions: { show },
	},
	{
		displayName: 'Model',
		name: 'modelSlug',
		type: 'string',
		default: '',
		placeholder: 'e.g. gpt-image-1-edit-mini',
		description: 'Optional: the model slug, only used to name the output files and the JSON',
		displayOptions: { show },
	},
	jobOptionsProperty('job', ['getResult'], false),
];

/** The job to fetch for an item: its request id checked before any request. */
function prepareFetch(this: IExecuteFunctions, itemIndex: number): JobWork {
	const requestId = String(this.getNodeParameter('requestId', itemIndex, '')).trim();
	if (requestId === '') throw invalidInputError.call(this, itemIndex, '"Request ID" is empty');
	const waitSeconds = Math.max(0, Number(this.getNodeParameter('waitSeconds', itemIndex, 0)) || 0);
	const model = String(this.getNodeParameter('modelSlug', itemIndex, '')).trim();
	return { mode: 'fetch', requestId, waitSeconds, ...(model ? { model } : {}) };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await runWork.call(this, items, prepareFetch);
}
