import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { deadlineError } from '../shared/errors';
import type { CallContext } from '../shared/errors';
import type { CompletedJob, JobSpec, SubmittedJob } from '../shared/jobSpec';
import type { JobStore, UploadFingerprint } from './jobMemory';
import {
	findReusableJob,
	hasUnknownSubmit,
	jobFingerprint,
	markJobFailed,
	recordJob,
	recordUnknownSubmit,
	sha256Hex,
} from './jobMemory';
import type { ExecutionJobs, JobTiming } from './runJob';
import { fetchExisting } from './runJob';

/**
 * Re-runs never pay twice: the runner's hook into the node's job memory (jobMemory.ts). n8n keeps
 * one node context per node and execution; Retry On Fail re-runs the node with the same context,
 * run index and items, and a retried execution starts from the failed one's saved context. A job
 * recorded there right after Segmind accepted it is fetched again (status → result → output), not
 * bought again, when the item's job spec is the same.
 */

/** The node context's key for the job memory. */
const CONTEXT_KEY = 'segmindJobs';

/**
 * The node's job memory, in its execution context: undefined when this n8n gives none. n8n 2.41's
 * opt-in engine v2 gives every call an empty context: recording then works but nothing is found.
 */
function nodeJobStore(functions: IExecuteFunctions): JobStore | undefined {
	if (typeof functions.getContext !== 'function') return undefined;
	try {
		const context = functions.getContext('node') as IDataObject | undefined;
		if (typeof context !== 'object' || context === null) return undefined;
		const existing = context[CONTEXT_KEY];
		if (typeof existing === 'object' && existing !== null && !Array.isArray(existing)) return existing as JobStore;
		const store: JobStore = {};
		context[CONTEXT_KEY] = store as IDataObject;
		return store;
	} catch {
		return undefined;
	}
}

/**
 * This run's index (a node in a loop runs several times per execution), or undefined when n8n does
 * not say: then runs cannot be told apart, and no job is reused (a loop's later run with the same
 * inputs must buy its own).
 */
