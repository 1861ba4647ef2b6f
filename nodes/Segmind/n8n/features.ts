import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/**
 * n8n APIs that an older n8n lacks, feature-detected: the node must run unchanged from n8n 1.123
 * to 2.41. Call these instead of the context methods themselves.
 */

/** The parts of n8n's execute contexts that tell a tool run, each possibly absent. */
interface ToolRunMarkers {
	/** n8n-core 2.x only: true in the SupplyDataContext LangChain uses to run a tool. */
	isToolExecution?: unknown;
	/** n8n-core's SupplyDataContext (1.x and 2.x): `ai_tool` when it runs the node as a tool. */
	connectionType?: unknown;
	getExecuteData?: unknown;
}

/**
 * Whether n8n runs the node as an AI agent's tool. n8n runs a tool node in one of two ways, and
 * this recognises both the way n8n-core itself does:
 *
 * - **LangChain runs the tool** (AI Agent 2.x, and tools of other AI nodes): n8n-core calls the
 *   node in a SupplyDataContext whose connection type is `ai_tool`. n8n-core 2.x asks
 *   `isToolExecution()`, which answers exactly that; n8n-core 1.x has no `isToolExecution()`
 *   (calling it throws "is not a function"), so there the connection type is read directly.
 * - **n8n's engine runs the tool** (AI Agent 3.x: the agent hands its tool calls back to n8n as an
 *   engine request): the node runs in an ordinary ExecuteContext, where `isToolExecution()` is
 *   false. n8n-core marks such a run in its execute data with `metadata.preserveSourceOverwrite`
 *   (n8n-core's `handleRequest`), and reads that same flag as "is tool execution" itself
 *   (`resolveSourceOverwrite` in 2.x, `WorkflowExecute` in 1.x).
 */
export function isToolExecution(context: IExecuteFunctions): boolean {
	const markers = context as unknown as ToolRunMarkers;
	if (typeof markers.isToolExecution === 'function' && markers.isToolExecution.call(context) === true) return true;
	if (markers.connectionType === NodeConnectionTypes.AiTool) return true;
	if (typeof markers.getExecuteData !== 'function') return false;
	const executeData = markers.getExecuteData.call(context) as { metadata?: { preserveSourceOverwrite?: unknown } } | undefined;
	return executeData?.metadata?.preserveSourceOverwrite === true;
}
