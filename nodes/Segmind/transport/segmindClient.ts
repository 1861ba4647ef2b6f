import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CallContext } from '../shared/errors';
import {
	failedJobError,
	httpStatusError,
	malformedResponseError,
	segmindError,
	segmindErrorText,
} from '../shared/errors';
import { isRequestId } from '../shared/jobSpec';
import type { ApiResponse } from './segmindApi';
import { DEFAULT_BASE_URL, segmindApiRequest, segmindBaseUrl } from './segmindApi';
import { RequestThrottle } from './throttle';

/**
 * The runner's only door to HTTP: Segmind's calls (submit, sync submit, status, result, upload)
 * and result downloads, each with its retry rule and its answer read once. One client per
 * execution, so its 429 throttle is shared by every job of the execution and by nothing else.
 */

/** Segmind's `upload-asset` endpoint lives on its own host, not under the API's base URL. */
export const SEGMIND_UPLOAD_URL = 'https://workflows-api.segmind.com/upload-asset';

/**
 * Where uploads go: Segmind's upload host when the credential uses Segmind's own API
 * (`https://api.segmind.com`), otherwise `<base URL>/upload-asset`, so a proxy (or the emulator)
 * configured as the base URL receives the uploads, and the API key, too.
 */
export function uploadAssetUrl(baseUrl: string): string {
	const base = baseUrl.trim().replace(/\/+$/, '');
	return base.toLowerCase() === DEFAULT_BASE_URL ? SEGMIND_UPLOAD_URL : `${base}/upload-asset`;
}

export type JobStatus = 'QUEUED' | 'PROCESSING' | 'COMPLETED';

export interface StatusAnswer {
	status: JobStatus;
	metrics: IDataObject;
}

export interface SyncAnswer {
	/** The image (base64 in `output`), or the JSON some models answer with. */
	result: IDataObject;
	metrics: IDataObject;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHttpUrl(value: unknown): value is string {
	if (typeof value !== 'string') return false;
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}

function requestPath(requestId: string, suffix = ''): string {
	return `/v2/requests/${encodeURIComponent(requestId)}${suffix}`;
}

const NOTHING_SPENT = 'Nothing was submitted for this item, so no credit was spent.';

export class SegmindClient {
	constructor(
		private readonly functions: IExecuteFunctions,
		readonly throttle: RequestThrottle = new RequestThrottle(),
	) {}

	/**
	 * The one reading of a job answer: 422 or FAILED is a failed job, any other non-2xx an HTTP
	 * error for the call's phase; what remains is the answer's JSON object (if it is one).
	 */
	private jobAnswer(context: CallContext, response: ApiResponse): IDataObject | undefined {
		const node = this.functions.getNode();
		const body = isObject(response.body) ? response.body : undefined;
		if (response.statusCode === 422 || body?.status === 'FAILED') throw failedJobError(node, context, response.body);
		if (response.statusCode < 200 || response.statusCode >= 300) {
			throw httpStatusError(node, context, response.statusCode, response.body);
		}
		return body;
	}

	/** Sends a job once: repeated only when Segmind certainly did not create it (429, never sent). */
	async submit(context: CallContext, body: IDataObject, deadlineMs: number): Promise<{ requestId: string; response: IDataObject }> {
		const response = await segmindApiRequest.call(this.functions, {
			method: 'POST',
			path: `/v2/${encodeURIComponent(context.model ?? '')}`,
			body,
			context,
			repeatable: false,
			throttle: this.throttle,
			deadlineMs,
		});
		const answer = this.jobAnswer(context, response) ?? {};
		const requestId = answer.request_id;
		if (typeof requestId !== 'string' || requestId === '') {
			throw malformedResponseError(this.functions.getNode(), context, 'it carries no request_id');
		}
		// The id goes into every later URL (and the job memory): one that is no id cannot be polled.
		if (!isRequestId(requestId)) {
			throw malformedResponseError(this.functions.getNode(), context, `its request_id ${JSON.stringify(requestId.slice(0, 100))} is not a request id`);
		}
		return { requestId, response: answer };
	}

