import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readConcurrency } from '../description/commonOptions';
import { bodyWithUploads } from '../io/inputImages';
import { DurationEstimates } from '../jobs/pollSchedule';
import { mapWithConcurrency } from '../jobs/pool';
import type { ExecutionJobs, JobRequest, SubmittedJob } from '../jobs/runJob';
import { runJob, submitJob } from '../jobs/runJob';
import { runSyncJob } from '../jobs/runSync';
import { asItemError } from '../transport/errors';
import { RequestThrottle } from '../transport/throttle';
import { itemJobOptions, readEachItem } from './itemInput';
import { jobOutputItems } from './jobOutput';
import type { PreparedJob } from './preparedJob';

/**
 * The error item Continue On Fail emits: message, advice, and what identifies the job. With
 * "Continue (using error output)" the item also carries the error itself, which is how n8n
 * knows to route it to the error output.
 */
export function errorItem(error: Error, itemIndex: number, toErrorOutput: boolean): INodeExecutionData {
	const { context = {}, description } = error as NodeOperationError;
	const json: IDataObject = { error: error.message };
	if (description) json.description = description;
	for (const key of ['requestId', 'model', 'httpCode'] as const) {
		if (context[key] !== undefined) json[key] = context[key];
	}
	return toErrorOutput
		? { json, error: error as NodeOperationError, pairedItem: { item: itemIndex } }
		: { json, pairedItem: { item: itemIndex } };
}

/** State shared by the jobs of one execution only: nothing outlives it or leaks across runs. */
export function newExecutionJobs(): ExecutionJobs {
	return { throttle: new RequestThrottle(), estimates: new DurationEstimates() };
}

/**
 * The first item's Concurrency. That item's Options were checked before the run: when they were
 * refused, that item fails on its own and the others run one at a time.
 */
function runConcurrency(this: IExecuteFunctions, itemCount: number): number {
	if (itemCount === 0) return 1;
	try {
		return readConcurrency(this.getNodeParameter('options', 0, {}));
	} catch {
		return 1;
	}
}

/**
 * Runs every item's work concurrently (up to the first item's Concurrency option) and returns
 * one output item per input item, in input order. A failure becomes an error item with Continue
 * On Fail. Otherwise the first failure (in item order) fails the node once the running jobs have
 * ended: no new job is submitted after a failure, and the error lists the request ids of the jobs
 * that did complete, so their (paid) results can still be fetched with Job › Get Result.
 */
export async function runConcurrently(
	this: IExecuteFunctions,
	itemCount: number,
	work: (itemIndex: number, stopping: () => boolean) => Promise<INodeExecutionData | INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const concurrency = runConcurrency.call(this, itemCount);
	const continueOnFail = this.continueOnFail();
	let failed = false;
	const stopping = () => failed;
	const outcomes = await mapWithConcurrency(itemCount, concurrency, async (itemIndex) => {
		// Once the node is going to fail, starting more (paid) jobs would only waste credit.
		if (failed) return undefined;
		try {
			return await work(itemIndex, stopping);
		} catch (error) {
			if (!continueOnFail) failed = true;
			return error as Error;
		}
	});
	const firstFailure = outcomes.findIndex((outcome) => outcome instanceof Error);
	if (firstFailure >= 0 && !continueOnFail) {
		const error = asItemError(this.getNode(), outcomes[firstFailure], firstFailure);
		const completed = outcomes.flatMap((outcome, itemIndex) => {
			const [first] = outcome === undefined || outcome instanceof Error ? [] : [outcome].flat();
			return typeof first?.json.requestId === 'string' ? [`item ${itemIndex}: ${first.json.requestId}`] : [];
		});
		if (completed.length > 0) {
			error.description = `${error.description ?? ''} Other items completed before the node stopped; Job › Get Result can fetch them for 1 hour (${completed.join(', ')}).`.trim();
		}
		throw error;
	}
	return outcomes.flatMap((outcome, itemIndex) =>
		outcome instanceof Error || outcome === undefined
			? errorItem(outcome ?? new Error('Skipped'), itemIndex, this.getNode().onError === 'continueErrorOutput')
			: outcome,
	);
}

/**
 * Runs one Segmind job per input item. Every item is prepared (and so checked) before the
 * first submit: a bad item stops the run before any job is paid for, or, with Continue On Fail,
 * becomes an error item.
 */
export async function runItems(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	prepare: (this: IExecuteFunctions, itemIndex: number) => PreparedJob | Promise<PreparedJob>,
): Promise<INodeExecutionData[]> {
	// One item after the other: preparing reads (but does not keep) each item's binary inputs.
	const prepared = await (readEachItem<PreparedJob>).call(this, items.length, prepare);

	const shared = newExecutionJobs();
	return await runConcurrently.call(this, items.length, async (itemIndex, stopping) => {
		const job = prepared[itemIndex];
		if (job instanceof Error) throw job;
		const options = itemJobOptions.call(this, itemIndex);
		const ready: PreparedJob = { ...job, body: await bodyWithUploads.call(this, job, itemIndex) };
		// Another item failed while this one uploaded: the node will fail, so do not pay for a job.
		if (stopping()) throw new NodeOperationError(this.getNode(), 'Not submitted: another item failed first', { itemIndex });
		const request: JobRequest = {
			model: ready.model,
			body: ready.body,
			itemIndex,
			timeoutSeconds: options.timeoutSeconds,
			typicalDurationSeconds: ready.typicalDurationSeconds,
			...(options.fixedPollIntervalSeconds !== undefined
				? { fixedIntervalMs: options.fixedPollIntervalSeconds * 1000 }
				: {}),
		};
		if (options.runMode === 'submit') {
			const submitted = await submitJob.call(this, shared, request, Date.now() + options.timeoutSeconds * 1000);
			return submittedItem(itemIndex, ready, submitted);
		}
		if (options.runMode === 'sync') {
			const completed = await runSyncJob.call(this, shared, request);
			// The sync result is the image itself: no point repeating it as JSON.
			return await jobOutputItems.call(this, itemIndex, { ...ready, includeResult: false }, completed, options);
		}
		const completed = await runJob.call(this, shared, request);
		return await jobOutputItems.call(this, itemIndex, ready, completed, options);
	});
}

/** Submit Only: what is needed to fetch the result later (Job › Get Result), and nothing secret. */
function submittedItem(itemIndex: number, job: PreparedJob, submitted: SubmittedJob): INodeExecutionData {
	const { response } = submitted;
	return {
		json: {
			requestId: submitted.requestId,
			model: job.model,
			status: typeof response.status === 'string' ? response.status : 'QUEUED',
			statusUrl: response.status_url ?? null,
			responseUrl: response.response_url ?? null,
			parameters: job.body,
		},
		pairedItem: { item: itemIndex },
	};
}
