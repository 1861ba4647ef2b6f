import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import type { CallContext } from '../shared/errors';
import { downloadError } from '../shared/errors';
import type { DownloadBody, Received } from '../transport/segmindApi';
import { downloadFile } from '../transport/segmindApi';
import type { ImageFormat } from './imageFormat';
import { detectImageFormat } from './imageFormat';
import type { ResultImage } from './resultImages';

export interface OutputImage {
	binary: IBinaryData;
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
 * Turns one result image into n8n binary data: downloads a URL (streamed, without the API key) or
 * decodes inline data, and names the file after the bytes that arrived (sniffed from the first
 * bytes), not after what a header claims.
 */
export async function resultImageToBinary(
	this: IExecuteFunctions,
	image: ResultImage,
	fileBaseName: string,
	context: CallContext,
): Promise<OutputImage> {
	const store = async ({ head, data }: DownloadBody): Promise<Received<OutputImage>> => {
		const format = detectImageFormat(head);
		const problem = imageProblem(head, format);
		if (problem !== undefined || !format) return { problem: problem ?? 'unknown format' };
		// prepareBinaryData takes a stream as well as a buffer: in filesystem/S3 mode n8n writes
		// the stream to its storage as it arrives.
		const binary = await this.helpers.prepareBinaryData(data, `${fileBaseName}.${format.extension}`, format.mimeType);
		return {
			value: {
				binary,
				...(image.kind === 'url' ? { url: image.url } : {}),
				...(format.width !== undefined ? { width: format.width, height: format.height } : {}),
			},
		};
	};
	if (image.kind === 'url') return await (downloadFile<OutputImage>).call(this, image.url, context, store);
	const stored = await store({ head: image.data, data: image.data });
	if ('problem' in stored) throw downloadError(this.getNode(), context, stored.problem);
	return stored.value;
}
