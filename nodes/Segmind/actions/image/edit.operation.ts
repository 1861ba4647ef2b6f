import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, NodeOperationError } from 'n8n-workflow';

import { jobOptionsProperty, readJobOptions } from '../../description/commonOptions';
import { modelOption, modelParameterProperties } from '../../description/modelProperties';
import { resultImageToBinary } from '../../io/outputBinary';
import { findResultImages } from '../../io/resultImages';
import { runJob } from '../../jobs/runJob';
import { modelsForOperation } from '../../models';
import type { CallContext } from '../../transport/errors';
import { asItemError, noImageError } from '../../transport/errors';
import type { ModelRequest } from '../modelRequest';
import { readModelRequest } from '../modelRequest';

const RESOURCE = 'image';
const OPERATION = 'edit';
const models = modelsForOperation(OPERATION);
const defaultModel = models[0].slug;

export const description: INodeProperties[] = [
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		default: defaultModel,
		options: models.map(modelOption),
		description: 'The Segmind model that edits the image',
		displayOptions: { show: { resource: [RESOURCE], operation: [OPERATION] } },
	},
	...modelParameterProperties(RESOURCE, OPERATION, models),
	jobOptionsProperty(RESOURCE, [OPERATION]),
];

/** Runs one item's job and builds its output item. */
async function editOne(
	this: IExecuteFunctions,
	itemIndex: number,
	request: ModelRequest,
): Promise<INodeExecutionData> {
	const options = readJobOptions(this.getNodeParameter('options', itemIndex, {}) as IDataObject);
	const job = await runJob.call(this, {
		model: request.model.slug,
		body: request.body,
		itemIndex,
		timeoutSeconds: options.timeoutSeconds,
		schedule: { intervalMs: options.pollIntervalSeconds * 1000 },
	});
	const context: CallContext = {
		phase: 'download',
		itemIndex,
		model: request.model.slug,
		requestId: job.requestId,
	};
	const images = findResultImages(job.result);
	if (images.length === 0) throw noImageError(this.getNode(), context);
	const image = await resultImageToBinary.call(this, images[0], `${request.model.slug}-${job.requestId}`, context);
	const outputUrls = images.flatMap((found) => (found.kind === 'url' ? [found.url] : []));
	const json: IDataObject = {
		requestId: job.requestId,
		model: request.model.slug,
		status: 'COMPLETED',
		inferenceTime: typeof job.metrics.inference_time === 'number' ? job.metrics.inference_time : null,
		outputUrl: image.url ?? null,
		outputUrls,
		fileName: image.binary.fileName ?? null,
		mimeType: image.binary.mimeType,
		width: image.width ?? null,
		height: image.height ?? null,
		metrics: job.metrics,
		parameters: request.body,
	};
	return {
		json,
		binary: { [options.binaryPropertyName]: image.binary },
		pairedItem: { item: itemIndex },
	};
}

function errorItem(error: NodeOperationError | Error, itemIndex: number): INodeExecutionData {
	const context = (error as NodeOperationError).context ?? {};
	const json: IDataObject = { error: error.message };
	const { description } = error as NodeOperationError;
	if (description) json.description = description;
	for (const key of ['requestId', 'model', 'httpCode'] as const) {
		if (context[key] !== undefined) json[key] = context[key];
	}
	return { json, pairedItem: { item: itemIndex } };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	// Check every item first: a bad item stops the run before any job is paid for.
	const requests: Array<ModelRequest | Error> = items.map((_item, itemIndex) => {
		try {
			return readModelRequest.call(this, itemIndex);
		} catch (error) {
			if (!this.continueOnFail()) throw asItemError(this.getNode(), error, itemIndex);
			return error as Error;
		}
	});

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const request = requests[itemIndex];
		if (request instanceof Error) {
			output.push(errorItem(request, itemIndex));
			continue;
		}
		try {
			output.push(await editOne.call(this, itemIndex, request));
		} catch (error) {
			if (this.continueOnFail()) {
				output.push(errorItem(error, itemIndex));
				continue;
			}
			throw asItemError(this.getNode(), error, itemIndex);
		}
	}
	return output;
}
