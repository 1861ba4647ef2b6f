import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData, NodeOperationError } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { JobOptions } from '../description/commonOptions';
import { fileBaseName } from '../description/commonOptions';
import type { OutputImage } from '../io/outputBinary';
import { resultImageToBinary } from '../io/outputBinary';
import { findResultImages, findResultMedia } from '../io/resultImages';
import { isToolExecution } from '../n8n/features';
import type { CallContext } from '../shared/errors';
import { asItemError, noImageError } from '../shared/errors';
import type { CompletedJob, FinishedJob, ItemOutcome, PendingJob, SubmittedJob } from '../shared/jobSpec';
import { completedJobAnswer } from './toolAnswer';

/**
 * The output module: turns the runner's outcomes into the node's items. A finished job becomes
 * its output item(s) (downloading result files); a failed item an error item with Continue On
 * Fail, else the node's error (naming the jobs that did complete, so their paid results can
 * still be fetched).
 */

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
async function completedJobItems(
	this: IExecuteFunctions,
	itemIndex: number,
	job: CompletedJob,
	options: JobOptions,
): Promise<INodeExecutionData[]> {
	const model = job.model ?? job.spec?.model ?? 'segmind';
	// A sync call has no request id: none is made up, so nothing offers it as fetchable.
	const requestId = job.requestId ?? null;
	const requireImage = job.spec?.requireImage ?? false;
	// A sync result is the image itself: no point repeating it as JSON. A fetched job's is shown.
	const includeResult = job.via === 'sync' ? false : (job.spec?.includeResult ?? true);
	const context: CallContext = {
		phase: 'download',
		itemIndex,
		model,
		...(job.requestId ? { requestId: job.requestId } : {}),
		deadlineMs: job.deadlineMs,
	};
	// Described models make images; any other model's result may hold any files (video, audio, …).
	const anyMedia = !requireImage;
	const images = anyMedia ? findResultMedia(job.result) : findResultImages(job.result);
	if (images.length === 0 && requireImage) throw noImageError(this.getNode(), context);

	// As an agent's tool the model reads the JSON: compact, unless files were asked for.
	const asTool = options.outputMode !== 'binary' && isToolExecution(this);
	const download = options.outputMode === 'binary' || (options.outputMode === 'auto' && !asTool);
	const outputUrls = images.flatMap((image) => (image.kind === 'url' ? [image.url] : []));
	const inferenceTime = typeof job.metrics.inference_time === 'number' ? job.metrics.inference_time : null;
	const pairedItem = { item: itemIndex };

	if (asTool) {
		const inlineImages = images.length - outputUrls.length;
		const answer = { requestId, model, imageUrls: outputUrls, inlineImages, inferenceTime };
		return [{ json: completedJobAnswer({ ...answer, elapsedSeconds: job.elapsedSeconds }), pairedItem }];
	}

	const separate = options.separateItems && images.length > 1;
	// File names only: a sync call's files still get distinct names.
	const fileRequestId = job.requestId ?? `sync-${Date.now().toString(36)}`;
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
			model,
			requestId: fileRequestId,
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
		requestId,
		model,
		status: 'COMPLETED',
		inferenceTime,
		elapsedSeconds: job.elapsedSeconds,
	};
	const details: IDataObject = {
		metrics: job.metrics,
		parameters: job.spec?.body ?? {},
		...(includeResult ? { result: job.result } : {}),
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

/** Submit Only: what is needed to fetch the result later (Job › Get Result), and nothing secret. */
function submittedItem(itemIndex: number, job: SubmittedJob): INodeExecutionData {
	const { response } = job;
	return {
		json: {
			requestId: job.requestId,
			model: job.spec.model,
			status: typeof response.status === 'string' ? response.status : 'QUEUED',
			statusUrl: response.status_url ?? null,
			responseUrl: response.response_url ?? null,
			parameters: job.spec.body,
		},
		pairedItem: { item: itemIndex },
	};
}

/** Get Result found the job still running: an item to loop on, not an error. */
function pendingItem(itemIndex: number, job: PendingJob): INodeExecutionData {
	const json: IDataObject = { requestId: job.requestId, ...(job.model ? { model: job.model } : {}), status: job.status, pending: true };
	return { json, pairedItem: { item: itemIndex } };
}

/** A finished job's output items. */
export async function jobOutputItems(
	this: IExecuteFunctions,
	itemIndex: number,
	job: FinishedJob,
	options: JobOptions,
): Promise<INodeExecutionData[]> {
	if (job.kind === 'submitted') return [submittedItem(itemIndex, job)];
	if (job.kind === 'pending') return [pendingItem(itemIndex, job)];
	return await completedJobItems.call(this, itemIndex, job, options);
}

/**
 * The error item Continue On Fail emits: message, advice, and what identifies the job. With
 * "Continue (using error output)" the item also carries the error itself, which is how n8n
 * knows to route it to the error output.
 */
export function errorItem(error: Error, itemIndex: number, toErrorOutput: boolean): INodeExecutionData {
	const { context = {}, description } = error as NodeOperationError;
	const json: IDataObject = { error: error.message };
	if (description) json.description = description;
	for (const key of ['requestId', 'model', 'httpCode'] as const) {
		if (context[key] !== undefined) json[key] = context[key];
	}
	return toErrorOutput
		? { json, error: error as NodeOperationError, pairedItem: { item: itemIndex } }
		: { json, pairedItem: { item: itemIndex } };
}

/**
 * The node's items from the runner's outcomes, in input order. Without Continue On Fail the first
 * failure (in item order) fails the node, and its error lists the request ids of the jobs that did
 * complete (never a sync call's, which has none), so their results can still be fetched.
 */
export function outcomeItems(this: IExecuteFunctions, outcomes: ItemOutcome[]): INodeExecutionData[] {
	const firstFailure = outcomes.find((outcome) => outcome.status === 'failed');
	if (firstFailure && !this.continueOnFail()) {
		const error = asItemError(this.getNode(), firstFailure.error, firstFailure.itemIndex);
		const fetchable = outcomes.flatMap((outcome) =>
			outcome.status === 'ok' && outcome.requestId ? [`item ${outcome.itemIndex}: ${outcome.requestId}`] : [],
		);
		if (fetchable.length > 0) {
			error.description = `${error.description ?? ''} Other items completed before the node stopped; Job › Get Result can fetch them for 1 hour (${fetchable.join(', ')}).`.trim();
		}
		throw error;
	}
	const toErrorOutput = this.getNode().onError === 'continueErrorOutput';
	return outcomes.flatMap((outcome) => {
		if (outcome.status === 'ok') return outcome.items;
		const error = outcome.status === 'failed' ? outcome.error : new Error(outcome.reason);
		return [errorItem(error, outcome.itemIndex, toErrorOutput)];
	});
}
