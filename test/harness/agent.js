'use strict';
/**
 * A stand-in for n8n's AI Agent node, to run a node as an agent's tool in n8n-core's real engine.
 * It makes exactly one tool call with fixed arguments, in one of the two ways n8n runs tools:
 *
 * - `engine` (AI Agent 3.x): the agent returns an engine request; n8n-core's WorkflowExecute runs
 *   the tool node as an ordinary node (ExecuteContext, `metadata.preserveSourceOverwrite`, the
 *   arguments merged into its input item with `toolCallId`), then resumes the agent with the
 *   tool's task data. The observation is built as the AI Agent 3.x's `buildObservation` does.
 * - `langchain` (AI Agent 2.x): the agent asks n8n-core for its tools (`getInputConnectionData`),
 *   which wraps the node with `createNodeAsTool` and runs it in a SupplyDataContext when invoked.
 *   A tool that throws gives the agent nothing to read (the real agent hands the model an empty
 *   result), recorded here as `threw`.
 *
 * The agent outputs one item: `{ observation, threw?, tool: { name, description, schema } }`.
 */
const { NodeConnectionTypes, nodeNameToToolName } = require('n8n-workflow');

const AGENT_NODE_TYPE = 'n8n-harness.agent';

/**
 * The tool variant of a node type, as n8n's loader makes it for a `usableAsTool` node
 * (n8n's `convertNodeToAiTool`): type name + "Tool", no inputs, one `ai_tool` output.
 * @param {import('n8n-workflow').INodeType} nodeType
 */
function asToolNodeType(nodeType) {
	const description = {
		...nodeType.description,
		name: `${nodeType.description.name}Tool`,
		displayName: `${nodeType.description.displayName} Tool`,
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
	};
	delete description.usableAsTool;
	const tool = Object.create(nodeType);
	tool.description = description;
	return tool;
}

/** AI Agent 3.x's observation of a tool run (its `buildObservation`). */
function observe(taskData) {
	const items = taskData?.data?.ai_tool?.[0]?.map((item) => item?.json);
	if (items && items.length > 0) return JSON.stringify(items);
	if (taskData?.error) return JSON.stringify({ error: taskData.error.message ?? 'Unknown error' });
	return JSON.stringify('');
}

/**
 * @param {{ mode: 'engine' | 'langchain', toolName: string, toolArguments: Record<string, unknown> }} options
 * @returns {import('n8n-workflow').INodeType}
 */
function createAgentNodeType({ mode, toolName, toolArguments }) {
	return {
		description: {
			displayName: 'Harness Agent',
			name: AGENT_NODE_TYPE,
			group: ['transform'],
			version: 1,
			description: 'Calls its one tool once',
			defaults: { name: 'Harness Agent' },
			inputs: [NodeConnectionTypes.Main, { type: NodeConnectionTypes.AiTool, displayName: 'Tool', required: true }],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		/** @this {import('n8n-workflow').IExecuteFunctions} */
		async execute(response) {
			if (mode === 'engine') {
				const answered = response?.actionResponses?.[0];
				if (!answered) {
					return /** @type {any} */ ({
						actions: [
							{
								actionType: 'ExecutionNodeAction',
								nodeName: toolName,
								input: toolArguments,
								type: NodeConnectionTypes.AiTool,
								id: 'call_harness_1',
								metadata: { itemIndex: 0 },
							},
						],
						metadata: {},
					});
				}
				return [[{ json: { observation: observe(answered.data), toolCallId: answered.action.id } }]];
			}
			const [tool] = /** @type {any[]} */ (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0));
			const about = { name: tool.name, description: tool.description, expectedName: nodeNameToToolName(toolName) };
			try {
				const observation = await tool.invoke(toolArguments);
				return [[{ json: { observation, tool: about } }]];
			} catch (error) {
				return [[{ json: { observation: '', threw: String(error?.message ?? error), tool: about } }]];
			}
		},
	};
}

module.exports = { AGENT_NODE_TYPE, asToolNodeType, createAgentNodeType };
