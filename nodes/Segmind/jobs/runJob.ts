import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { abortableSleep } from '../transport/abortableSleep';
import type { CallContext } from '../transport/errors';
import { deadlineError, failedJobError, httpStatusError, malformedResponseError } from '../transport/errors';
import { segmindApiRequest } from '../transport/segmindApi';
import type { RequestThrottle } from '../transport/throttle';
import type { DurationEstimates, PollSchedule } from './pollSchedule';
import { nextPollDelayMs } from './pollSchedule';

/** One Segmind job from submit to result, following the async v2 protocol. */

/** What the jobs of one execution share: the rate-limit throttle and what durations showed. */
export interface ExecutionJobs {
	throttle: RequestThrottle;
	estimates: DurationEstimates;
}

export interface JobRequest {
	model: string;
	body: IDataObject;
	itemIndex: number;
	timeoutSeconds: number;
	/** Poll at this fixed interval; adaptive when undefined. */
	fixedIntervalMs?: number;
	/** The model page's typical duration, if known. */
	typicalDurationSeconds?: number;
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

export interface SubmittedJob {
	requestId: string;
	/** What Segmind answered to the submit (request id, status, poll/status/response URLs). */
	response: IDataObject;
}

type JobStatus = 'QUEUED' | 'PROCESSING' | 'COMPLETED' | 'FAILED';

export type WaitOutcome = { done: true; metrics: IDataObject; polls: number } | { done: false; status: string; polls: number };

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requestPath(requestId: string, suffix = ''): string {
	return `/v2/requests/${encodeURIComponent(requestId)}${suffix}`;
}

/** Sends the job once. Never repeated when Segmind may have created it (see transport). */
export async function submitJob(
	this: IExecuteFunctions,
	shared: ExecutionJobs,
	job: JobRequest,
	deadlineMs: number,
): Promise<SubmittedJob> {
	const context: CallContext = { phase: 'submit', itemIndex: job.itemIndex, model: job.model };
	const response = await segmindApiRequest.call(this, {
		method: 'POST',
		path: `/v2/${encodeURIComponent(job.model)}`,
		body: job.body,
		context,
		throttle: shared.throttle,
		deadlineMs,
	});
	if (response.statusCode < 200 || response.statusCode >= 300) {
		throw httpStatusError(this.getNode(), context, response.statusCode, response.body);
	}
	const body = isObject(response.body) ? response.body : {};
	const requestId = body.request_id;
	if (typeof requestId !== 'string' || requestId === '') {
		throw malformedResponseError(this.getNode(), context, 'it carries no request_id');
	}
	return { requestId, response: body };
}

/**
 * Polls until COMPLETED (done), FAILED (throws) or the deadline: then throws, or, with
 * `pendingAtDeadline`, reports the job as still running.
 */
export async function waitForJob(
	this: IExecuteFunctions,
	shared: ExecutionJobs,
	context: CallContext,
	options: {
		submittedMs: number;
		deadlineMs: number;
		schedule: PollSchedule;
		timeoutSeconds: number;
		/** At the deadline, report the job as still running instead of failing. */
		pendingAtDeadline?: boolean;
		/** Look at once (a job fetched by id may have finished long ago). */
		firstPollImmediately?: boolean;
	},
): Promise<WaitOutcome> {
	const signal = this.getExecutionCancelSignal();
	let processingSinceMs: number | undefined;
	for (let polls = 0; ; ) {
		const delay =
			polls === 0 && options.firstPollImmediately
				? 0
				: nextPollDelayMs(options.schedule, {
						nowMs: Date.now(),
						submittedMs: options.submittedMs,
						deadlineMs: options.deadlineMs,
						polls,
						processingSinceMs,
					});
		await abortableSleep(delay, signal);
		polls++;
		const response = await segmindApiRequest.call(this, {
			method: 'GET',
			path: requestPath(context.requestId as string, '/status'),
			context,
			throttle: shared.throttle,
			deadlineMs: options.deadlineMs,
		});
		const body = isObject(response.body) ? response.body : {};
		const status = body.status as JobStatus | undefined;
		if (response.statusCode === 422 || status === 'FAILED') {
			throw failedJobError(this.getNode(), context, body);
		}
		if (response.statusCode < 200 || response.statusCode >= 300) {
			throw httpStatusError(this.getNode(), context, response.statusCode, response.body);
		}
		if (status === 'COMPLETED') return { done: true, metrics: isObject(body.metrics) ? body.metrics : {}, polls };
		if (status !== 'QUEUED' && status !== 'PROCESSING') {
			throw malformedResponseError(this.getNode(), context, `unknown job status "${String(status)}"`);
		}
		if (status === 'PROCESSING' && processingSinceMs === undefined) processingSinceMs = Date.now();
		if (Date.now() >= options.deadlineMs) {
			if (options.pendingAtDeadline) return { done: false, status, polls };
			throw deadlineError(this.getNode(), context, options.timeoutSeconds);
		}
	}
}

export async function fetchResult(
	this: IExecuteFunctions,
	shared: ExecutionJobs,
	context: CallContext,
	deadlineMs: number,
): Promise<IDataObject> {
	const response = await segmindApiRequest.call(this, {
		method: 'GET',
		path: requestPath(context.requestId as string),
		context,
		throttle: shared.throttle,
		deadlineMs,
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

export function resultMetrics(result: IDataObject, fallback: IDataObject): IDataObject {
	return isObject(result.metrics) && Object.keys(result.metrics).length > 0 ? result.metrics : fallback;
}

/** Submits once, waits for the job and returns its result. Never re-submits. */
export async function runJob(this: IExecuteFunctions, shared: ExecutionJobs, job: JobRequest): Promise<CompletedJob> {
	const submittedMs = Date.now();
	const deadlineMs = submittedMs + job.timeoutSeconds * 1000;
	const { requestId } = await submitJob.call(this, shared, job, deadlineMs);
	// The timeout counts from when Segmind took the job: waiting out rate limits before that must not
	// leave a paid job no time to finish.
	const acceptedMs = Date.now();
	const jobDeadlineMs = acceptedMs + job.timeoutSeconds * 1000;
	const context: CallContext = { phase: 'status', itemIndex: job.itemIndex, model: job.model, requestId };
	const typicalMs = shared.estimates.typicalMs(
		job.model,
		job.typicalDurationSeconds === undefined ? undefined : job.typicalDurationSeconds * 1000,
	);
	const waited = await waitForJob.call(this, shared, context, {
		submittedMs: acceptedMs,
		deadlineMs: jobDeadlineMs,
		timeoutSeconds: job.timeoutSeconds,
		schedule: job.fixedIntervalMs === undefined ? { typicalMs } : { fixedIntervalMs: job.fixedIntervalMs },
	});
	if (!waited.done) throw deadlineError(this.getNode(), context, job.timeoutSeconds);
	// Segmind's own compute time is the sharpest estimate; the time until we saw it done is late.
	const inferenceMs = Number(waited.metrics.inference_time) * 1000;
	shared.estimates.record(job.model, inferenceMs > 0 ? inferenceMs : Date.now() - acceptedMs);
	const result = await fetchResult.call(this, shared, { ...context, phase: 'result' }, jobDeadlineMs);
	return {
		requestId,
		result,
		metrics: resultMetrics(result, waited.metrics),
		statusPolls: waited.polls,
		elapsedSeconds: Math.round((Date.now() - submittedMs) / 100) / 10,
	};
}
