import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, IN8nHttpFullResponse } from 'n8n-workflow';

import type { CallContext } from '../shared/errors';
import { redirectError } from '../shared/errors';
import { isTransientStatus, parseRetryAfter } from './retryPolicy';
import type { Attempt } from './retrying';
import { REQUEST_TIMEOUT_MS, sendOrFault, withRetries } from './retrying';
import type { RequestThrottle } from './throttle';

export type { DownloadBody, Received, ResponseStream } from './download';
export { downloadFile } from './download';

/**
 * Authenticated calls to Segmind's API, each with the retry rule (transport/retryPolicy.ts).
 * n8n adds the key to every URL given to httpRequestWithAuthentication, so only URLs built here
 * from the credential's base URL (and Segmind's upload host) may be passed to it — never a URL
 * taken from an answer. Result files are downloaded without the key (transport/download.ts).
 */

export const CREDENTIAL_TYPE = 'segmindApi';
export const DEFAULT_BASE_URL = 'https://api.segmind.com';

export interface ApiResponse {
	statusCode: number;
	headers: IDataObject;
	/** Parsed JSON body (a Buffer for a binary answer), or undefined when the body was empty. */
	body: unknown;
}

export interface ApiCall {
	method: IHttpRequestMethods;
	/** Path under the base URL, starting with `/`. */
	path: string;
	/** An absolute URL instead of base URL + path, for Segmind hosts other than the API's (upload-asset). */
	url?: string;
	body?: IDataObject;
	/** A JSON body already serialised (upload-asset), sent as it is: no copy of large data as text. */
	jsonBytes?: Buffer;
	context: CallContext;
	/** Whether sending it again cannot create (or bill) a job twice. Submits are not; reads and uploads are. */
	repeatable: boolean;
	/** The execution's shared throttle: every job slows down together on a 429. */
	throttle: RequestThrottle;
	/** Retries end here. */
	deadlineMs: number;
	/** `binary`: a 2xx image answer is returned as a Buffer (Segmind's v1 sync API). */
	responseType?: 'json' | 'binary';
}

/** The base URL from the credential, without a trailing slash. */
export async function segmindBaseUrl(this: IExecuteFunctions): Promise<string> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const configured = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	return (configured || DEFAULT_BASE_URL).replace(/\/+$/, '');
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

/** One attempt of an API call: an answer, or the fault that kept it from being one. */
async function attemptApiCall(
	this: IExecuteFunctions,
	call: ApiCall,
	url: string,
	signal: AbortSignal | undefined,
): Promise<Attempt<ApiResponse>> {
	const sent = await sendOrFault(this.getNode(), signal, async () =>
		(await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, {
			method: call.method,
			url,
			...(call.body ? { body: call.body } : {}),
			...(call.jsonBytes ? { body: call.jsonBytes } : {}),
			headers: {
				accept: call.responseType === 'binary' ? 'image/*, application/json' : 'application/json',
				...(call.jsonBytes ? { 'content-type': 'application/json' } : {}),
			},
			json: call.body !== undefined,
			encoding: call.responseType === 'binary' ? 'arraybuffer' : 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// A redirect would carry the x-api-key header to wherever it points.
			disableFollowRedirect: true,
			// A v1 sync call holds the connection for the whole (paid) job: give it the item's time.
			timeout:
				call.responseType === 'binary'
					? Math.max(REQUEST_TIMEOUT_MS, call.deadlineMs - Date.now())
					: REQUEST_TIMEOUT_MS,
			...(signal ? { abortSignal: signal } : {}),
		})) as IN8nHttpFullResponse,
	);
	if ('fault' in sent) return sent;
	const { response } = sent;
	const { statusCode } = response;
	const headers = (response.headers ?? {}) as IDataObject;
	if (statusCode >= 300 && statusCode < 400) {
		throw redirectError(this.getNode(), call.context, statusCode, String(headers.location ?? ''));
	}
	let raw: unknown = response.body;
	if (call.responseType === 'binary') {
		const bytes = Buffer.from(response.body as ArrayBuffer);
		const contentType = String(headers['content-type'] ?? '');
		if (statusCode >= 200 && statusCode < 300 && !contentType.includes('json')) {
			return { value: { statusCode, headers, body: bytes } };
		}
		raw = bytes.toString('utf8');
	}
	const parsed = parseJsonBody(raw);
	const body = parsed.ok ? parsed.body : String(raw).slice(0, 500);
	const retryAfterMs = parseRetryAfter(headers['retry-after'], Date.now());
	if (statusCode === 429) return { fault: { kind: 'rate-limited', retryAfterMs }, body };
	if (isTransientStatus(statusCode)) return { fault: { kind: 'server-error', statusCode, retryAfterMs }, body };
	if (!parsed.ok && statusCode >= 200 && statusCode < 300) {
		return { fault: { kind: 'unreadable', reason: 'the body is not valid JSON' } };
	}
	return { value: { statusCode, headers, body } };
}

/**
 * One Segmind API call, retried as the retry rule says for its kind (`repeatable`) until its
 * deadline. Non-transient HTTP statuses are returned, not thrown, so the caller (the Segmind
 * client) can explain them for its phase.
 */
export async function segmindApiRequest(this: IExecuteFunctions, call: ApiCall): Promise<ApiResponse> {
	const url = call.url ?? `${await segmindBaseUrl.call(this)}${call.path}`;
	return await (withRetries<ApiResponse>).call(this, call, async (signal) => await attemptApiCall.call(this, call, url, signal));
}
