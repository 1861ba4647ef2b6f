import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { jobOptionsProperty } from '../../description/commonOptions';
import { rangeText, readPropertyValue, readRequestId, readSlug } from '../../description/parameterValues';
import type { JobWork } from '../../shared/jobSpec';
import { itemJobOptions, readItemInput } from '../itemInput';
import { runWork } from '../runItems';

const show = { resource: ['job'], operation: ['getResult'] };

const requestIdProperty: INodeProperties = {
	displayName: 'Request ID',
	name: 'requestId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. {{ $json.requestId }}',
	description:
		'The request ID of a job submitted earlier (by this node in Submit mode, or one that passed its timeout). Segmind keeps results for 1 hour.',
	displayOptions: { show },
};

const waitRange = { minValue: 0, maxValue: 3600 };

const waitProperty: INodeProperties = {
	displayName: 'Wait Up To (Seconds)',
	name: 'waitSeconds',
	type: 'number',
	default: 0,
	typeOptions: waitRange,
	description: `How long to wait for a job that is still running, ${rangeText(waitRange)}. When it is still running then, the item is returned with status QUEUED or PROCESSING and pending: true — not as an error — so a Wait node can loop back.`,
	displayOptions: { show },
};

const modelProperty: INodeProperties = {
	displayName: 'Model',
	name: 'modelSlug',
	type: 'string',
	default: '',
	placeholder: 'e.g. gpt-image-1-edit-mini',
	description: 'Optional: the model slug, only used to name the output files and the JSON',
	displayOptions: { show },
};

export const description: INodeProperties[] = [
	requestIdProperty,
	waitProperty,
	modelProperty,
	jobOptionsProperty('job', ['getResult'], false),
];

/** The job to fetch for an item: every parameter read and checked before the run's first request. */
async function prepareFetch(this: IExecuteFunctions, itemIndex: number): Promise<JobWork> {
	return await (readItemInput<JobWork>).call(this, itemIndex, () => {
		const parameter = (property: INodeProperties) => this.getNodeParameter(property.name, itemIndex, property.default);
		const model = readSlug(modelProperty.displayName, parameter(modelProperty));
		const requestId = readRequestId(requestIdProperty.displayName, parameter(requestIdProperty));
		const waitSeconds = readPropertyValue(waitProperty, parameter(waitProperty)) as number;
		itemJobOptions.call(this, itemIndex, false);
		return { mode: 'fetch', requestId, waitSeconds, ...(model !== undefined ? { model } : {}) };
	});
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	// Get Result submits nothing: its Options have no Run Mode or Timeout to read.
	return await runWork.call(this, items, prepareFetch, false);
}
