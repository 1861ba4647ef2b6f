import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * n8n APIs that an older n8n lacks, feature-detected: the node must run unchanged from n8n 1.123
 * to 2.41. Call these instead of the context methods themselves.
 */

/**
 * Whether n8n runs the node as an AI agent's tool. n8n-core 1.x's execute context has no
 * `isToolExecution()` (calling it throws "is not a function"): there the answer is false.
 */
export function isToolExecution(context: IExecuteFunctions): boolean {
	const method = (context as Partial<Pick<IExecuteFunctions, 'isToolExecution'>>).isToolExecution;
	return typeof method === 'function' ? method.call(context) === true : false;
}