	/**
	 * Segmind's v1 sync API: one POST that answers with the image bytes once the job is done. Like an
	 * async submit, it is never re-sent when Segmind may have started it.
	 */
	async submitSync(context: CallContext, body: IDataObject, deadlineMs: number): Promise<SyncAnswer> {
		const response = await segmindApiRequest.call(this.functions, {
			method: 'POST',
			path: `/v1/${encodeURIComponent(context.model ?? '')}`,
			body,
			context,
			repeatable: false,
			throttle: this.throttle,
			deadlineMs,
			responseType: 'binary',
		});
		if (Buffer.isBuffer(response.body) && response.statusCode >= 200 && response.statusCode < 300) {
			return { result: { output: response.body.toString('base64') }, metrics: syncMetrics(response.headers) };
		}
		const answer = this.jobAnswer(context, response);
		if (!answer) throw malformedResponseError(this.functions.getNode(), context, 'the answer is neither an image nor JSON');
		return { result: answer, metrics: syncMetrics(response.headers) };
	}

	/** A job's status; FAILED throws. Retried on every fault until `deadlineMs`. */
	async status(context: CallContext, deadlineMs: number): Promise<StatusAnswer> {
		const response = await segmindApiRequest.call(this.functions, {
			method: 'GET',
			path: requestPath(context.requestId ?? '', '/status'),
			context,
			repeatable: true,
			throttle: this.throttle,
			deadlineMs,
		});
		const answer = this.jobAnswer(context, response) ?? {};
		const { status } = answer;
		if (status !== 'QUEUED' && status !== 'PROCESSING' && status !== 'COMPLETED') {
			throw malformedResponseError(this.functions.getNode(), context, `unknown job status "${String(status)}"`);
		}
		return { status, metrics: isObject(answer.metrics) ? answer.metrics : {} };
	}

	/** A finished job's result body. Retried on every fault until `deadlineMs`. */
	async result(context: CallContext, deadlineMs: number): Promise<IDataObject> {
		const response = await segmindApiRequest.call(this.functions, {
			method: 'GET',
			path: requestPath(context.requestId ?? ''),
			context,
			repeatable: true,
			throttle: this.throttle,
			deadlineMs,
		});
		const answer = this.jobAnswer(context, response);
		if (!answer) throw malformedResponseError(this.functions.getNode(), context, 'the result is not a JSON object');
		return answer;
	}

	/**
	 * Uploads data URLs (as bytes, see dataUrlBytes) in one `upload-asset` call and returns the
	 * hosted URLs, in the same order.
	 * Segmind's docs show the answer as `{file_urls: [...]}`, an older page as `{urls: [...]}`: both
	 * are read. Uploads are not billed, so one whose outcome is unknown is simply sent again; the
	 * worst case is an unused copy of the image on Segmind's host.
	 */
	async upload(context: CallContext, dataUrls: Buffer[], deadlineMs: number): Promise<string[]> {
		const node = this.functions.getNode();
		const url = uploadAssetUrl(await segmindBaseUrl.call(this.functions));
		const { statusCode, body } = await segmindApiRequest.call(this.functions, {
			method: 'POST',
			path: '/upload-asset',
			url,
			jsonBytes: dataUrlsBody(dataUrls),
			context,
			repeatable: true,
			throttle: this.throttle,
			deadlineMs,
		});
		if (statusCode === 404) {
			throw segmindError(node, context, `The image upload endpoint was not found (404): ${url}`,
				`Binary images are uploaded to Segmind's upload-asset endpoint before the job is submitted. With a custom base URL, the proxy must also forward POST /upload-asset. ${NOTHING_SPENT}`,
				{ httpCode: statusCode, body });
		}
		if (statusCode === 400 || statusCode === 413 || statusCode === 415 || statusCode === 422) {
			const said = segmindErrorText(body);
			throw segmindError(node, context,
				`Segmind refused to upload the input image(s) (HTTP ${statusCode})${said ? `: ${said}` : ''}`,
				`Check the binary images: PNG, JPEG or WebP, within the model's size limits. ${NOTHING_SPENT}`,
				{ httpCode: statusCode, body });
		}
		if (statusCode < 200 || statusCode >= 300) throw httpStatusError(node, context, statusCode, body);
		const answer = isObject(body) ? body : {};
		const urls = Array.isArray(answer.file_urls) ? answer.file_urls : answer.urls;
		if (!Array.isArray(urls) || urls.length !== dataUrls.length || !urls.every(isHttpUrl)) {
			throw malformedResponseError(node, context,
				`upload-asset should return ${dataUrls.length} file URL${dataUrls.length === 1 ? '' : 's'} (file_urls), but returned ${JSON.stringify(body ?? null).slice(0, 200)}`);
		}
		return urls as string[];
	}

