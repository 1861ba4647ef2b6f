import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** Which Segmind call failed: the same HTTP status means different things for each. */
export type CallPhase = 'submit' | 'status' | 'result' | 'download' | 'credits' | 'upload';

export interface CallContext {
	phase: CallPhase;
	itemIndex: number;
	model?: string;
	requestId?: string;
}

/** What an error item carries besides the message, so a workflow can act on it. */
export interface SegmindErrorDetails extends IDataObject {
	requestId?: string;
	model?: string;
	httpCode?: string;
	phase?: CallPhase;
}

const RESULT_RETENTION = 'Segmind keeps job status and results for 1 hour';

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
	const details: SegmindErrorDetails = { phase: context.phase };
	if (context.requestId) details.requestId = context.requestId;
	if (context.model) details.model = context.model;
	if (options.httpCode !== undefined) details.httpCode = String(options.httpCode);
	Object.assign(error.context, details);
	return error;
}

/** A non-2xx answer from Segmind's API, explained for the phase it came from. */
export function httpStatusError(node: INode, context: CallContext, statusCode: number, body: unknown): NodeApiError {
	const said = segmindErrorText(body);
	const saidSuffix = said ? `: ${said}` : '';
	const options = { httpCode: statusCode, body };
	const submitting = context.phase === 'submit';
	switch (statusCode) {
		case 400:
			return segmindError(node, context, `Segmind rejected the request as invalid${saidSuffix}`,
				submitting
					? 'Check the node parameters against the model page. No job was created.'
					: `Segmind refused to report on the job.${context.requestId ? ` ${RESULT_RETENTION}: Job › Get Result can try again with its request id.` : ''}`,
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
				return segmindError(node, context, `Segmind server error (${statusCode})${saidSuffix}`,
					submitting
						? 'Segmind failed while the job was being submitted: a job may have been created and may be billed. It was not sent again, to avoid paying twice; check your Segmind request history before running the item again.'
						: `Segmind kept failing after several tries. ${context.requestId ? `The job may still finish: ${RESULT_RETENTION}. ` : ''}Try again later.`,
					options);
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
	return segmindError(node, context, `Segmind sent an unexpected answer${submitting ? ' to the submit' : ''}: ${what}`,
		submitting
			? 'A job may have been created and may be billed. It was not sent again, to avoid paying twice; check your Segmind request history before running the item again.'
			: 'The answer could not be read even after several tries. Check the base URL in your Segmind credential, or try again later.');
}

/** The connection failed; `maySent` says whether Segmind may have received the request. */
export function networkError(node: INode, context: CallContext, reason: string, maybeSent: boolean): NodeApiError {
	if (context.phase === 'submit' && maybeSent) {
		return segmindError(node, context, `The connection to Segmind broke while submitting (${reason}): a job may have been created and may be billed`,
			'The node did not send it again, to avoid paying twice. Check your Segmind request history before running this item again.');
	}
	// Downloads report their own failures (downloadError): every caller here talks to Segmind.
	return segmindError(node, context, `Could not reach Segmind (${reason})`,
		`The request failed after several tries. Check your network and the base URL in your Segmind credential.${context.requestId ? ` The job may still finish: ${RESULT_RETENTION}.` : ''}`);
}

/** Segmind redirected an API call elsewhere; following it would carry the API key along. */
export function redirectError(node: INode, context: CallContext, statusCode: number, location: string): NodeApiError {
	return segmindError(node, context, `The Segmind API redirected the request (${statusCode}) to ${location || 'another address'}`,
		'The redirect was not followed so that your API key is sent to no other host. Check the base URL in your Segmind credential.',
		{ httpCode: statusCode });
}

export function deadlineError(node: INode, context: CallContext, timeoutSeconds: number): NodeApiError {
	return segmindError(node, context, `${jobLabel(context)} did not finish within ${timeoutSeconds} seconds`,
		`The job may still finish: ${RESULT_RETENTION}, so it can be fetched by its request id (${context.requestId ?? 'unknown'}). Raise "Timeout (Seconds)" in the node options for slow jobs.`);
}

export function noImageError(node: INode, context: CallContext): NodeApiError {
	return segmindError(node, context, `${jobLabel(context)} completed but its result holds no image`,
		'Segmind returned a result without an image URL or image data, so there is nothing to output. Try the item again; if it keeps happening, the model may have changed its result format.');
}

export function downloadError(node: INode, context: CallContext, problem: string, httpCode?: number): NodeApiError {
	const job = context.requestId ? ` of Segmind job ${context.requestId}` : '';
	const error = segmindError(node, context, `Could not download the result image${job}: ${problem}`,
		`The job itself completed. ${RESULT_RETENTION}; running the item again creates (and bills) a new job.`,
		httpCode !== undefined ? { httpCode } : {});
	// The bare reason, for outputs that keep a file's URL instead of failing (Any Model › Run).
	error.context.reason = problem;
	return error;
}

/** n8n's Stop button fired; n8n discards the run, so the wording matters little. */
export function cancelledError(node: INode): NodeOperationError {
	return new NodeOperationError(node, 'The execution was cancelled');
}

/**
 * The error to throw for an item: n8n errors as they are (marked with the item), anything else
 * wrapped, so the n8n UI always shows a message, a description and the item.
 */
export function asItemError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (!error.message.endsWith(']')) error.message = `${error.message} [item ${itemIndex}]`;
		return error;
	}
	return new NodeOperationError(node, error instanceof Error ? error : String(error), { itemIndex });
}
