import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, IN8nHttpFullResponse } from 'n8n-workflow';

import { abortableSleep, ExecutionCancelledError } from './abortableSleep';
import type { CallContext } from './errors';
import { cancelledError, downloadError, malformedResponseError, networkError, redirectError } from './errors';
import { DEFAULT_RETRY_POLICY, isTransientStatus, parseRetryAfter, retryDelayMs } from './retryPolicy';
import type { RetryPolicy } from './retryPolicy';
import type { RequestThrottle } from './throttle';

/**
 * Every HTTP call to Segmind goes through this module: authenticated API calls and unauthenticated
 * image downloads (the key never goes to the image host). n8n adds the key to every URL given to
 * httpRequestWithAuthentication, so only URLs built here from the credential's base URL (and
 * Segmind's upload host) may be passed to it — never a URL taken from an answer.
 */

export const CREDENTIAL_TYPE = 'segmindApi';
export const DEFAULT_BASE_URL = 'https://api.segmind.com';
const REQUEST_TIMEOUT_MS = 120_000;

export interface ApiResponse {
	statusCode: number;
	headers: IDataObject;
	/** Parsed JSON body, or undefined when the body was empty. */
	body: unknown;
}

export interface ApiCall {
	method: IHttpRequestMethods;
	/** Path under the base URL, starting with `/`. */
	path: string;
	/** An absolute URL instead of base URL + path, for Segmind hosts other than the API's (upload-asset). */
	url?: string;
	body?: IDataObject;
	context: CallContext;
	retryPolicy?: RetryPolicy;
	/** The execution's shared throttle: every job slows down together on a 429. */
	throttle?: RequestThrottle;
	/**
	 * Until when a 429 may be waited out. A 429 means Segmind did nothing, so it is retried until
	 * then, however often; without a deadline it counts as a failed attempt like a 5xx.
	 */
	deadlineMs?: number;
	/** `binary`: a 2xx image answer is returned as a Buffer (Segmind's v1 sync API). */
	responseType?: 'json' | 'binary';
}

/** Connection errors that happen before a request leaves: Segmind cannot have seen it. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * Whether a failed request certainly never reached Segmind. n8n wraps the HTTP error in a
 * NodeApiError that may drop its cause and rewrite its message ("The service refused the
 * connection"), keeping the original text in `messages`: look at the code, then at the texts.
 */
function wasNeverSent(error: unknown): boolean {
	if (NOT_SENT_CODES.has(errorCode(error) ?? '')) return true;
	const { message, messages, description } = (error ?? {}) as { message?: unknown; messages?: unknown; description?: unknown };
	const texts = [message, description, ...(Array.isArray(messages) ? messages : [])].filter(
		(text): text is string => typeof text === 'string',
	);
	return texts.some(
		(text) =>
			[...NOT_SENT_CODES].some((code) => text.includes(code)) || text.includes('The service refused the connection'),
	);
}

/** The base URL from the credential, without a trailing slash. */
export async function segmindBaseUrl(this: IExecuteFunctions): Promise<string> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const configured = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	return (configured || DEFAULT_BASE_URL).replace(/\/+$/, '');
}

/** The first error code found along an error's cause chain (axios errors are wrapped by n8n). */
function errorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const { code, name } = current as { code?: unknown; name?: unknown };
		if (typeof code === 'string' && code !== '') return code;
		if (name === 'CanceledError' || name === 'AbortError') return 'ERR_CANCELED';
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function isCancellation(error: unknown, signal: AbortSignal | undefined): boolean {
	return error instanceof ExecutionCancelledError || signal?.aborted === true || errorCode(error) === 'ERR_CANCELED';
}

function describeNetworkError(error: unknown): string {
	const code = errorCode(error);
	const message = error instanceof Error ? error.message : String(error);
	return code && !message.includes(code) ? `${code}: ${message}` : message;
}

function parseJsonBody(raw: unknown): { ok: true; body: unknown } | { ok: false } {
	if (raw === undefined || raw === null || raw === '') return { ok: true, body: undefined };
	if (typeof raw !== 'string') return { ok: true, body: raw };
	try {
		return { ok: true, body: JSON.parse(raw) };
	} catch {
		return { ok: false };
	}
}

/**
 * One Segmind API call with the retry policy. A submit is repeated only when Segmind certainly
 * did not create a job (429, or a connection that never opened); status and result reads are
 * repeated on every transient failure. HTTP error statuses are returned, not thrown, so the
 * caller can explain them for its phase.
 */
