import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

/**
 * What flows through the job pipeline, from the operations (which prepare specs) through the
 * runner (jobs/runner.ts) to the output module (actions/jobOutput.ts). Types only: every layer may
 * use them, and they import nothing of the node's own.
 */

/** A checked, ready-to-run job for one item: all an operation hands to the runner. */
export interface JobSpec {
	/** Segmind model slug. */
	model: string;
	/** The request body, with Segmind's field names. */
	body: IDataObject;
	/** From the model description, when known: it shapes the poll schedule. */
	typicalDurationSeconds?: number;
	/** Output wish: described models always return an image; an arbitrary model may return only JSON. */
	requireImage: boolean;
	/** Output wish: add Segmind's whole result body to the output JSON. */
	includeResult: boolean;
	/**
	 * Input images from binary data, checked but not yet uploaded: the runner uploads them (see
	 * io/inputImages.ts) right before the submit, once every item has passed its checks.
	 */
	pendingUploads?: PendingUpload[];
}

/**
 * A checked binary input to upload and then send as a URL in `field` (e.g. `image_urls`, `mask`).
 * It names the binary field rather than holding the bytes, so that preparing every item before
 * the first submit never holds all items' images in memory at once: the bytes are read again
 * (through n8n's helpers) when the item's turn to upload comes.
 */
export interface PendingUpload {
	/** Segmind's field for the uploaded URL. */
	field: string;
	/** A list field (`image_urls`) gets the URL appended after the URLs given; otherwise it is set. */
	list: boolean;
	/** The item's binary field (as given to n8n's binary helpers). */
	binaryProperty: string;
	/** The type recognised from the bytes, used in the data URL. */
	mimeType: string;
	/** The file's size in bytes, when known at check time: uploads are split and bounded by it. */
	bytes?: number;
}

/**
 * An input the model cannot take, found while preparing an item: the operation turns it into a
 * NodeOperationError that names the item and says nothing was spent.
 */
export class InvalidInput extends Error {}

/** How a job is run: Run Mode for a spec; Job › Get Result only waits for a job that exists. */
export type JobWork =
	| { mode: 'wait' | 'submit' | 'sync'; spec: JobSpec }
	| {
			mode: 'fetch';
			requestId: string;
			/** Only names the output; a fetched job's model is not known otherwise. */
			model?: string;
			/** How long to wait for a job still running; 0 looks once. */
			waitSeconds: number;
	  };

/** A job with a result. */
export interface CompletedJob {
	kind: 'completed';
	/** Submitted and polled here, one v1 sync call, or fetched by id (Job › Get Result). */
	via: 'async' | 'sync' | 'fetch';
	/** Segmind's request id; undefined for a Single Synchronous Call, which has none. */
	requestId?: string;
	model?: string;
	/** Segmind's result body (`GET /v2/requests/<id>`, or the v1 answer). */
	result: IDataObject;
	metrics: IDataObject;
	statusPolls: number;
	/** Seconds from submit (or fetch) to result, as this node saw it. */
	elapsedSeconds: number;
	/** Until when its result files may be downloaded (retried). */
	deadlineMs: number;
	/** The spec it ran, when this run submitted it (not for Get Result). */
	spec?: JobSpec;
	/** A job an earlier attempt bought, fetched again instead (jobs/jobReuse.ts). */
	reused?: boolean;
}

/** Submit Only: Segmind accepted the job; Job › Get Result fetches it later. */
export interface SubmittedJob {
	kind: 'submitted';
	requestId: string;
	/** What Segmind answered to the submit (request id, status, poll/status/response URLs). */
	response: IDataObject;
	spec: JobSpec;
	/** A job an earlier attempt bought, answered again instead (jobs/jobReuse.ts). */
	reused?: boolean;
}

/** Get Result: the job was still running when the wait ended. */
export interface PendingJob {
	kind: 'pending';
	requestId: string;
	model?: string;
	status: string;
}

export type FinishedJob = CompletedJob | SubmittedJob | PendingJob;

/**
 * What became of one input item: its output items, an error (the item failed), or skipped (not
 * started because another item had already failed the run).
 */
export type ItemOutcome =
	| { status: 'ok'; itemIndex: number; items: INodeExecutionData[]; requestId?: string }
	| { status: 'failed'; itemIndex: number; error: Error }
	| { status: 'skipped'; itemIndex: number; reason: string };

/**
 * Whether a text can be a Segmind request id. Segmind's are UUIDs; the id becomes part of a URL path
 * (`/v2/requests/<id>/status`), so `..`, a slash, spaces or control characters would send the
 * request somewhere else. Checked for ids a user gives (Job › Get Result) and ids a submit answer gives.
 */
export function isRequestId(text: string): boolean {
	return text.length <= 200 && /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(text);
}
