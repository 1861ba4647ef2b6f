import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { PreparedJob } from '../actions/preparedJob';

/**
 * Turns a prepared job's pending binary uploads into URLs in its body, just before the submit.
 * (Binary inputs are not read yet: this returns the body as it is.)
 */
export async function bodyWithUploads(
	this: IExecuteFunctions,
	job: PreparedJob,
): Promise<IDataObject> {
	return job.body;
}