function runIndexOf(functions: IExecuteFunctions, itemIndex: number): number | undefined {
	try {
		const runIndex = functions.getWorkflowDataProxy(itemIndex).$runIndex;
		return typeof runIndex === 'number' && Number.isInteger(runIndex) && runIndex >= 0 ? runIndex : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The spec's fingerprint, before any upload: its binary inputs count by their bytes' hash, since
 * every upload gives new URLs. The bytes are read one file at a time, as the upload does.
 */
async function specFingerprint(functions: IExecuteFunctions, itemIndex: number, spec: JobSpec): Promise<string> {
	const uploads: UploadFingerprint[] = [];
	for (const upload of spec.pendingUploads ?? []) {
		const data = await functions.helpers.getBinaryDataBuffer(itemIndex, upload.binaryProperty);
		uploads.push({ field: upload.field, list: upload.list, mimeType: upload.mimeType, sha256: sha256Hex(data) });
	}
	return jobFingerprint({ model: spec.model, body: spec.body, uploads });
}

/** Segmind's answer about this request id, and the call it came from, when an error carries one. */
function answerOf(error: unknown, requestId: string): { code: string; phase: unknown } | undefined {
	const context = (error as { context?: IDataObject } | undefined)?.context;
	return context?.requestId === requestId && typeof context.httpCode === 'string'
		? { code: context.httpCode, phase: context.phase }
		: undefined;
}

/**
 * Whether a recorded job can never be had, so the item is submitted anew: Segmind reports it
 * FAILED (422), or its status is unknown to Segmind (404). A 404 from the result after the status
 * said COMPLETED is not: that job was paid for, and buying it again is what reuse prevents.
 */
function isLostJob(error: unknown, requestId: string): boolean {
	const answer = answerOf(error, requestId);
	return answer?.code === '422' || (answer?.code === '404' && answer.phase === 'status');
}

/** A FAILED job, as Segmind reported it for this request id (422 on status or result). */
function isFailedJob(error: unknown, requestId: string): boolean {
	return answerOf(error, requestId)?.code === '422';
}

/** One item's view of the job memory. */
export class ItemJobMemory {
	constructor(
		private readonly store: JobStore,
		private readonly runIndex: number,
		private readonly itemIndex: number,
		private readonly fingerprint: string,
	) {}

	/** Records a job right after Segmind accepted it (before the first poll): `sent` is the spec after uploads. */
	accepted(sent: JobSpec): (requestId: string, response: IDataObject) => void {
		return (requestId, response) => {
			const nowMs = Date.now();
			recordJob(this.store, this.runIndex, this.itemIndex, {
				requestId,
				model: sent.model,
				acceptedMs: nowMs,
				fingerprint: this.fingerprint,
				sentFingerprint: jobFingerprint({ model: sent.model, body: sent.body }),
				sentBody: sent.body,
				response,
			}, nowMs);
		};
	}

	/**
	 * A job's stages, watched: a job Segmind reports FAILED is remembered as such, so a re-run buys
	 * a new one; a submit whose outcome is unknown is remembered too, so a re-run does not send it again.
	 */
	async watch<T>(stages: Promise<T>): Promise<T> {
		return await stages.catch((error: unknown) => {
			const context = (error as { context?: IDataObject } | undefined)?.context;
			const requestId = context?.requestId;
			if (typeof requestId === 'string' && isFailedJob(error, requestId)) {
				markJobFailed(this.store, this.runIndex, this.itemIndex, requestId);
			}
			if (context?.phase === 'submit' && context.jobMayExist === true) {
				recordUnknownSubmit(this.store, this.runIndex, this.itemIndex, this.fingerprint, Date.now());
			}
			throw error;
		});
	}

	/**
	 * The job recorded for this item when it may be reused: a Submit Only item answers with it at
	 * once; any other waits for it (status → result). A job Segmind reports FAILED, or no longer
	 * knows (404), is marked so and gives undefined: the item is submitted anew.
	 */
	async reuse(
		functions: IExecuteFunctions,
		shared: ExecutionJobs,
		mode: 'wait' | 'submit',
		spec: JobSpec,
		timing: JobTiming,
	): Promise<CompletedJob | SubmittedJob | undefined> {
		if (hasUnknownSubmit(this.store, this.runIndex, this.itemIndex, this.fingerprint, Date.now())) {
			throw new NodeOperationError(functions.getNode(), 'This item was not sent again: an earlier try\'s submit of the same job may have created a job (its outcome was unknown)', {
				itemIndex: this.itemIndex,
				description: 'The node re-ran (Retry On Fail, or a retried execution), and the last submit of this item ended without an answer saying whether Segmind took it. Sending it again could pay twice. Check your Segmind request history (Segmind console → Requests) for the job; to buy it anyway, run the workflow anew or turn off "Reuse Jobs on Re-Run".',
			});
		}
		const record = findReusableJob(this.store, this.runIndex, this.itemIndex, this.fingerprint, Date.now());
		if (!record) return undefined;
		const sent: JobSpec = { ...spec, body: record.sentBody };
		delete sent.pendingUploads;
		if (mode === 'submit') {
			return { kind: 'submitted', requestId: record.requestId, response: record.response, spec: sent, reused: true };
		}
		const context: CallContext = { phase: 'status', itemIndex: this.itemIndex, model: record.model };
		const job = await fetchExisting
			.call(functions, shared, context, { requestId: record.requestId, model: record.model, waitSeconds: timing.timeoutSeconds }, timing)
			.catch((error: unknown) => {
				if (!isLostJob(error, record.requestId)) throw error;
				return undefined;
			});
		if (!job) {
			markJobFailed(this.store, this.runIndex, this.itemIndex, record.requestId);
			return undefined;
		}
		if (job.kind === 'pending') {
			throw deadlineError(functions.getNode(), { ...context, requestId: record.requestId }, timing.timeoutSeconds);
		}
		return { ...job, spec: sent, reused: true };
	}
}

/** The item's job memory, or undefined when this n8n keeps no node context. */
export async function itemJobMemory(this: IExecuteFunctions, itemIndex: number, spec: JobSpec): Promise<ItemJobMemory | undefined> {
	const store = nodeJobStore(this);
	const runIndex = runIndexOf(this, itemIndex);
	if (!store || runIndex === undefined) return undefined;
	return new ItemJobMemory(store, runIndex, itemIndex, await specFingerprint(this, itemIndex, spec));
}

/** A reused job's output items say so, right after their request id. */
export function markedReused(items: INodeExecutionData[]): INodeExecutionData[] {
	return items.map((item) => {
		const json: IDataObject = {};
		for (const [key, value] of Object.entries(item.json)) {
			json[key] = value;
			if (key === 'requestId') json.reusedJob = true;
		}
		json.reusedJob = true;
		return { ...item, json };
	});
}
