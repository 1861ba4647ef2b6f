import type { IDataObject } from 'n8n-workflow';

/**
 * What the node answers an AI agent when it runs as the agent's tool. The agent's model reads the
 * item JSON as text (n8n turns it into the tool message), so the answer is short and says only
 * what the model can act on: where the image is, which job made it, or why it failed. It never
 * holds image bytes, the request body, file details or anything from the credential.
 *
 * Pure functions: the runner hands them what it knows, they build the JSON.
 */

/** The longest answer, as JSON text, a model gets from one call (the agreed bound). */
export const MAX_TOOL_ANSWER_CHARS = 2000;

/** The longest error text kept (Segmind's own reason is at most ~500 characters). */
const MAX_ERROR_CHARS = 700;

/** The longest request id or model slug kept (real ones are far shorter). */
const MAX_ID_CHARS = 200;

/** The longest advice text kept after the error. */
const MAX_ADVICE_CHARS = 500;

export interface CompletedToolJob {
	/** Null for a Single Synchronous Call, which has no Segmind request id. */
	requestId: string | null;
	model: string;
	/** Hosted URLs of the result images, in result order. */
	imageUrls: string[];
	/** Images that came inline (base64) rather than as a URL: counted, never included. */
	inlineImages: number;
	inferenceTime: number | null;
	elapsedSeconds: number;
}

export interface FailedToolJob {
	/** The node's error message (it names the request id once Segmind accepted the job). */
	message: string;
	/** The node's advice, when it has some. */
	description?: string;
	requestId?: string;
	model?: string;
	httpCode?: string;
}

function clip(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function size(json: IDataObject): number {
	return JSON.stringify(json).length;
}

/** Said when images came inline: the model cannot use them, the workflow's builder can. */
const NOTE_INLINE =
	'Some images came back as data, not as a URL; set the node\'s Output to "Binary Image" to keep them as files.';

/**
 * A completed job: its status, request id, model and image URL(s). URLs that would push the
 * answer past MAX_TOOL_ANSWER_CHARS are left out; `imagesNotListed` counts them and any inline
 * images.
 */
export function completedJobAnswer(job: CompletedToolJob): IDataObject {
	const answer: IDataObject = {
		status: 'COMPLETED',
		requestId: job.requestId === null ? null : clip(job.requestId, MAX_ID_CHARS),
		model: clip(job.model, MAX_ID_CHARS),
		imageUrls: [] as string[],
		inferenceTime: job.inferenceTime,
		elapsedSeconds: job.elapsedSeconds,
	};
	const listed: string[] = [];
	// room for the note about the images that do not fit, should there be any
	const budget = MAX_TOOL_ANSWER_CHARS - size({ ...answer, imagesNotListed: 9999, note: NOTE_INLINE });
	for (const url of job.imageUrls) {
		if (size({ imageUrls: [...listed, url] }) - size({ imageUrls: [] }) > budget) break;
		listed.push(url);
	}
	answer.imageUrls = listed;
	const notListed = job.imageUrls.length - listed.length + job.inlineImages;
	if (notListed > 0) answer.imagesNotListed = notListed;
	if (job.inlineImages > 0) answer.note = NOTE_INLINE;
	return answer;
}

/**
 * A job (or a check before it) that failed: readable text with Segmind's reason and the request
 * id, so the agent can tell the user what happened and, with the id, where to look. Always under
 * MAX_TOOL_ANSWER_CHARS.
 */
export function failedJobAnswer(failure: FailedToolJob): IDataObject {
	// "[item 0]" points a workflow builder at an input item; a model has no use for it
	const message = failure.message.replace(/\s*\[item \d+\]$/, '');
	const answer: IDataObject = { status: 'FAILED', error: clip(message, MAX_ERROR_CHARS) };
	if (failure.requestId) answer.requestId = clip(failure.requestId, MAX_ID_CHARS);
	if (failure.model) answer.model = clip(failure.model, MAX_ID_CHARS);
	if (failure.httpCode) answer.httpCode = failure.httpCode;
	if (failure.description) answer.advice = clip(failure.description, MAX_ADVICE_CHARS);
	return answer;
}

/** What an error (as the runner throws it, or as an error item's JSON holds it) says about the job. */
export function failureOf(error: {
	message?: unknown;
	description?: unknown;
	context?: { requestId?: unknown; model?: unknown; httpCode?: unknown };
}): FailedToolJob {
	const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
	const context = error.context ?? {};
	const failure: FailedToolJob = { message: text(error.message) ?? 'The Segmind tool failed' };
	const description = text(error.description);
	const requestId = text(context.requestId);
	const model = text(context.model);
	const httpCode = text(context.httpCode);
	if (description) failure.description = description;
	if (requestId) failure.requestId = requestId;
	if (model) failure.model = model;
	if (httpCode) failure.httpCode = httpCode;
	return failure;
}