export async function segmindApiRequest(this: IExecuteFunctions, call: ApiCall): Promise<ApiResponse> {
	const policy = call.retryPolicy ?? DEFAULT_RETRY_POLICY;
	// Only a submit can bill: every other call, uploads included (not billed), may be repeated.
	const idempotent = call.context.phase !== 'submit';
	const signal = this.getExecutionCancelSignal();
	const url = call.url ?? `${await segmindBaseUrl.call(this)}${call.path}`;
	for (let attempt = 1; ; attempt++) {
		if (signal?.aborted) throw new ExecutionCancelledError();
		await call.throttle?.acquire(signal);
		const canRetry = attempt < policy.maxAttempts;
		let response: IN8nHttpFullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, {
				method: call.method,
				url,
				...(call.body ? { body: call.body } : {}),
				headers: { accept: call.responseType === 'binary' ? 'image/*, application/json' : 'application/json' },
				json: call.body !== undefined,
				encoding: call.responseType === 'binary' ? 'arraybuffer' : 'text',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				// A redirect would carry the x-api-key header to wherever it points.
				disableFollowRedirect: true,
				// A v1 sync call holds the connection for the whole (paid) job: give it the item's time.
				timeout:
					call.responseType === 'binary' && call.deadlineMs !== undefined
						? Math.max(REQUEST_TIMEOUT_MS, call.deadlineMs - Date.now())
						: REQUEST_TIMEOUT_MS,
				...(signal ? { abortSignal: signal } : {}),
			})) as IN8nHttpFullResponse;
		} catch (error) {
			if (isCancellation(error, signal)) throw cancelledError(this.getNode());
			const notSent = wasNeverSent(error);
			if (canRetry && (idempotent || notSent)) {
				await abortableSleep(retryDelayMs(attempt, policy), signal);
				continue;
			}
			throw networkError(this.getNode(), call.context, describeNetworkError(error), !notSent);
		}

		const { statusCode } = response;
		const headers = (response.headers ?? {}) as IDataObject;
		if (statusCode >= 300 && statusCode < 400) {
			throw redirectError(this.getNode(), call.context, statusCode, String(headers.location ?? ''));
		}
		// A 429 means the request was turned away, so even a submit may be repeated.
		if (statusCode === 429) {
			const retryAfter = parseRetryAfter(headers['retry-after'], Date.now());
			call.throttle?.rateLimited(retryAfter);
			const delay = retryDelayMs(attempt, policy, retryAfter);
			// With the shared throttle pacing retries, waiting out a rate limit is not a failed
			// attempt while the deadline allows it.
			const waitOut = call.throttle !== undefined && call.deadlineMs !== undefined && Date.now() + delay < call.deadlineMs;
			// Past its deadline a submit gives up (the user asked for no longer); a status or result
			// read still gets its usual attempts: the job may be paid for already.
			if (waitOut || (canRetry && (call.deadlineMs === undefined || idempotent))) {
				if (waitOut) attempt--;
				await abortableSleep(call.throttle ? 0 : delay, signal);
				continue;
			}
		} else if (canRetry && isTransientStatus(statusCode) && idempotent) {
			const retryAfter = parseRetryAfter(headers['retry-after'], Date.now());
			await abortableSleep(retryDelayMs(attempt, policy, retryAfter), signal);
			continue;
		}
		if (statusCode < 400) call.throttle?.succeeded();
		if (call.responseType === 'binary') {
			const bytes = Buffer.from(response.body as ArrayBuffer);
			const contentType = String(headers['content-type'] ?? '');
			if (statusCode >= 200 && statusCode < 300 && !contentType.includes('json')) {
				return { statusCode, headers, body: bytes };
			}
			response.body = bytes.toString('utf8');
		}
		const parsed = parseJsonBody(response.body);
		if (!parsed.ok) {
			if (statusCode >= 200 && statusCode < 300 && canRetry && idempotent) {
				await abortableSleep(retryDelayMs(attempt, policy), signal);
				continue;
			}
			if (statusCode >= 200 && statusCode < 300) {
				throw malformedResponseError(this.getNode(), call.context, 'the body is not valid JSON');
			}
			return { statusCode, headers, body: String(response.body).slice(0, 500) };
		}
		return { statusCode, headers, body: parsed.body };
	}
}

/**
 * A streamed response body: a Node.js Readable. Typed through n8n-workflow, because node code may
 * not import from 'stream' (not even types).
 */
export type ResponseStream = Exclude<Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0], Buffer>;

/** Bytes read ahead of storing a download: enough to recognise an image and read its size. */
const HEAD_BYTES = 64 * 1024;

export interface DownloadBody {
	/** The first bytes of the file (all of it when the file is shorter than 64 KiB). */
	head: Buffer;
	/**
	 * The whole file, to be consumed once: the head when that is all of it, else the response
	 * stream with the head put back in front.
	 */
	data: Buffer | ResponseStream;
	contentType?: string;
}

/** What a download's receiver made of the bytes: its value, or why the file is unusable. */
export type Received<T> = { value: T } | { problem: string };

type StreamEvent = 'readable' | 'end';

/** Waits for more data or the end; rejects on an error or a connection closed too early. */
async function nextStreamEvent(body: ResponseStream): Promise<StreamEvent> {
	return await new Promise<StreamEvent>((resolve, reject) => {
		const settle = (outcome: StreamEvent | Error) => {
			body.off('readable', onReadable);
			body.off('end', onEnd);
			body.off('error', onError);
			body.off('close', onClose);
			if (outcome instanceof Error) reject(outcome);
			else resolve(outcome);
		};
		const onReadable = () => settle('readable');
		const onEnd = () => settle('end');
		const onError = (error: Error) => settle(error);
		const onClose = () =>
			settle(body.readableEnded ? 'end' : new Error('the connection closed before the image was complete'));
		body.once('readable', onReadable);
		body.once('end', onEnd);
		body.once('error', onError);
		body.once('close', onClose);
	});
}

