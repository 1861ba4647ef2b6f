import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { JobOptions } from '../description/commonOptions';
import { readJobOptions } from '../description/commonOptions';
import { asItemError } from '../transport/errors';

/**
 * Reading an item's input, as every operation does before the run's first request: the error an
 * item's bad input becomes, its checked Options, and the loop that reads every item first.
 */

/** An input error: names the field and the item, and says nothing was spent. */
export function invalidInputError(this: IExecuteFunctions, itemIndex: number, message: string): NodeOperationError {
	return new NodeOperationError(this.getNode(), `${message} [item ${itemIndex}]`, {
		itemIndex,
		description: 'Nothing was sent to Segmind for this item, so no credit was spent.',
	});
}

/**
 * What fails while an item is read (the node's own checks, or an expression n8n could not
 * evaluate), as the item's input error.
 */
function asInputError(this: IExecuteFunctions, itemIndex: number, error: unknown): NodeOperationError {
	if (error instanceof NodeOperationError && error.message.endsWith(`[item ${itemIndex}]`)) return error;
	return invalidInputError.call(this, itemIndex, error instanceof Error ? error.message : String(error));
}

/** Runs an item's reading; what fails there becomes the item's input error. */
export async function readItemInput<T>(this: IExecuteFunctions, itemIndex: number, read: () => T | Promise<T>): Promise<T> {
	try {
		return await read();
	} catch (error) {
		throw asInputError.call(this, itemIndex, error);
	}
}

/** The item's Options, checked (see readJobOptions). `startsJobs`: the operation submits jobs (it has Run Mode and Timeout). */
export function itemJobOptions(this: IExecuteFunctions, itemIndex: number, startsJobs = true): JobOptions {
	try {
		return readJobOptions(this.getNodeParameter('options', itemIndex, {}), startsJobs);
	} catch (error) {
		throw asInputError.call(this, itemIndex, error);
	}
}

/**
 * Reads every item, one after the other, before anything is sent: a bad item stops the run before
 * any request (and so before any job is paid for), or, with Continue On Fail, becomes that item's
 * error while the others go on.
 */
export async function readEachItem<T>(
	this: IExecuteFunctions,
	itemCount: number,
	read: (this: IExecuteFunctions, itemIndex: number) => T | Promise<T>,
): Promise<Array<T | Error>> {
	const results: Array<T | Error> = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			results.push(await read.call(this, itemIndex));
		} catch (error) {
			if (!this.continueOnFail()) throw asItemError(this.getNode(), error, itemIndex);
			results.push(error as Error);
		}
	}
	return results;
}
