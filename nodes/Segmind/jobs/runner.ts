import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkUploadTotal, withUploads } from '../io/inputImages';
import type { CallContext } from '../shared/errors';
import { asItemError, invalidItemInputError } from '../shared/errors';
import type { FinishedJob, ItemOutcome, JobWork } from '../shared/jobSpec';
import { InvalidInput } from '../shared/jobSpec';
import { SegmindClient } from '../transport/segmindClient';
import { itemJobMemory, markedReused } from './jobReuse';
import { DurationEstimates } from './pollSchedule';
import { mapWithConcurrency } from './pool';
import type { ExecutionJobs, JobTiming } from './runJob';
import { fetchExisting, runSync, submitAndWait, submitOnly } from './runJob';

/**
 * The one job runner: every item's work goes check-all → upload → submit → wait → result (or
 * submit only, one sync call, or wait → result for Job › Get Result), then to `deliver`, which
 * turns the finished job into output items. It returns exactly one typed outcome per input item
 * (ok / failed / skipped) and checks that it did.
 */

export interface RunnerOptions {
	/** Items running at once. */
	concurrency: number;
	/** A failure becomes that item's outcome; otherwise no new job starts after a failure. */
	continueOnFail: boolean;
	timing: (itemIndex: number) => JobTiming;
	/** Turns a finished job into its output items (the output module); may download files. */
	deliver: (itemIndex: number, job: FinishedJob) => Promise<INodeExecutionData[]>;
	/** Whether an item may give several output items (One Item per Image). */
	severalItemsPerJob: (itemIndex: number) => boolean;
	/** Reuse Jobs on Re-run: an item whose job an earlier attempt bought fetches it instead (jobs/jobReuse.ts). */
	reuseJobs?: (itemIndex: number) => boolean;
}

/** State shared by the jobs of one execution only: nothing outlives it or leaks across runs. */
export function newExecutionJobs(this: IExecuteFunctions): ExecutionJobs {
	return { client: new SegmindClient(this), estimates: new DurationEstimates() };
}

/** One item's stages after the checks; returns the finished job. */
async function runWork(
	this: IExecuteFunctions,
	shared: ExecutionJobs,
	itemIndex: number,
	work: JobWork,
	timing: JobTiming,
	stopping: () => boolean,
	reuseJobs: boolean,
): Promise<FinishedJob> {
	if (work.mode === 'fetch') {
		const context: CallContext = { phase: 'status', itemIndex, ...(work.model ? { model: work.model } : {}) };
		return await fetchExisting.call(this, shared, context, work, timing);
	}
	// A sync call has no request id: nothing to fetch again, so no reuse.
	const memory = reuseJobs && work.mode !== 'sync' ? await itemJobMemory.call(this, itemIndex, work.spec) : undefined;
	const reused = work.mode === 'sync' ? undefined : await memory?.reuse(this, shared, work.mode, work.spec, timing);
	if (reused) return reused;
	// The item's time starts now: uploads and waiting out rate limits count against it.
	const deadlineMs = Date.now() + timing.timeoutSeconds * 1000;
	const context: CallContext = { phase: 'upload', itemIndex, model: work.spec.model, deadlineMs };
	const spec = await withUploads.call(this, shared.client, work.spec, context);
	// Another item failed while this one uploaded: the node will fail, so do not pay for a job.
	if (stopping()) throw new SkippedItem('Not submitted: another item failed first');
	const submitContext: CallContext = { ...context, phase: 'submit' };
	if (work.mode === 'sync') return await runSync.call(this, shared, submitContext, spec, deadlineMs, timing.timeoutSeconds);
	const stages: Promise<FinishedJob> =
		work.mode === 'submit'
			? submitOnly.call(this, shared, submitContext, spec, deadlineMs, memory?.accepted(spec))
			: submitAndWait.call(this, shared, submitContext, spec, timing, deadlineMs, memory?.accepted(spec));
	return memory ? await memory.watch(stages) : await stages;
}

