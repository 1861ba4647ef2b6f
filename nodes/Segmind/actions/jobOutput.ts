import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { JobOptions } from '../description/commonOptions';
import { fileBaseName } from '../description/commonOptions';
import type { OutputImage } from '../io/outputBinary';
import { resultImageToBinary } from '../io/outputBinary';
import { findResultImages } from '../io/resultImages';
import { isToolExecution } from '../n8n/features';
import type { CompletedJob } from '../jobs/runJob';
import type { CallContext } from '../transport/errors';
import { noImageError } from '../transport/errors';
import type { PreparedJob } from './preparedJob';
import { completedJobAnswer } from './toolAnswer';

/** `data`, `data_1`, `data_2`, … for the images of one result on one item. */
function binaryField(base: string, index: number): string {
	return index === 0 ? base : `${base}_${index}`;
}

/** What the JSON says about one output image. */
function fileEntry(field: string | null, output: OutputImage | undefined, url: string | undefined): IDataObject {
	return {
		binaryField: field,
		fileName: output?.binary.fileName ?? null,
		mimeType: output?.binary.mimeType ?? null,
		width: output?.width ?? null,
		height: output?.height ?? null,
		url: url ?? null,
	};
}

/**
 * Turns a completed job into the node's output for it: one item holding every image (`data`,
 * `data_1`, …), or, with "One Item per Image", one item per image. Every item links to its input
 * item and keeps the hosted URL(s) in its JSON.
 */
export async function jobOutputItems(
	this: IExecuteFunctions,
	itemIndex: number,
	prepared: PreparedJob,
	job: CompletedJob,
	options: JobOptions,
): Promise<INodeExecutionData[]> {
	const context: CallContext = { phase: 'download', itemIndex, model: prepared.model, requestId: job.requestId };
	const images = findResultImages(job.result);
	if (images.length === 0 && prepared.requireImage) throw noImageError(this.getNode(), context);

	// As an agent's tool the model reads the JSON: compact, unless files were asked for.
	const asTool = options.outputMode !== 'binary' && isToolExecution(this);
	const download = options.outputMode === 'binary' || (options.outputMode === 'auto' && !asTool);
	const outputUrls = images.flatMap((image) => (image.kind === 'url' ? [image.url] : []));
	const inferenceTime = typeof job.metrics.inference_time === 'number' ? job.metrics.inference_time : null;
	const pairedItem = { item: itemIndex };

	if (asTool) {
		// Compact JSON for an AI agent: one answer with the URLs, never binary data.
		const inlineImages = images.length - outputUrls.length;
		const answer = { requestId: job.requestId, model: prepared.model, imageUrls: outputUrls, inlineImages, inferenceTime };
		return [{ json: completedJobAnswer({ ...answer, elapsedSeconds: job.elapsedSeconds }), pairedItem }];
	}

	const separate = options.separateItems && images.length > 1;
	// Per image: its binary output (downloaded or decoded), or none in URL-only mode.
	const outputs: Array<OutputImage | undefined> = [];
	for (const [index, image] of images.entries()) {
		// Inline images cost nothing to keep; URLs are downloaded only when asked to.
		if (!download && image.kind === 'url') {
			outputs.push(undefined);
			continue;
		}
		const name = fileBaseName(options.fileNamePattern, {
			model: prepared.model,
			requestId: job.requestId,
			index,
			itemIndex,
		});
		outputs.push(await resultImageToBinary.call(this, image, name, context));
	}
	const urlOf = (index: number) => {
		const image = images[index];
		return image?.kind === 'url' ? image.url : undefined;
	};

	const common: IDataObject = {
		requestId: job.requestId,
		model: prepared.model,
		status: 'COMPLETED',
		inferenceTime,
		elapsedSeconds: job.elapsedSeconds,
	};
	const details: IDataObject = {
		metrics: job.metrics,
		parameters: prepared.body,
		...(prepared.includeResult ? { result: job.result } : {}),
	};
	const firstFile = (file: IDataObject | undefined): IDataObject =>
		file ? { fileName: file.fileName, mimeType: file.mimeType, width: file.width, height: file.height } : {};

	if (separate) {
		return outputs.map((output, index) => {
			const file = fileEntry(output ? options.binaryPropertyName : null, output, urlOf(index));
			return {
				json: {
					...common,
					imageIndex: index,
					imageCount: images.length,
					outputUrl: urlOf(index) ?? null,
					outputUrls,
					...firstFile(file),
					files: [file],
					...details,
				},
				...(output ? { binary: { [options.binaryPropertyName]: output.binary } } : {}),
				pairedItem,
			};
		});
	}

	const binary: IBinaryKeyData = {};
	const files: IDataObject[] = [];
	for (const [index, output] of outputs.entries()) {
		if (!output) continue;
		const field = binaryField(options.binaryPropertyName, index);
		binary[field] = output.binary;
		files.push(fileEntry(field, output, urlOf(index)));
	}
	return [
		{
			json: {
				...common,
				outputUrl: outputUrls[0] ?? null,
				outputUrls,
				...firstFile(files[0]),
				files,
				...details,
			},
			...(Object.keys(binary).length > 0 ? { binary } : {}),
			pairedItem,
		},
	];
}
