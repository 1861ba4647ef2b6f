import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CallContext } from './errors';
import { httpStatusError, malformedResponseError, segmindError, segmindErrorText } from './errors';
import { DEFAULT_BASE_URL, segmindApiRequest, segmindBaseUrl } from './segmindApi';

/**
 * Segmind's `upload-asset` endpoint: base64 data URLs in, hosted URLs out, several files per call.
 * It lives on its own host, not under the API's base URL.
 */
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

function isHttpUrl(value: unknown): value is string {
	if (typeof value !== 'string') return false;
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}

const NOTHING_SPENT = 'Nothing was submitted for this item, so no credit was spent.';

/**
 * Uploads the data URLs in one call and returns the hosted URLs, in the same order. Segmind's docs
 * show the answer as `{file_urls: [...]}`, an older page as `{urls: [...]}`: both are read.
 *
 * Retries: uploads are not billed, so an upload whose outcome is unknown (5xx, a broken
 * connection, an unreadable answer) is simply sent again (segmindApiRequest treats the `upload`
 * phase as safe to repeat); the worst case is an unused copy of the image on Segmind's host.
 */
export async function uploadAssets(
	this: IExecuteFunctions,
	dataUrls: string[],
	context: CallContext,
): Promise<string[]> {
	const url = uploadAssetUrl(await segmindBaseUrl.call(this));
	const response = await segmindApiRequest.call(this, {
		method: 'POST',
		path: '/upload-asset',
		url,
		body: { data_urls: dataUrls },
		context,
	});
	const { statusCode, body } = response;
	if (statusCode < 200 || statusCode >= 300) {
		if (statusCode === 404) {
			throw segmindError(this.getNode(), context, `The image upload endpoint was not found (404): ${url}`,
				`Binary images are uploaded to Segmind's upload-asset endpoint before the job is submitted. With a custom base URL, the proxy must also forward POST /upload-asset. ${NOTHING_SPENT}`,
				{ httpCode: statusCode, body });
		}
		if (statusCode === 400 || statusCode === 413 || statusCode === 415 || statusCode === 422) {
			const said = segmindErrorText(body);
			throw segmindError(this.getNode(), context,
				`Segmind refused to upload the input image(s) (HTTP ${statusCode})${said ? `: ${said}` : ''}`,
				`Check the binary images: PNG, JPEG or WebP, within the model's size limits. ${NOTHING_SPENT}`,
				{ httpCode: statusCode, body });
		}
		throw httpStatusError(this.getNode(), context, statusCode, body);
	}
	const answer = (body && typeof body === 'object' ? body : {}) as IDataObject;
	const urls = Array.isArray(answer.file_urls) ? answer.file_urls : answer.urls;
	if (!Array.isArray(urls) || urls.length !== dataUrls.length || !urls.every(isHttpUrl)) {
		throw malformedResponseError(this.getNode(), context,
			`upload-asset should return ${dataUrls.length} file URL${dataUrls.length === 1 ? '' : 's'} (file_urls), but returned ${JSON.stringify(body ?? null).slice(0, 200)}`);
	}
	return urls as string[];
}
