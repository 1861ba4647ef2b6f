import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * Every error the node raises, worded for the phase it came from. Below every layer: it imports
 * nothing of the node's own. Wherever the job already exists (and may be paid for), the advice
 * points to Job › Get Result with the request id before anything that would buy a new job.
 */

/** Which Segmind call failed: the same HTTP status means different things for each. */
export type CallPhase = 'submit' | 'status' | 'result' | 'download' | 'credits' | 'upload';

export interface CallContext {
	phase: CallPhase;
	itemIndex: number;
	model?: string;
	requestId?: string;
	/** Until when the call may be retried (downloads read it here; API calls are given it). */
	deadlineMs?: number;
}

/** What an error item carries besides the message, so a workflow can act on it. */
export interface SegmindErrorDetails extends IDataObject {
	requestId?: string;
	model?: string;
	httpCode?: string;
	phase?: CallPhase;
	/** A submit whose outcome is unknown: Segmind may have created (and billed) the job. */
	jobMayExist?: boolean;
}

const RESULT_RETENTION = 'Segmind keeps job status and results for 1 hour';

/** The free path to a job that exists: Get Result first, a new (billed) job only after that. */
export function getResultAdvice(requestId: string): string {
	return `Segmind keeps its result for 1 hour: Job › Get Result with request id ${requestId} fetches it without a new job, and so does retrying this execution while Reuse Jobs on Re-Run is on. A new run of the workflow creates (and bills) a new job.`;
}

/** The error text Segmind put in a body, trimmed to something readable. */
export function segmindErrorText(body: unknown): string | undefined {
	let text: unknown;
	if (typeof body === 'string') text = body;
	else if (body && typeof body === 'object') {
		const object = body as IDataObject;
		text = object.error ?? object.message ?? object.detail;
		if (text && typeof text === 'object') text = JSON.stringify(text);
	}
	if (typeof text !== 'string' || text.trim() === '') return undefined;
	const clean = text.trim();
	return clean.length > 500 ? `${clean.slice(0, 500)}…` : clean;
}

function jobLabel(context: CallContext): string {
	return context.requestId ? `Segmind job ${context.requestId}` : 'The Segmind request';
}

export function segmindError(
	node: INode,
	context: CallContext,
	message: string,
	description: string,
	options: { httpCode?: number; body?: unknown } = {},
): NodeApiError {
	const response: JsonObject =
		options.body && typeof options.body === 'object' ? (options.body as JsonObject) : {};
	const error = new NodeApiError(node, response, {
		message,
		description,
		itemIndex: context.itemIndex,
		...(options.httpCode !== undefined ? { httpCode: String(options.httpCode) } : {}),
	});
	// NodeApiError swaps a message naming a network code (ECONNRESET…) for n8n's generic text,
	// which would give the wrong advice for a paid job: the node's own words are kept.
	error.message = message;
	error.description = description;
	const details: SegmindErrorDetails = { phase: context.phase };
	if (context.requestId) details.requestId = context.requestId;
	if (context.model) details.model = context.model;
	if (options.httpCode !== undefined) details.httpCode = String(options.httpCode);
	Object.assign(error.context, details);
	return error;
}

/** Marks a submit error whose outcome is unknown, so a re-run of the node does not send it again (jobs/jobReuse.ts). */
function markJobMayExist<E extends NodeApiError>(submitting: boolean, error: E): E {
	if (submitting) Object.assign(error.context, { jobMayExist: true } satisfies SegmindErrorDetails);
	return error;
}

