import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import type { CallContext } from '../shared/errors';
import { downloadError } from '../shared/errors';
import type { DownloadBody, Received } from '../transport/segmindApi';
import { downloadFile } from '../transport/segmindApi';
import type { ImageFormat } from './imageFormat';
import { detectImageFormat } from './imageFormat';
import type { MediaFormat } from './mediaFormat';
import { detectMediaFormat } from './mediaFormat';
import type { ResultImage } from './resultImages';

export interface OutputImage {
	binary: IBinaryData;
	/** What the bytes are: image, video, audio, document, model, text or file. */
	kind: MediaFormat['kind'];
	url?: string;
	width?: number;
	height?: number;
}

/** Why bytes are not an output image, or undefined when they are one. */
function imageProblem(head: Buffer, format: ImageFormat | undefined): string | undefined {
	if (head.length === 0) return 'the image is empty';
	if (!format) return 'the result is not a PNG, JPEG, WebP or GIF image';
	return undefined;
}

/**
 * What the bytes are. A described image model must have sent an image (its checks and sizes rely
 * on it); any other model's file is taken as it is, whatever it is (`anyMedia`).
 */
function recognise(body: DownloadBody, anyMedia: boolean): MediaFormat | { problem: string } {
	const { head, data, contentType } = body;
	if (!anyMedia) {
		const format = detectImageFormat(head);
		const problem = imageProblem(head, format);
		return problem !== undefined || !format ? { problem: problem ?? 'unknown format' } : { kind: 'image', ...format };
	}
	if (head.length === 0) return { problem: 'the file is empty' };
	return detectMediaFormat(head, contentType, Buffer.isBuffer(data));
}

/**
 * Turns one result file into n8n binary data: downloads a URL (streamed, without the API key) or
 * decodes inline data, and names the file after the bytes that arrived (sniffed from the first
 * bytes), not after what a header claims. With `anyMedia` (models that are not described) any file
 * is kept, unconverted: video, audio, PDF, 3D, text, or application/octet-stream.
 */
export async function resultImageToBinary(
	this: IExecuteFunctions,
	image: ResultImage,
	fileBaseName: string,
	context: CallContext,
	anyMedia = false,
): Promise<OutputImage> {
	const store = async (body: DownloadBody): Promise<Received<OutputImage>> => {
		const format = recognise(body, anyMedia);
		if ('problem' in format) return format;
		// prepareBinaryData takes a stream as well as a buffer: in filesystem/S3 mode n8n writes
		// the stream to its storage as it arrives.
		const binary = await this.helpers.prepareBinaryData(body.data, `${fileBaseName}.${format.extension}`, format.mimeType);
		return {
			value: {
				binary,
				kind: format.kind,
				...(image.kind === 'url' ? { url: image.url } : {}),
				...(format.width !== undefined ? { width: format.width, height: format.height } : {}),
			},
		};
	};
	if (image.kind === 'url') return await (downloadFile<OutputImage>).call(this, image.url, context, store);
	const stored = await store({ head: image.data, data: image.data, contentType: image.mimeType });
	if ('problem' in stored) throw downloadError(this.getNode(), context, stored.problem);
	return stored.value;
}
