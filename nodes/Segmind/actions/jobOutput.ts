import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { JobOptions } from '../description/commonOptions';
import { resultImageToBinary } from '../io/outputBinary';
import { findResultImages } from '../io/resultImages';
import type { CompletedJob } from '../jobs/runJob';
import type { CallContext } from '../transport/errors';
import { noImageError } from '../transport/errors';
import type { PreparedJob } from './preparedJob';

/** `data`, `data_1`, `data_2`, … for the images of one result. */
function binaryField(base: string, index: number): string {
	return index === 0 ? base : `${base}_${index}`;
}

/** Turns a completed job into the item the node outputs for it. */
export async function jobOutputItem(
	this: IExecuteFunctions,
	itemIndex: number,
	prepared: PreparedJob,
	job: CompletedJob,
	options: JobOptions,
): Promise<INodeExecutionData> {
	const context: CallContext = { phase: 'download', itemIndex, model: prepared.model, requestId: job.requestId };
	const images = findResultImages(job.result);
	if (images.length === 0 && prepared.requireImage) throw noImageError(this.getNode(), context);

	const asTool = options.outputMode === 'auto' && this.isToolExecution();
	const download = options.outputMode === 'binary' || (options.outputMode === 'auto' && !asTool);
	const outputUrls = images.flatMap((image) => (image.kind === 'url' ? [image.url] : []));
	const inferenceTime = typeof job.metrics.inference_time === 'number' ? job.metrics.inference_time : null;

	const binary: IBinaryKeyData = {};
	const files: IDataObject[] = [];
	for (const [index, image] of images.entries()) {
		// Inline images cost nothing to keep; URLs are downloaded only when asked to.
		if (!download && image.kind === 'url') continue;
		const field = binaryField(options.binaryPropertyName, index);
		const fileBaseName = `${prepared.model}-${job.requestId}${index === 0 ? '' : `-${index}`}`;
		const output = await resultImageToBinary.call(this, image, fileBaseName.replace(/[^\w.-]+/g, '_'), context);
		binary[field] = output.binary;
		files.push({
			binaryField: field,
			fileName: output.binary.fileName ?? null,
			mimeType: output.binary.mimeType,
			width: output.width ?? null,
			height: output.height ?? null,
			url: output.url ?? null,
		});
	}

	const json: IDataObject = asTool
		? {
				requestId: job.requestId,
				model: prepared.model,
				status: 'COMPLETED',
				imageUrls: outputUrls,
				inferenceTime,
				elapsedSeconds: job.elapsedSeconds,
			}
		: {
				requestId: job.requestId,
				model: prepared.model,
				status: 'COMPLETED',
				inferenceTime,
				elapsedSeconds: job.elapsedSeconds,
				outputUrl: outputUrls[0] ?? null,
				outputUrls,
				...(files[0] ? { fileName: files[0].fileName, mimeType: files[0].mimeType, width: files[0].width, height: files[0].height } : {}),
				files,
				metrics: job.metrics,
				parameters: prepared.body,
				...(prepared.includeResult ? { result: job.result } : {}),
			};
	return {
		json,
		...(Object.keys(binary).length > 0 ? { binary } : {}),
		pairedItem: { item: itemIndex },
	};
}