/**
 * Reads the first HEAD_BYTES of a stream (paused mode) and puts them back, so the stream can then
 * be stored whole. When the stream ends first, the bytes read are the whole file.
 */
async function readHead(body: ResponseStream): Promise<{ head: Buffer; complete: boolean }> {
	const chunks: Buffer[] = [];
	let length = 0;
	while (length < HEAD_BYTES) {
		const chunk: unknown = body.read();
		if (chunk !== null && chunk !== undefined) {
			const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
			chunks.push(bytes);
			length += bytes.length;
			continue;
		}
		if (body.readableEnded || (await nextStreamEvent(body)) === 'end') {
			return { head: Buffer.concat(chunks), complete: true };
		}
	}
	const head = Buffer.concat(chunks);
	body.unshift(head);
	return { head, complete: false };
}

function destroyBody(body: unknown): void {
	const stream = body as Partial<ResponseStream> | undefined;
	if (stream && typeof stream.destroy === 'function') stream.destroy();
}

type DownloadAttempt<T> =
	| { kind: 'received'; received: Received<T> }
	| { kind: 'status'; statusCode: number; retryAfterMs?: number };

/** One GET of the file; network and stream failures throw, HTTP statuses are returned. */
async function attemptDownload<T>(
	this: IExecuteFunctions,
	url: string,
	signal: AbortSignal | undefined,
	receive: (body: DownloadBody) => Promise<Received<T>>,
): Promise<DownloadAttempt<T>> {
	const response = (await this.helpers.httpRequest({
		method: 'GET',
		url,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: REQUEST_TIMEOUT_MS,
		...(signal ? { abortSignal: signal } : {}),
	})) as IN8nHttpFullResponse;
	const { statusCode } = response;
	const headers = (response.headers ?? {}) as IDataObject;
	if (statusCode < 200 || statusCode >= 300) {
		destroyBody(response.body);
		return { kind: 'status', statusCode, retryAfterMs: parseRetryAfter(headers['retry-after'], Date.now()) };
	}
	const contentType = typeof headers['content-type'] === 'string' ? headers['content-type'] : undefined;
	let head: Buffer;
	let data: Buffer | ResponseStream;
	if (Buffer.isBuffer(response.body)) {
		head = response.body;
		data = response.body;
	} else {
		const body = response.body as ResponseStream;
		// Errors reach whoever consumes the stream; this keeps one that comes between consumers
		// from going unhandled.
		body.on('error', () => undefined);
		const read = await readHead(body);
		head = read.head;
		data = read.complete ? read.head : body;
	}
	try {
		return { kind: 'received', received: await receive({ head, data, contentType }) };
	} finally {
		// Stored, refused or broken: either way this response is done with.
		destroyBody(data);
	}
}

/**
 * Downloads a result image with n8n's plain HTTP helper: no credential is attached, so the API
 * key cannot reach the image host. The body is streamed: its first bytes are read ahead (for the
 * receiver to recognise the file), then the receiver stores the stream, e.g. with
 * `prepareBinaryData`, so n8n writes it to its binary storage without holding it whole (in
 * filesystem/S3 mode). Failed requests, transient statuses and broken transfers are retried (a
 * retry downloads the file again; it never re-submits the job). A problem the receiver reports
 * (e.g. "not an image") is not retried.
 */
export async function downloadFile<T>(
	this: IExecuteFunctions,
	url: string,
	context: CallContext,
	receive: (body: DownloadBody) => Promise<Received<T>>,
	retryPolicy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
	const signal = this.getExecutionCancelSignal();
	for (let attempt = 1; ; attempt++) {
		if (signal?.aborted) throw new ExecutionCancelledError();
		const canRetry = attempt < retryPolicy.maxAttempts;
		let outcome: DownloadAttempt<T>;
		try {
			outcome = await (attemptDownload<T>).call(this, url, signal, receive);
		} catch (error) {
			if (isCancellation(error, signal)) throw cancelledError(this.getNode());
			if (canRetry) {
				await abortableSleep(retryDelayMs(attempt, retryPolicy), signal);
				continue;
			}
			throw downloadError(this.getNode(), context, describeNetworkError(error));
		}
		if (outcome.kind === 'received') {
			if ('value' in outcome.received) return outcome.received.value;
			throw downloadError(this.getNode(), context, outcome.received.problem);
		}
		const { statusCode, retryAfterMs } = outcome;
		if (canRetry && isTransientStatus(statusCode)) {
			await abortableSleep(retryDelayMs(attempt, retryPolicy, retryAfterMs), signal);
			continue;
		}
		throw downloadError(this.getNode(), context, `the image host answered HTTP ${statusCode}`, statusCode);
	}
}
