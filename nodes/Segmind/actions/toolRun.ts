import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { failedJobAnswer, failureOf } from './toolAnswer';

/**
 * Runs the node as an AI agent's tool. A failure is the tool's answer, not an error: thrown, it
 * would reach the model as an empty tool result (AI Agent 2.x, where LangChain runs the tool) or
 * stop the whole workflow (AI Agent 3.x, where n8n's engine runs it), and the agent could not tell
 * the user why. So every failure, and every error item Continue On Fail made, comes back as the
 * failed-job answer on the main output. A cancelled execution still ends as n8n expects.
 */
export async function runAsTool(
	this: IExecuteFunctions,
	run: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>,
): Promise<INodeExecutionData[][]> {
	let outputs: INodeExecutionData[][];
	try {
		outputs = await run.call(this);
	} catch (error) {
		// (NodeOperationError keeps an error that already is one as it is)
		if (this.getExecutionCancelSignal()?.aborted === true) throw new NodeOperationError(this.getNode(), error as Error);
		const json = failedJobAnswer(failureOf(error as Error));
		return [this.getInputData().map((_item, item) => ({ json, pairedItem: { item } }))];
	}
	const answers = outputs.flat().map((item): INodeExecutionData => {
		if (item.error === undefined && item.json.error === undefined) return item;
		const { error: message, description, ...context } = item.json as IDataObject;
		return {
			json: failedJobAnswer(failureOf({ message, description, context })),
			...(item.pairedItem !== undefined ? { pairedItem: item.pairedItem } : {}),
		};
	});
	return [answers];
}
