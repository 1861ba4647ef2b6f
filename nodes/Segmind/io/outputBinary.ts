import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import type { CallContext } from '../transport/errors';
import { downloadError } from '../transport/errors';
import { downloadFile } from '../transport/segmindApi';
import { detectImageFormat } from './imageFormat';
import type { ResultImage } from './resultImages';

export interface OutputImage {
	binary: IBinaryData;
	url?: string;
	width?: number;
	height?: number;
}

/**
 * Turns one result image into n8n binary data: downloads a URL (without the API key) or decodes
 * inline data, and names the file after the bytes that arrived, not after what a header claims.
 */
export async function resultImageToBinary(
	this: IExecuteFunctions,
	image: ResultImage,
	fileBaseName: string,
	context: CallContext,
): Promise<OutputImage> {
	const data = image.kind === 'url' ? (await downloadFile.call(this, image.url, context)).data : image.data;
	if (data.length === 0) throw downloadError(this.getNode(), context, 'the image is empty');
	const format = detectImageFormat(data);
	if (!format) {
		throw downloadError(this.getNode(), context, 'the result is not a PNG, JPEG, WebP or GIF image');
	}
	const binary = await this.helpers.prepareBinaryData(data, `${fileBaseName}.${format.extension}`, format.mimeType);
	return {
		binary,
		...(image.kind === 'url' ? { url: image.url } : {}),
		...(format.width !== undefined ? { width: format.width, height: format.height } : {}),
	};
}
