import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { jobOptionsProperty } from '../../description/commonOptions';
import type { ExecutionJobs } from '../../jobs/runJob';
import { fetchResult, resultMetrics, waitForJob } from '../../jobs/runJob';
import type { CallContext } from '../../transport/errors';
import { jobOutputItems } from '../jobOutput';
import { invalidInputError } from '../modelRequest';
import { itemJobOptions, newExecutionJobs, runConcurrently } from '../runItems';

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

async function getOne(
	this: IExecuteFunctions,
	shared: ExecutionJobs,
	itemIndex: number,
): Promise<INodeExecutionData | INodeExecutionData[]> {
	const requestId = String(this.getNodeParameter('requestId', itemIndex, '')).trim();
	if (requestId === '') throw invalidInputError.call(this, itemIndex, '"Request ID" is empty');
	const waitSeconds = Math.max(0, Number(this.getNodeParameter('waitSeconds', itemIndex, 0)) || 0);
	const model = String(this.getNodeParameter('modelSlug', itemIndex, '')).trim();
	const options = itemJobOptions.call(this, itemIndex);
	const context: CallContext = { phase: 'status', itemIndex, requestId, ...(model ? { model } : {}) };
	const startedMs = Date.now();
	const deadlineMs = startedMs + waitSeconds * 1000;
	const waited = await waitForJob.call(this, shared, context, {
		// The first look is immediate: the job may have finished long ago.
		submittedMs: startedMs,
		deadlineMs,
		timeoutSeconds: waitSeconds,
		schedule: options.fixedPollIntervalSeconds !== undefined ? { fixedIntervalMs: options.fixedPollIntervalSeconds * 1000 } : {},
		pendingAtDeadline: true,
		firstPollImmediately: true,
	});
	if (!waited.done) {
		const json: IDataObject = { requestId, ...(model ? { model } : {}), status: waited.status, pending: true };
		return { json, pairedItem: { item: itemIndex } };
	}
	const result = await fetchResult.call(this, shared, { ...context, phase: 'result' }, Math.max(deadlineMs, Date.now() + 60_000));
	return await jobOutputItems.call(
		this,
		itemIndex,
		{ model: model || 'segmind', body: {}, requireImage: false, includeResult: true },
		{
			requestId,
			result,
			metrics: resultMetrics(result, waited.metrics),
			statusPolls: waited.polls,
			elapsedSeconds: Math.round((Date.now() - startedMs) / 100) / 10,
		},
		options,
	);
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const shared = newExecutionJobs();
	return await runConcurrently.call(this, items.length, async (itemIndex) => await getOne.call(this, shared, itemIndex));
}
