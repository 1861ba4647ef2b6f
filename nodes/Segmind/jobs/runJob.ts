import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { abortableSleep } from '../transport/abortableSleep';
import type { CallContext } from '../transport/errors';
import { deadlineError, failedJobError, httpStatusError, malformedResponseError } from '../transport/errors';
import { segmindApiRequest } from '../transport/segmindApi';
import type { PollSchedule } from './pollSchedule';
import { nextPollDelayMs } from './pollSchedule';

/** One Segmind job from submit to result, following the async v2 protocol. */

export interface JobRequest {
	model: string;
	body: IDataObject;
	itemIndex: number;
	timeoutSeconds: number;
	schedule: PollSchedule;
}

export interface CompletedJob {
	requestId: string;
	/** Segmind's result body (`GET /v2/requests/<id>`). */
	result: IDataObject;
	metrics: IDataObject;
	statusPolls: number;
	/** Seconds from submit to result, as this node saw it. */
	elapsedSeconds: number;
}

type JobStatus = 'QUEUED' | 'PROCESSING' | 'COMPLETED' | 'FAILED';

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requestPath(requestId: string, suffix = ''): string {
	return `/v2/requests/${encodeURIComponent(requestId)}${suffix}`;
}

async function submit(this: IExecuteFunctions, job: JobRequest): Promise<string> {
	const context: CallContext = { phase: 'submit', itemIndex: job.itemIndex, model: job.model };
	const response = await segmindApiRequest.call(this, {
		method: 'POST',
		path: `/v2/${encodeURIComponent(job.model)}`,
		body: job.body,
		context,
	});
	if (response.statusCode < 200 || response.statusCode >= 300) {
		throw httpStatusError(this.getNode(), context, response.statusCode, response.body);
	}
	const requestId = isObject(response.body) ? response.body.request_id : undefined;
	if (typeof requestId !== 'string' || requestId === '') {
		throw malformedResponseError(this.getNode(), context, 'it carries no request_id');
	}
	return requestId;
}

/** Polls until COMPLETED (returns the metrics) or FAILED / deadline (throws). */
async function waitForCompletion(
	this: IExecuteFunctions,
	job: JobRequest,
	context: CallContext,
	deadlineMs: number,
): Promise<{ metrics: IDataObject; polls: number }> {
	const signal = this.getExecutionCancelSignal();
	for (let polls = 1; ; polls++) {
		const delay = nextPollDelayMs(job.schedule, Date.now(), deadlineMs);
		await abortableSleep(delay, signal);
		const response = await segmindApiRequest.call(this, {
			method: 'GET',
			path: requestPath(context.requestId as string, '/status'),
			context,
		});
		const body = isObject(response.body) ? response.body : {};
		const status = body.status as JobStatus | undefined;
		if (response.statusCode === 422 || status === 'FAILED') {
			throw failedJobError(this.getNode(), context, body);
		}
		if (response.statusCode < 200 || response.statusCode >= 300) {
			throw httpStatusError(this.getNode(), context, response.statusCode, response.body);
		}
		if (status === 'COMPLETED') {
			return { metrics: isObject(body.metrics) ? body.metrics : {}, polls };
		}
		if (status !== 'QUEUED' && status !== 'PROCESSING') {
			throw malformedResponseError(this.getNode(), context, `unknown job status "${String(status)}"`);
		}
		if (Date.now() >= deadlineMs) throw deadlineError(this.getNode(), context, job.timeoutSeconds);
	}
}

async function fetchResult(this: IExecuteFunctions, context: CallContext): Promise<IDataObject> {
	const response = await segmindApiRequest.call(this, {
		method: 'GET',
		path: requestPath(context.requestId as string),
		context,
	});
	const body = isObject(response.body) ? response.body : undefined;
	if (response.statusCode === 422 || body?.status === 'FAILED') {
		throw failedJobError(this.getNode(), context, response.body);
	}
	if (response.statusCode < 200 || response.statusCode >= 300) {
		throw httpStatusError(this.getNode(), context, response.statusCode, response.body);
	}
	if (!body) throw malformedResponseError(this.getNode(), context, 'the result is not a JSON object');
	return body;
}

/** Submits once, waits for the job and returns its result. Never re-submits. */
export async function runJob(this: IExecuteFunctions, job: JobRequest): Promise<CompletedJob> {
	const startedMs = Date.now();
	const deadlineMs = startedMs + job.timeoutSeconds * 1000;
	const requestId = await submit.call(this, job);
	const context: CallContext = { phase: 'status', itemIndex: job.itemIndex, model: job.model, requestId };
	const { metrics, polls } = await waitForCompletion.call(this, job, context, deadlineMs);
	const result = await fetchResult.call(this, { ...context, phase: 'result' });
	return {
		requestId,
		result,
		metrics: isObject(result.metrics) && Object.keys(result.metrics).length > 0 ? result.metrics : metrics,
		statusPolls: polls,
		elapsedSeconds: Math.round((Date.now() - startedMs) / 100) / 10,
	};
}
