import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CallContext } from '../transport/errors';
import { failedJobError, httpStatusError, malformedResponseError } from '../transport/errors';
import { segmindApiRequest } from '../transport/segmindApi';
import type { CompletedJob, ExecutionJobs, JobRequest } from './runJob';

/**
 * One job through Segmind's v1 sync API: a single POST that answers with the image bytes once the
 * job is done. Like an async submit, it is never re-sent when Segmind may have started it.
 */
export async function runSyncJob(this: IExecuteFunctions, shared: ExecutionJobs, job: JobRequest): Promise<CompletedJob> {
	const startedMs = Date.now();
	const context: CallContext = { phase: 'submit', itemIndex: job.itemIndex, model: job.model };
	const response = await segmindApiRequest.call(this, {
		method: 'POST',
		path: `/v1/${encodeURIComponent(job.model)}`,
		body: job.body,
		context,
		throttle: shared.throttle,
		deadlineMs: startedMs + job.timeoutSeconds * 1000,
		responseType: 'binary',
	});
	if (response.statusCode === 422) throw failedJobError(this.getNode(), context, response.body);
	if (response.statusCode < 200 || response.statusCode >= 300) {
		throw httpStatusError(this.getNode(), context, response.statusCode, response.body);
	}
	const headerNumber = (name: string) => {
		const value = Number(response.headers[name]);
		return Number.isFinite(value) ? value : undefined;
	};
	const metrics: IDataObject = {};
	const generationTime = headerNumber('x-generation-time');
	if (generationTime !== undefined) metrics.inference_time = generationTime;
	for (const [header, key] of [
		['x-remaining-credits', 'remaining_credits'],
		['x-credits-consumed', 'credits_consumed'],
		['x-cost', 'cost'],
	] as const) {
		const value = headerNumber(header);
		if (value !== undefined) metrics[key] = value;
	}
	// v1 has no request id; the result is the image itself (or, for some models, JSON). The
	// image's type is read from its bytes later, whatever the header says.
	const result: IDataObject = Buffer.isBuffer(response.body)
		? { output: response.body.toString('base64') }
		: ((response.body ?? {}) as IDataObject);
	if (!Buffer.isBuffer(response.body) && typeof response.body !== 'object') {
		throw malformedResponseError(this.getNode(), context, 'the answer is neither an image nor JSON');
	}
	return {
		requestId: `sync-${startedMs.toString(36)}`,
		result,
		metrics,
		statusPolls: 0,
		elapsedSeconds: Math.round((Date.now() - startedMs) / 100) / 10,
	};
}
