import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, IN8nHttpFullResponse } from 'n8n-workflow';

import { abortableSleep, ExecutionCancelledError } from './abortableSleep';
import type { CallContext } from './errors';
import { cancelledError, downloadError, malformedResponseError, networkError, redirectError } from './errors';
import { DEFAULT_RETRY_POLICY, isTransientStatus, parseRetryAfter, retryDelayMs } from './retryPolicy';
import type { RetryPolicy } from './retryPolicy';
import type { RequestThrottle } from './throttle';

/**
 * Every HTTP call to Segmind goes through this module: authenticated API calls (the key is added
 * by n8n from the credential, only for URLs under the credential's base URL) and unauthenticated
 * image downloads (the key never goes to the image host).
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
}

/** Connection errors that happen before a request leaves: Segmind cannot have seen it. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

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
	const idempotent = call.context.phase !== 'submit' && call.context.phase !== 'upload';
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
				headers: { accept: 'application/json' },
				json: call.body !== undefined,
				encoding: 'text',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				// A redirect would carry the x-api-key header to wherever it points.
				disableFollowRedirect: true,
				timeout: REQUEST_TIMEOUT_MS,
			})) as IN8nHttpFullResponse;
		} catch (error) {
			if (isCancellation(error, signal)) throw cancelledError(this.getNode());
			const notSent = NOT_SENT_CODES.has(errorCode(error) ?? '');
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
			// attempt while the deadline allows it; past the deadline there is no point in waiting.
			const waitOut = call.throttle !== undefined && call.deadlineMs !== undefined && Date.now() + delay < call.deadlineMs;
			if (waitOut || (canRetry && call.deadlineMs === undefined)) {
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

export interface DownloadedFile {
	data: Buffer;
	contentType?: string;
}

/**
 * Downloads a result image with n8n's plain HTTP helper: no credential is attached, so the API
 * key cannot reach the image host. Retried on transient failures; never re-submits the job.
 */
export async function downloadFile(
	this: IExecuteFunctions,
	url: string,
	context: CallContext,
	retryPolicy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<DownloadedFile> {
	const signal = this.getExecutionCancelSignal();
	for (let attempt = 1; ; attempt++) {
		if (signal?.aborted) throw new ExecutionCancelledError();
		const canRetry = attempt < retryPolicy.maxAttempts;
		let response: IN8nHttpFullResponse;
		try {
			response = (await this.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'arraybuffer',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: REQUEST_TIMEOUT_MS,
				...(signal ? { abortSignal: signal } : {}),
			})) as IN8nHttpFullResponse;
		} catch (error) {
			if (isCancellation(error, signal)) throw cancelledError(this.getNode());
			if (canRetry) {
				await abortableSleep(retryDelayMs(attempt, retryPolicy), signal);
				continue;
			}
			throw downloadError(this.getNode(), context, describeNetworkError(error));
		}
		const { statusCode } = response;
		const headers = (response.headers ?? {}) as IDataObject;
		if (statusCode >= 200 && statusCode < 300) {
			const contentType = typeof headers['content-type'] === 'string' ? headers['content-type'] : undefined;
			return { data: Buffer.from(response.body as ArrayBuffer), contentType };
		}
		if (canRetry && isTransientStatus(statusCode)) {
			const retryAfter = parseRetryAfter(headers['retry-after'], Date.now());
			await abortableSleep(retryDelayMs(attempt, retryPolicy, retryAfter), signal);
			continue;
		}
		throw downloadError(this.getNode(), context, `the image host answered HTTP ${statusCode}`, statusCode);
	}
}
