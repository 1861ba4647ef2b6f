import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { JobOptions } from '../description/commonOptions';
import { readJobOptions } from '../description/commonOptions';
import type { RunnerOptions } from '../jobs/runner';
import { runJobs } from '../jobs/runner';
import type { JobSpec, JobWork } from '../shared/jobSpec';
import { jobOutputItems, outcomeItems } from './jobOutput';

/**
 * Where the operations meet the job pipeline: an operation prepares each item's work (a job
 * spec, or a job to fetch), the runner (jobs/runner.ts) runs it, the output module
 * (jobOutput.ts) turns the outcomes into items.
 */

export function itemJobOptions(this: IExecuteFunctions, itemIndex: number): JobOptions {
	return readJobOptions(this.getNodeParameter('options', itemIndex, {}) as IDataObject);
}

/** The runner's options from the node's: Concurrency from the first item, the rest per item. */
function runnerOptions(this: IExecuteFunctions, itemCount: number): RunnerOptions {
	return {
		concurrency: itemCount > 0 ? itemJobOptions.call(this, 0).concurrency : 1,
		continueOnFail: this.continueOnFail(),
		timing: (itemIndex) => {
			const options = itemJobOptions.call(this, itemIndex);
			return {
				timeoutSeconds: options.timeoutSeconds,
				...(options.fixedPollIntervalSeconds !== undefined
					? { fixedIntervalMs: options.fixedPollIntervalSeconds * 1000 }
					: {}),
			};
		},
		deliver: async (itemIndex, job) => await jobOutputItems.call(this, itemIndex, job, itemJobOptions.call(this, itemIndex)),
		severalItemsPerJob: (itemIndex) => itemJobOptions.call(this, itemIndex).separateItems,
		reuseJobs: (itemIndex) => itemJobOptions.call(this, itemIndex).reuseJobs,
	};
}

/** Runs each item's work through the runner and returns the node's items. */
export async function runWork(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	prepare: (this: IExecuteFunctions, itemIndex: number) => JobWork | Promise<JobWork>,
): Promise<INodeExecutionData[]> {
	const outcomes = await runJobs.call(this, items.length, async (itemIndex) => await prepare.call(this, itemIndex), runnerOptions.call(this, items.length));
	return outcomeItems.call(this, outcomes);
}

/** Runs one Segmind job per input item, in the item's Run Mode, from the operation's job specs. */
export async function runItems(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	prepare: (this: IExecuteFunctions, itemIndex: number) => JobSpec | Promise<JobSpec>,
): Promise<INodeExecutionData[]> {
	return await runWork.call(this, items, async function (this: IExecuteFunctions, itemIndex: number): Promise<JobWork> {
		const spec = await prepare.call(this, itemIndex);
		return { mode: itemJobOptions.call(this, itemIndex).runMode, spec };
	});
}
