import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { JobOptions } from '../description/commonOptions';
import { readJobOptions } from '../description/commonOptions';
import { invalidItemInputError, namesItem } from '../shared/errors';

/**
 * Reading an item's input, as every operation does before the run's first request: the error an
 * item's bad input becomes and its checked Options (the runner reads every item first).
 */

/** An input error: names the field and the item, and says nothing was spent. */
export function invalidInputError(this: IExecuteFunctions, itemIndex: number, message: string): NodeOperationError {
	return invalidItemInputError(this.getNode(), itemIndex, message);
}

/**
 * What fails while an item is read (the node's own checks, or an expression n8n could not
 * evaluate), as the item's input error.
 */
function asInputError(this: IExecuteFunctions, itemIndex: number, error: unknown): NodeOperationError {
	if (error instanceof NodeOperationError && namesItem(error.message)) return error;
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
