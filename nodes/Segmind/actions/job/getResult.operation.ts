import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { JobOptions } from '../../description/commonOptions';
import { jobOptionsProperty } from '../../description/commonOptions';
import { rangeText, readPropertyValue, readRequestId, readSlug } from '../../description/parameterValues';
import type { ExecutionJobs } from '../../jobs/runJob';
import { fetchResult, resultMetrics, waitForJob } from '../../jobs/runJob';
import type { CallContext } from '../../transport/errors';
import { jobOutputItems } from '../jobOutput';
import { itemJobOptions, readEachItem, readItemInput } from '../itemInput';
import { newExecutionJobs, runConcurrently } from '../runItems';

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

/** An item's checked parameters: which job to fetch, how long to wait for it, and how to output it. */
interface ResultRequest {
	requestId: string;
	waitSeconds: number;
	model?: string;
	options: JobOptions;
}

/** Reads and checks every parameter of an item, before the run's first request. */
async function readResultRequest(this: IExecuteFunctions, itemIndex: number): Promise<ResultRequest> {
	return await (readItemInput<ResultRequest>).call(this, itemIndex, () => {
		const parameter = (property: INodeProperties) => this.getNodeParameter(property.name, itemIndex, property.default);
		const model = readSlug(modelProperty.displayName, parameter(modelProperty));
		return {
			requestId: readRequestId(requestIdProperty.displayName, parameter(requestIdProperty)),
			waitSeconds: readPropertyValue(waitProperty, parameter(waitProperty)) as number,
			...(model !== undefined ? { model } : {}),
			options: itemJobOptions.call(this, itemIndex, false),
		};
	});
}

async function getOne(
	this: IExecuteFunctions,
	shared: ExecutionJobs,
	itemIndex: number,
	{ requestId, waitSeconds, model, options }: ResultRequest,
): Promise<INodeExecutionData | INodeExecutionData[]> {
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
	const requests = await (readEachItem<ResultRequest>).call(this, items.length, readResultRequest);
	const shared = newExecutionJobs();
	return await runConcurrently.call(this, items.length, async (itemIndex) => {
		const request = requests[itemIndex];
		if (request instanceof Error) throw request;
		return await getOne.call(this, shared, itemIndex, request);
	});
}
