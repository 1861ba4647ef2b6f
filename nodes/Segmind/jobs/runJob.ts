import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CompletedJob, JobSpec, PendingJob, SubmittedJob } from '../shared/jobSpec';
import type { CallContext } from '../shared/errors';
import { deadlineError } from '../shared/errors';
import { abortableSleep } from '../transport/abortableSleep';
import type { SegmindClient, StatusAnswer } from '../transport/segmindClient';
import type { DurationEstimates, PollSchedule } from './pollSchedule';
import { nextPollDelayMs } from './pollSchedule';

/**
 * The stages of one Segmind job after its uploads: submit → wait → result (async v2), the v1
 * sync call, or wait → result for a job that already exists (Job › Get Result). The runner
 * (runner.ts) picks the stages; these only follow the protocol.
 */

/** What the jobs of one execution share: the Segmind client (and its 429 throttle), and what durations showed. */
export interface ExecutionJobs {
	client: SegmindClient;
	estimates: DurationEstimates;
}

/** Per item: how long to wait, and how to poll. */
export interface JobTiming {
	timeoutSeconds: number;
	/** Poll at this fixed interval; adaptive when undefined. */
	fixedIntervalMs?: number;
}

/**
 * A job that is done (and so paid for) gets at least this long (or its Timeout, if shorter) to
 * fetch its result and files, even when it finished just before the item's deadline.
 */
export const AFTER_COMPLETION_WINDOW_MS = 60_000;

/** Until when a done job's result and files may be fetched (retried). */
function fetchDeadlineMs(itemDeadlineMs: number, timeoutSeconds: number): number {
	return Math.max(itemDeadlineMs, Date.now() + Math.min(AFTER_COMPLETION_WINDOW_MS, timeoutSeconds * 1000));
}

function secondsSince(startMs: number): number {
	return Math.round((Date.now() - startMs) / 100) / 10;
}

type WaitOutcome = { done: true; metrics: StatusAnswer['metrics']; polls: number } | { done: false; status: string; polls: number };

/**
 * Polls until COMPLETED (done), FAILED (throws) or the deadline: then throws, or, with
 * `pendingAtDeadline`, reports the job as still running.
 */
async function waitForJob(
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
		/** Faults on the status call are retried until here (at least the deadline). */
		retryUntilMs?: number;
	},
): Promise<WaitOutcome> {
	const signal = this.getExecutionCancelSignal();
	let queuedSeenMs: number | undefined;
	for (let polls = 0; ; ) {
		const delay =
			polls === 0 && options.firstPollImmediately
				? 0
				: nextPollDelayMs(options.schedule, {
						nowMs: Date.now(),
						submittedMs: options.submittedMs,
						deadlineMs: options.deadlineMs,
						polls,
						queuedSeenMs,
					});
		await abortableSleep(delay, signal);
		polls++;
		const { status, metrics } = await shared.client.status(context, options.retryUntilMs ?? options.deadlineMs);
		if (status === 'COMPLETED') return { done: true, metrics, polls };
		if (status === 'QUEUED') queuedSeenMs = Date.now();
		if (Date.now() >= options.deadlineMs) {
			if (options.pendingAtDeadline) return { done: false, status, polls };
			throw deadlineError(this.getNode(), context, options.timeoutSeconds);
		}
	}
}

function resultMetrics(result: CompletedJob['result'], fallback: CompletedJob['metrics']): CompletedJob['metrics'] {
	const { metrics } = result;
	return typeof metrics === 'object' && metrics !== null && !Array.isArray(metrics) && Object.keys(metrics).length > 0
		? (metrics as CompletedJob['metrics'])
		: fallback;
}

/** Called the moment Segmind accepted a job, before anything else is asked about it. */
export type OnAccepted = (requestId: string, response: IDataObject) => void;

/** Submit Only: the request id and Segmind's answer, nothing else. */
export async function submitOnly(
	this: IExecuteFunctions,
	shared: ExecutionJobs,
	context: CallContext,
	spec: JobSpec,
	deadlineMs: number,
	onAccepted?: OnAccepted,
): Promise<SubmittedJob> {
	const { requestId, response } = await shared.client.submit(context, spec.body, deadlineMs);
	onAccepted?.(requestId, response);
	return { kind: 'submitted', requestId, response, spec };
}

