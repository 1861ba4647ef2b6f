import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeOperationError } from 'n8n-workflow';

import { readJobOptions } from '../description/commonOptions';
import { bodyWithUploads } from '../io/inputImages';
import { runJob } from '../jobs/runJob';
import { asItemError } from '../transport/errors';
import { jobOutputItem } from './jobOutput';
import type { PreparedJob } from './preparedJob';

/** The error item Continue On Fail emits: message, advice, and what identifies the job. */
function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const { context = {}, description } = error as NodeOperationError;
	const json: IDataObject = { error: error.message };
	if (description) json.description = description;
	for (const key of ['requestId', 'model', 'httpCode'] as const) {
		if (context[key] !== undefined) json[key] = context[key];
	}
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * Runs one Segmind job per input item and returns one output item per input item, in order.
 * Every item is prepared (and so checked) before the first submit: a bad item stops the run
 * before any job is paid for, or, with Continue On Fail, becomes an error item.
 */
export async function runItems(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	prepare: (this: IExecuteFunctions, itemIndex: number) => PreparedJob,
): Promise<INodeExecutionData[]> {
	const prepared = items.map((_item, itemIndex): PreparedJob | Error => {
		try {
			return prepare.call(this, itemIndex);
		} catch (error) {
			if (!this.continueOnFail()) throw asItemError(this.getNode(), error, itemIndex);
			return error as Error;
		}
	});

	const output: INodeExecutionData[] = [];
	for (const [itemIndex, job] of prepared.entries()) {
		if (job instanceof Error) {
			output.push(errorItem(job, itemIndex));
			continue;
		}
		try {
			const options = readJobOptions(this.getNodeParameter('options', itemIndex, {}) as IDataObject);
			const ready: PreparedJob = { ...job, body: await bodyWithUploads.call(this, job, itemIndex) };
			const completed = await runJob.call(this, {
				model: ready.model,
				body: ready.body,
				itemIndex,
				timeoutSeconds: options.timeoutSeconds,
				schedule: { intervalMs: options.pollIntervalSeconds * 1000 },
			});
			output.push(await jobOutputItem.call(this, itemIndex, ready, completed, options));
		} catch (error) {
			if (!this.continueOnFail()) throw asItemError(this.getNode(), error, itemIndex);
			output.push(errorItem(error, itemIndex));
		}
	}
	return output;
}