/** An item that was not started because the run is failing anyway. */
class SkippedItem extends Error {}

/** The runner's promise, checked: one outcome per input item, in order, each with its items. */
function assertOneOutcomePerItem(
	this: IExecuteFunctions,
	itemCount: number,
	outcomes: ItemOutcome[],
	severalItemsPerJob: (itemIndex: number) => boolean,
): void {
	const problem = (() => {
		if (outcomes.length !== itemCount) return `${outcomes.length} outcomes for ${itemCount} items`;
		for (const [itemIndex, outcome] of outcomes.entries()) {
			if (outcome?.itemIndex !== itemIndex) return `no outcome for item ${itemIndex}`;
			if (outcome.status !== 'ok') continue;
			const { items } = outcome;
			if (items.length === 0 || (items.length > 1 && !severalItemsPerJob(itemIndex))) {
				return `item ${itemIndex} gave ${items.length} output items`;
			}
			const linked = items.every((item) => {
				const paired = item.pairedItem;
				return typeof paired === 'object' && !Array.isArray(paired) && paired.item === itemIndex;
			});
			if (!linked) return `an output item of item ${itemIndex} is not linked to it`;
		}
		return undefined;
	})();
	if (problem !== undefined) {
		throw new NodeOperationError(this.getNode(), `Internal error: the run lost track of its items (${problem})`, {
			description: 'No output is returned rather than a partial one. Please report this with the workflow.',
		});
	}
}

/**
 * Runs every item's work with at most `concurrency` at once and returns one outcome per item, in
 * input order. Every item is prepared (and so checked) before the first request: a bad item stops
 * the run before any job is paid for (thrown), or, with Continue On Fail, becomes its outcome.
 * Without Continue On Fail, no new job starts once an item has failed.
 */
export async function runJobs(
	this: IExecuteFunctions,
	itemCount: number,
	prepare: (itemIndex: number) => JobWork | Promise<JobWork>,
	options: RunnerOptions,
): Promise<ItemOutcome[]> {
	// Check all, one item after the other: preparing reads (but does not keep) binary inputs.
	const prepared: Array<JobWork | Error> = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			const work = await prepare(itemIndex);
			if (work.mode !== 'fetch') checkUploadTotal(work.spec);
			prepared.push(work);
		} catch (caught) {
			const error = caught instanceof InvalidInput ? invalidItemInputError(this.getNode(), itemIndex, caught.message) : caught;
			if (!options.continueOnFail) throw asItemError(this.getNode(), error, itemIndex);
			prepared.push(error as Error);
		}
	}

	const shared = newExecutionJobs.call(this);
	let failed = false;
	const stopping = () => failed;
	const outcomes = await mapWithConcurrency(itemCount, options.concurrency, async (itemIndex): Promise<ItemOutcome> => {
		const work = prepared[itemIndex];
		if (work instanceof Error) return { status: 'failed', itemIndex, error: work };
		// Once the node is going to fail, starting more (paid) jobs would only waste credit.
		if (failed) return { status: 'skipped', itemIndex, reason: 'Not started: another item failed first' };
		try {
			const reuseJobs = options.reuseJobs?.(itemIndex) ?? false;
			const job = await runWork.call(this, shared, itemIndex, work, options.timing(itemIndex), stopping, reuseJobs);
			const delivered = await options.deliver(itemIndex, job);
			const items = job.kind !== 'pending' && job.reused ? markedReused(delivered) : delivered;
			return { status: 'ok', itemIndex, items, ...(job.requestId ? { requestId: job.requestId } : {}) };
		} catch (error) {
			if (error instanceof SkippedItem) return { status: 'skipped', itemIndex, reason: error.message };
			if (!options.continueOnFail) failed = true;
			return { status: 'failed', itemIndex, error: error as Error };
		}
	});
	assertOneOutcomePerItem.call(this, itemCount, outcomes, options.severalItemsPerJob);
	return outcomes;
}
