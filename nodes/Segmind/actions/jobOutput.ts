import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { JobOptions } from '../description/commonOptions';
import { fileBaseName } from '../description/commonOptions';
import type { OutputImage } from '../io/outputBinary';
import { resultImageToBinary } from '../io/outputBinary';
import { findResultImages, findResultMedia } from '../io/resultImages';
import { isToolExecution } from '../n8n/features';
import type { CompletedJob } from '../jobs/runJob';
import type { CallContext } from '../transport/errors';
import { asItemError, noImageError } from '../transport/errors';
import type { PreparedJob } from './preparedJob';
import { completedJobAnswer } from './toolAnswer';

/** `data`, `data_1`, `data_2`, … for the images of one result on one item. */
function binaryField(base: string, index: number): string {
	return index === 0 ? base : `${base}_${index}`;
}

/** What the JSON says about one output file; `downloadError` when its URL could not be fetched. */
function fileEntry(
	field: string | null,
	output: OutputImage | undefined,
	url: string | undefined,
	downloadError?: string,
): IDataObject {
	return {
		binaryField: field,
		fileName: output?.binary.fileName ?? null,
		mimeType: output?.binary.mimeType ?? null,
		kind: output?.kind ?? null,
		width: output?.width ?? null,
		height: output?.height ?? null,
		url: url ?? null,
		...(downloadError !== undefined ? { downloadError } : {}),
	};
}

/**
 * Why a result file of a model that is not described could not be fetched, or undefined for any
 * other error (which must fail the item: a cancel, a bug).
 */
function downloadFailure(error: unknown): string | undefined {
	if (!(error instanceof NodeApiError) || error.context.phase !== 'download') return undefined;
	return typeof error.context.reason === 'string' ? error.context.reason : error.message;
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
	// Described models make images; any other model's result may hold any files (video, audio, …).
	const anyMedia = !prepared.requireImage;
	const images = anyMedia ? findResultMedia(job.result) : findResultImages(job.result);
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
	// Per file of an undescribed model: why it could not be fetched (the paid job still succeeded).
	const failures: Array<string | undefined> = [];
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
		try {
			outputs.push(await resultImageToBinary.call(this, image, name, context, anyMedia));
		} catch (error) {
			const reason = anyMedia ? downloadFailure(error) : undefined;
			if (reason === undefined) throw asItemError(this.getNode(), error, itemIndex);
			outputs.push(undefined);
			failures[index] = reason;
		}
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
			const file = fileEntry(output ? options.binaryPropertyName : null, output, urlOf(index), failures[index]);
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
		if (failures[index] !== undefined) files.push(fileEntry(null, undefined, urlOf(index), failures[index]));
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