	/**
	 * The account's balance (`GET /v1/get-user-credits` → `{"credits": 0.0, "free-credits": 0.018}`),
	 * as numbers. A read that costs nothing: retried on every fault until `deadlineMs`.
	 */
	async credits(context: CallContext, deadlineMs: number): Promise<{ credits: number; freeCredits: number }> {
		const node = this.functions.getNode();
		const response = await segmindApiRequest.call(this.functions, {
			method: 'GET',
			path: '/v1/get-user-credits',
			context,
			repeatable: true,
			throttle: this.throttle,
			deadlineMs,
		});
		if (response.statusCode < 200 || response.statusCode >= 300) {
			throw httpStatusError(node, context, response.statusCode, response.body);
		}
		const answer = isObject(response.body) ? response.body : {};
		const credits = amount(answer.credits);
		const freeCredits = amount(answer['free-credits']);
		if (credits === undefined || freeCredits === undefined) {
			throw malformedResponseError(node, context, 'no numeric "credits" and "free-credits"');
		}
		return { credits, freeCredits };
	}

}

/** A balance from Segmind's answer as a number (some answers may carry it as text). */
function amount(value: unknown): number | undefined {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/** Bytes encoded per step: a multiple of 3, small enough that no large string is ever made. */
const ENCODE_CHUNK = 3 * 16 * 1024;

/**
 * A file as a base64 data URL, written straight into a Buffer: a 10 MB image never becomes a 13 MB
 * JavaScript string (which would sit on the heap until a full garbage collection).
 */
export function dataUrlBytes(mimeType: string, data: Buffer): Buffer {
	const prefix = `data:${mimeType};base64,`;
	const out = Buffer.allocUnsafe(prefix.length + Math.ceil(data.length / 3) * 4);
	let at = out.write(prefix, 0, 'latin1');
	for (let start = 0; start < data.length; start += ENCODE_CHUNK) {
		// Small chunks: each string is short-lived and collected young.
		at += out.write(data.subarray(start, start + ENCODE_CHUNK).toString('base64'), at, 'latin1');
	}
	return at === out.length ? out : out.subarray(0, at);
}

/** `{"data_urls":["…","…"]}` as bytes (base64 and the data URL prefix need no JSON escaping). */
function dataUrlsBody(dataUrls: Buffer[]): Buffer {
	const parts: Buffer[] = [Buffer.from('{"data_urls":[')];
	for (const [index, dataUrl] of dataUrls.entries()) parts.push(Buffer.from(index === 0 ? '"' : ',"'), dataUrl, Buffer.from('"'));
	parts.push(Buffer.from(']}'));
	return Buffer.concat(parts);
}

/** What a v1 answer's headers say about the job (generation time, credits, cost). */
function syncMetrics(headers: IDataObject): IDataObject {
	const metrics: IDataObject = {};
	const headerNumber = (name: string) => {
		const value = Number(headers[name]);
		return Number.isFinite(value) ? value : undefined;
	};
	for (const [header, key] of [
		['x-generation-time', 'inference_time'],
		['x-remaining-credits', 'remaining_credits'],
		['x-credits-consumed', 'credits_consumed'],
		['x-cost', 'cost'],
	] as const) {
		const value = headerNumber(header);
		if (value !== undefined) metrics[key] = value;
	}
	return metrics;
}
