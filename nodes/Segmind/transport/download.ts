import type { IDataObject, IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

import type { CallContext } from '../shared/errors';
import { downloadError } from '../shared/errors';
import { isTransientStatus, parseRetryAfter } from './retryPolicy';
import type { Attempt } from './retrying';
import { attemptError, REQUEST_TIMEOUT_MS, sendOrFault, withRetries } from './retrying';

/**
 * Result files are downloaded with n8n's plain HTTP helper: no credential is attached, so the API
 * key cannot reach the image host.
 */

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
	// The connection may have broken before anyone listened: its events are gone, so look first.
	if (body.readableEnded) return 'end';
	if (body.destroyed || body.errored) throw new Error('the connection closed before the image was complete');
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

/** Why an attempt gave no file: a refusal the receiver reported, or an HTTP status not worth a retry. */
type Refusal = { problem: string; httpCode?: number };

/** One GET of the file; faults are retried, a receiver's refusal or a final HTTP status is not. */
async function attemptDownload<T>(
	this: IExecuteFunctions,
	url: string,
	signal: AbortSignal | undefined,
	receive: (body: DownloadBody) => Promise<Received<T>>,
): Promise<Attempt<{ value: T } | Refusal>> {
	const sent = await sendOrFault(this.getNode(), signal, async () =>
		(await this.helpers.httpRequest({
			method: 'GET',
			url,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: REQUEST_TIMEOUT_MS,
			...(signal ? { abortSignal: signal } : {}),
		})) as IN8nHttpFullResponse,
	);
	if ('fault' in sent) return sent;
	const { response } = sent;
	const { statusCode } = response;
	const headers = (response.headers ?? {}) as IDataObject;
	if (statusCode < 200 || statusCode >= 300) {
		destroyBody(response.body);
		if (statusCode === 429) return { fault: { kind: 'rate-limited', retryAfterMs: parseRetryAfter(headers['retry-after'], Date.now()) } };
		if (isTransientStatus(statusCode)) {
			return { fault: { kind: 'server-error', statusCode, retryAfterMs: parseRetryAfter(headers['retry-after'], Date.now()) } };
		}
		return { value: { problem: `the image host answered HTTP ${statusCode}`, httpCode: statusCode } };
	}
	const contentType = typeof headers['content-type'] === 'string' ? headers['content-type'] : undefined;
	let head: Buffer;
	let data: Buffer | ResponseStream;
	try {
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
	} catch (error) {
		destroyBody(response.body);
		if (signal?.aborted) throw attemptError(this.getNode(), error, signal);
		return { fault: { kind: 'unreadable', reason: describeStreamError(error) } };
	}
	try {
		const received = await receive({ head, data, contentType });
		return { value: 'value' in received ? received : { problem: received.problem } };
	} catch (error) {
		// The transfer broke while the receiver stored it: the file is fetched again.
		if (signal?.aborted) throw attemptError(this.getNode(), error, signal);
		return { fault: { kind: 'unreadable', reason: describeStreamError(error) } };
	} finally {
		// Stored, refused or broken: either way this response is done with.
		destroyBody(data);
	}
}

function describeStreamError(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * Downloads a result file. The body is streamed: its first bytes are read ahead (for the receiver
 * to recognise the file), then the receiver stores the stream, e.g. with `prepareBinaryData`, so
 * n8n writes it to its binary storage without holding it whole (in filesystem/S3 mode). Failed
 * requests, transient statuses and broken transfers are retried until the context's deadline (a
 * retry downloads the file again; it never re-submits the job). A problem the receiver reports
 * (e.g. "not an image") is not retried.
 */
export async function downloadFile<T>(
	this: IExecuteFunctions,
	url: string,
	context: CallContext,
	receive: (body: DownloadBody) => Promise<Received<T>>,
): Promise<T> {
	const outcome = await (withRetries<{ value: T } | Refusal>).call(
		this,
		{ context, repeatable: true, deadlineMs: context.deadlineMs ?? Date.now() + DEFAULT_DOWNLOAD_WINDOW_MS },
		async (signal) => await (attemptDownload<T>).call(this, url, signal, receive),
	);
	if ('value' in outcome) return outcome.value;
	throw downloadError(this.getNode(), context, outcome.problem, outcome.httpCode);
}

/** How long a download without a stated deadline (e.g. inline output checks) is retried. */
const DEFAULT_DOWNLOAD_WINDOW_MS = 60_000;
