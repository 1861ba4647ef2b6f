import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readConcurrency } from '../description/commonOptions';
import type { RunnerOptions } from '../jobs/runner';
import { runJobs } from '../jobs/runner';
import type { JobSpec, JobWork } from '../shared/jobSpec';
import { itemJobOptions } from './itemInput';
import { jobOutputItems, outcomeItems } from './jobOutput';

/**
 * Where the operations meet the job pipeline: an operation prepares each item's work (a job
 * spec, or a job to fetch), the runner (jobs/runner.ts) runs it, the output module
 * (jobOutput.ts) turns the outcomes into items.
 */

/**
 * The first item's Concurrency. That item's Options were checked before the run: when they were
 * refused, that item fails on its own and the others run one at a time.
 */
function runConcurrency(this: IExecuteFunctions, itemCount: number): number {
	if (itemCount === 0) return 1;
	try {
		return readConcurrency(this.getNodeParameter('options', 0, {}));
	} catch {
		return 1;
	}
}

/** The runner's options from the node's: Concurrency from the first item, the rest per item. */
function runnerOptions(this: IExecuteFunctions, itemCount: number, startsJobs: boolean): RunnerOptions {
	const itemOptions = (itemIndex: number) => itemJobOptions.call(this, itemIndex, startsJobs);
	return {
		concurrency: runConcurrency.call(this, itemCount),
		continueOnFail: this.continueOnFail(),
		timing: (itemIndex) => {
			const options = itemOptions(itemIndex);
			return {
				timeoutSeconds: options.timeoutSeconds,
				...(options.fixedPollIntervalSeconds !== undefined
					? { fixedIntervalMs: options.fixedPollIntervalSeconds * 1000 }
					: {}),
			};
		},
		deliver: async (itemIndex, job) => await jobOutputItems.call(this, itemIndex, job, itemOptions(itemIndex)),
		severalItemsPerJob: (itemIndex) => itemOptions(itemIndex).separateItems,
		reuseJobs: (itemIndex) => itemOptions(itemIndex).reuseJobs,
	};
}

/** Runs each item's work through the runner and returns the node's items. */
export async function runWork(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	prepare: (this: IExecuteFunctions, itemIndex: number) => JobWork | Promise<JobWork>,
	/** Whether the work submits jobs (its Options have Run Mode and Timeout); Get Result does not. */
	startsJobs = true,
): Promise<INodeExecutionData[]> {
	const outcomes = await runJobs.call(this, items.length, async (itemIndex) => await prepare.call(this, itemIndex), runnerOptions.call(this, items.length, startsJobs));
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