/** Submits once, waits for the job and returns its result. Never re-submits. */
export async function submitAndWait(
	this: IExecuteFunctions,
	shared: ExecutionJobs,
	context: CallContext,
	spec: JobSpec,
	timing: JobTiming,
	deadlineMs: number,
	onAccepted?: OnAccepted,
): Promise<CompletedJob> {
	const submittedMs = Date.now();
	const { requestId, response } = await shared.client.submit(context, spec.body, deadlineMs);
	onAccepted?.(requestId, response);
	// The timeout counts from when Segmind took the job: waiting out rate limits before that must not
	// leave a paid job no time to finish.
	const acceptedMs = Date.now();
	const jobDeadlineMs = acceptedMs + timing.timeoutSeconds * 1000;
	const jobContext: CallContext = { ...context, phase: 'status', requestId, deadlineMs: jobDeadlineMs };
	const typicalMs = shared.estimates.typicalMs(
		spec.model,
		spec.typicalDurationSeconds === undefined ? undefined : spec.typicalDurationSeconds * 1000,
	);
	const waited = await waitForJob.call(this, shared, jobContext, {
		submittedMs: acceptedMs,
		deadlineMs: jobDeadlineMs,
		timeoutSeconds: timing.timeoutSeconds,
		schedule: timing.fixedIntervalMs === undefined ? { typicalMs } : { fixedIntervalMs: timing.fixedIntervalMs },
	});
	if (!waited.done) throw deadlineError(this.getNode(), jobContext, timing.timeoutSeconds);
	// Segmind's own compute time is the sharpest estimate; the time until we saw it done is late.
	const inferenceMs = Number(waited.metrics.inference_time) * 1000;
	shared.estimates.record(spec.model, inferenceMs > 0 ? inferenceMs : Date.now() - acceptedMs);
	const fetchUntilMs = fetchDeadlineMs(jobDeadlineMs, timing.timeoutSeconds);
	const result = await shared.client.result({ ...jobContext, phase: 'result' }, fetchUntilMs);
	return {
		kind: 'completed',
		via: 'async',
		requestId,
		model: spec.model,
		result,
		metrics: resultMetrics(result, waited.metrics),
		statusPolls: waited.polls,
		elapsedSeconds: secondsSince(submittedMs),
		deadlineMs: fetchUntilMs,
		spec,
	};
}

/** Segmind's v1 sync call. It has no request id, so the job cannot be fetched later. */
export async function runSync(
	this: IExecuteFunctions,
	shared: ExecutionJobs,
	context: CallContext,
	spec: JobSpec,
	deadlineMs: number,
	timeoutSeconds: number,
): Promise<CompletedJob> {
	const startedMs = Date.now();
	const { result, metrics } = await shared.client.submitSync(context, spec.body, deadlineMs);
	return {
		kind: 'completed',
		via: 'sync',
		model: spec.model,
		result,
		metrics,
		statusPolls: 0,
		elapsedSeconds: secondsSince(startedMs),
		deadlineMs: fetchDeadlineMs(deadlineMs, timeoutSeconds),
		spec,
	};
}

/** Job › Get Result: waits up to `waitSeconds` for a job that exists, then fetches its result. */
export async function fetchExisting(
	this: IExecuteFunctions,
	shared: ExecutionJobs,
	context: CallContext,
	work: { requestId: string; model?: string; waitSeconds: number },
	timing: JobTiming,
): Promise<CompletedJob | PendingJob> {
	const startedMs = Date.now();
	const deadlineMs = startedMs + work.waitSeconds * 1000;
	const retryUntilMs = Math.max(deadlineMs, startedMs + AFTER_COMPLETION_WINDOW_MS);
	const jobContext: CallContext = { ...context, phase: 'status', requestId: work.requestId, deadlineMs: retryUntilMs };
	const waited = await waitForJob.call(this, shared, jobContext, {
		// The first look is immediate: the job may have finished long ago.
		submittedMs: startedMs,
		deadlineMs,
		timeoutSeconds: work.waitSeconds,
		schedule: timing.fixedIntervalMs !== undefined ? { fixedIntervalMs: timing.fixedIntervalMs } : {},
		pendingAtDeadline: true,
		firstPollImmediately: true,
		retryUntilMs,
	});
	if (!waited.done) {
		return { kind: 'pending', requestId: work.requestId, ...(work.model ? { model: work.model } : {}), status: waited.status };
	}
	const fetchUntilMs = Math.max(deadlineMs, Date.now() + AFTER_COMPLETION_WINDOW_MS);
	const result = await shared.client.result({ ...jobContext, phase: 'result' }, fetchUntilMs);
	return {
		kind: 'completed',
		via: 'fetch',
		requestId: work.requestId,
		...(work.model ? { model: work.model } : {}),
		result,
		metrics: resultMetrics(result, waited.metrics),
		statusPolls: waited.polls,
		elapsedSeconds: secondsSince(startedMs),
		deadlineMs: fetchUntilMs,
	};
}