/** A non-2xx answer from Segmind's API, explained for the phase it came from. */
export function httpStatusError(node: INode, context: CallContext, statusCode: number, body: unknown): NodeApiError {
	const said = segmindErrorText(body);
	const saidSuffix = said ? `: ${said}` : '';
	const options = { httpCode: statusCode, body };
	const submitting = context.phase === 'submit';
	// The account's balance is no job: its 400, 404 and 422 mean the endpoint, not a job.
	if (context.phase === 'credits' && [400, 404, 422].includes(statusCode)) {
		return segmindError(node, context, `Segmind could not report the account's credits (HTTP ${statusCode})${saidSuffix}`,
			'GET /v1/get-user-credits did not answer as expected. Check the base URL in your Segmind credential (a proxy must forward this endpoint). Nothing was spent.',
			options);
	}
	switch (statusCode) {
		case 400:
			return segmindError(node, context, `Segmind rejected the request as invalid${saidSuffix}`,
				submitting
					? 'Check the node parameters against the model page. No job was created.'
					: `Segmind refused to report on the job.${context.requestId ? ` ${RESULT_RETENTION}: Job › Get Result can try again with request id ${context.requestId}.` : ''}`,
				options);
		case 401:
			return segmindError(node, context, 'Segmind rejected the API key (401 Unauthorized)',
				'Check the API key in your Segmind credential: copy it again from the Segmind console (API Keys) and make sure the credential\'s base URL is right.', options);
		case 403:
			return segmindError(node, context, `Segmind refused access (403 Forbidden)${saidSuffix}`,
				'Your API key is valid but may not use this model or endpoint. Check the key\'s permissions and your Segmind plan.', options);
		case 404:
			return submitting
				? segmindError(node, context, `Segmind does not know the model "${context.model ?? ''}" (404 Not Found)${saidSuffix}`,
					'Check the model and the base URL in your Segmind credential.', options)
				: segmindError(node, context, `${jobLabel(context)} was not found (404): it is unknown or has expired`,
					`${RESULT_RETENTION}; after that its id is unknown. Run the item again to create a new job.`, options);
		case 406:
			return segmindError(node, context, 'Not enough Segmind credits to run this job (406)',
				'Top up your Segmind account (Segmind console → Billing) and run the workflow again.', options);
		case 422:
			return failedJobError(node, context, body);
		case 429:
			return segmindError(node, context, `Segmind rate limit reached (429 Too Many Requests)${saidSuffix}`,
				'Your plan allows a limited number of requests per minute (free: 5, pro: 50). Wait a minute, send fewer items at once, or upgrade your Segmind plan.', options);
		default:
			if (statusCode >= 500) {
				return markJobMayExist(submitting, segmindError(node, context, `Segmind server error (${statusCode})${saidSuffix}`,
					submitting
						? 'Segmind failed while the job was being submitted: a job may have been created and may be billed. It was not sent again, to avoid paying twice; check your Segmind request history before running the item again.'
						: `Segmind kept failing. ${context.requestId ? `The job may still finish. ${getResultAdvice(context.requestId)}` : 'Try again later.'}`,
					options));
			}
			return segmindError(node, context, `Segmind answered with HTTP ${statusCode}${saidSuffix}`,
				'This answer was not expected from the Segmind API. Check the base URL in your Segmind credential.', options);
	}
}

/** A job Segmind reports as FAILED (HTTP 422), e.g. a content-policy block. */
export function failedJobError(node: INode, context: CallContext, body: unknown): NodeApiError {
	const said = segmindErrorText(body) ?? 'no reason given';
	return segmindError(node, context, `${jobLabel(context)} failed: ${said}`,
		'Segmind reported the job as FAILED. Content-policy (moderation) blocks show up this way: rephrase the prompt, change the input image, or set Moderation to "low".',
		{ httpCode: 422, body });
}

/** A 2xx answer whose body is not what the protocol promises. */
export function malformedResponseError(node: INode, context: CallContext, what: string): NodeApiError {
	const submitting = context.phase === 'submit';
	return markJobMayExist(submitting, segmindError(node, context, `Segmind sent an unexpected answer${submitting ? ' to the submit' : ''}: ${what}`,
		submitting
			? 'A job may have been created and may be billed. It was not sent again, to avoid paying twice; check your Segmind request history before running the item again.'
			: context.requestId
				? `${getResultAdvice(context.requestId)} Check the base URL in your Segmind credential if this keeps happening.`
				: 'Check the base URL in your Segmind credential, or try again later.'));
}

/**
 * A submit whose outcome is unknown: the request may have reached Segmind, which may have created
 * (and billed) the job. A NodeOperationError with no network code in its message, so that no n8n
 * version replaces it with "You can retry the request immediately".
 */
export function ambiguousSubmitError(node: INode, context: CallContext, reason: string): NodeOperationError {
	const error = new NodeOperationError(node, 'The connection to Segmind broke after the job was sent: a job may have been created and billed', {
		itemIndex: context.itemIndex,
		description: `Segmind may have received this item's job and started it (${reason}). The node did not send it again, so that it is not paid for twice. Check your Segmind request history (Segmind console → Requests) for a job with this item's inputs (model ${context.model ?? 'unknown'}, same prompt) before running the item again.`,
	});
	const details: SegmindErrorDetails = { phase: context.phase, jobMayExist: true };
	if (context.model) details.model = context.model;
	Object.assign(error.context, details);
	return error;
}

/** The connection never opened: Segmind cannot have seen the request. */
export function networkError(node: INode, context: CallContext, reason: string): NodeApiError {
	const where = context.phase === 'download' ? 'the image host' : 'Segmind';
	return segmindError(node, context, `Could not reach ${where} (${reason})`,
		`The request failed after several tries. Check your network and the base URL in your Segmind credential.${context.requestId ? ` ${getResultAdvice(context.requestId)}` : ''}`);
}

/** Segmind redirected an API call elsewhere; following it would carry the API key along. */
export function redirectError(node: INode, context: CallContext, statusCode: number, location: string): NodeApiError {
	return segmindError(node, context, `The Segmind API redirected the request (${statusCode}) to ${location || 'another address'}`,
		'The redirect was not followed so that your API key is sent to no other host. Check the base URL in your Segmind credential.',
		{ httpCode: statusCode });
}

export function deadlineError(node: INode, context: CallContext, timeoutSeconds: number): NodeApiError {
	return segmindError(node, context, `${jobLabel(context)} did not finish within ${timeoutSeconds} seconds`,
		`The job may still finish. ${context.requestId ? getResultAdvice(context.requestId) : RESULT_RETENTION} Raise "Timeout (Seconds)" in the node options for slow jobs.`);
}

export function noImageError(node: INode, context: CallContext): NodeApiError {
	return segmindError(node, context, `${jobLabel(context)} completed but its result holds no image`,
		`Segmind returned a result without an image URL or image data, so there is nothing to output.${context.requestId ? ` Job › Get Result with request id ${context.requestId} shows Segmind's whole result.` : ''} If it keeps happening, the model may have changed its result format.`);
}

export function downloadError(node: INode, context: CallContext, problem: string, httpCode?: number): NodeApiError {
	const job = context.requestId ? ` of Segmind job ${context.requestId}` : '';
	const error = segmindError(node, context, `Could not download the result image${job}: ${problem}`,
		`The job itself completed. ${context.requestId ? getResultAdvice(context.requestId) : 'Running the item again creates (and bills) a new job.'}`,
		httpCode !== undefined ? { httpCode } : {});
	// The bare reason, for outputs that keep a file's URL instead of failing (Any Model › Run).
	error.context.reason = problem;
	return error;
}

/**
 * A call safe to repeat kept failing until the item's deadline. The job (when there is one) exists
 * and may be paid for: the message names it and the last fault, the advice the free way to it.
 */
export function retriesExhaustedError(node: INode, context: CallContext, lastFault: string, tries: number): NodeApiError {
	const last = `last: ${lastFault}; ${tries} ${tries === 1 ? 'try' : 'tries'}`;
	const id = context.requestId;
	switch (context.phase) {
		case 'download':
			return downloadError(node, context, `the image host kept failing until the item's deadline (${last})`);
		case 'upload':
			return segmindError(node, context, `Could not upload the input image(s) to Segmind before the item's deadline (${last})`,
				'Nothing was submitted for this item, so no credit was spent. Try again later, or raise "Timeout (Seconds)".');
		default:
			return segmindError(node, context,
				id
					? `Segmind job ${id}: its ${context.phase === 'result' ? 'result' : 'status'} could not be read before the item's deadline (${last})`
					: `Segmind kept failing until the item's deadline (${last})`,
				id ? `The job may be running or done, and may be paid for. ${getResultAdvice(id)}` : 'Try again later.');
	}
}

/** An input error: names the field and the item, and says nothing was spent. */
export function invalidItemInputError(node: INode, itemIndex: number, message: string): NodeOperationError {
	return new NodeOperationError(node, `${message} [item ${itemIndex}]`, {
		itemIndex,
		description: 'Nothing was sent to Segmind for this item, so no credit was spent.',
	});
}

/** n8n's Stop button fired; n8n discards the run, so the wording matters little. */
export function cancelledError(node: INode): NodeOperationError {
	return new NodeOperationError(node, 'The execution was cancelled');
}

/** Whether a message already ends by naming its item (`… [item 3]`); Segmind's own text may end in "]". */
export function namesItem(message: string): boolean {
	return /\[item \d+\]$/.test(message);
}

/**
 * The error to throw for an item: n8n errors as they are (marked with the item), anything else
 * wrapped, so the n8n UI always shows a message, a description and the item.
 */
export function asItemError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (!namesItem(error.message)) error.message = `${error.message} [item ${itemIndex}]`;
		return error;
	}
	return new NodeOperationError(node, error instanceof Error ? error : String(error), { itemIndex });
}
