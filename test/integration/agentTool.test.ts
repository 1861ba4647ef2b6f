import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { MAX_TOOL_ANSWER_CHARS } from '../../nodes/Segmind/actions/toolAnswer';
import type { Segmind } from '../../nodes/Segmind/Segmind.node';
import { API_KEY, expectKeyKeptSecret, runSegmind, SegmindInN8n1, startTestEmulator } from './setup';
import type { Emulator } from './setup';

/**
 * The node as an AI agent's tool, in n8n-core's real engine: a stand-in agent (test/harness/agent.js)
 * calls it once, either as AI Agent 3.x does (an engine request: n8n runs the tool node as an
 * ordinary node) or as AI Agent 2.x does (LangChain invokes the tool n8n-core built from the node).
 * The real agents, chat model and n8n versions are proven by the e2e suite (test/e2e).
 */

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startTestEmulator();
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => emulator.reset());

const jobs = () => [...emulator.jobs.values()];

const generate = {
	resource: 'image',
	operation: 'generate',
	model: 'gpt-image-1-mini',
	prompt: "={{ $fromAI('prompt', 'What the image shows', 'string') }}",
	options: { pollInterval: 0.2 },
};

type Mode = 'engine' | 'langchain';

async function callTool(mode: Mode, prompt: string, options: { nodeType?: Segmind; parameters?: IDataObject } = {}) {
	const run = await runSegmind(emulator, { ...generate, ...options.parameters } as never, {
		agent: { mode, toolArguments: { prompt } },
		...(options.nodeType ? { nodeType: options.nodeType } : {}),
	});
	expect(run.error).toBeUndefined();
	expect(run.agentOutput).toHaveLength(1);
	const seen = (run.agentOutput as INodeExecutionData[])[0].json;
	expect(seen.threw).toBeUndefined();
	const observation = String(seen.observation);
	expect(observation.length).toBeLessThan(MAX_TOOL_ANSWER_CHARS);
	expect(observation).not.toContain(API_KEY);
	const parsed = JSON.parse(observation) as IDataObject[];
	expect(parsed).toHaveLength(1);
	return { run, observation, answer: parsed[0] };
}

describe.each<[string, Mode]>([
	['AI Agent 3.x (n8n runs the tool node)', 'engine'],
	['AI Agent 2.x (LangChain runs the tool)', 'langchain'],
])('as the tool of %s', (_name, mode) => {
	it('answers compact JSON with the image URL, one submit, nothing downloaded', async () => {
		const { run, answer } = await callTool(mode, 'A red fox in the snow');
		expect(jobs()).toHaveLength(1);
		const [job] = jobs();
		expect(job.body.prompt).toBe('A red fox in the snow');
		expect(answer).toEqual({
			status: 'COMPLETED',
			requestId: job.id,
			model: 'gpt-image-1-mini',
			imageUrls: [expect.stringContaining(emulator.imageUrl)],
			inferenceTime: expect.any(Number),
			elapsedSeconds: expect.any(Number),
		});
		expect(emulator.requests.filter((request) => request.origin === 'images')).toHaveLength(0);
		expect(run.items.every((item) => item.binary === undefined)).toBe(true);
		expectKeyKeptSecret(emulator, run);
	});

	it("answers a FAILED job with Segmind's reason and the request id, as text the model can read", async () => {
		const { answer, observation } = await callTool(mode, 'A fox [emu:fail=content_policy_violation: no foxes today]');
		const [job] = jobs();
		expect(answer).toEqual({
			status: 'FAILED',
			error: `Segmind job ${job.id} failed: content_policy_violation: no foxes today`,
			requestId: job.id,
			model: 'gpt-image-1-mini',
			httpCode: '422',
			advice: expect.any(String),
		});
		expect(observation).toContain(job.id);
	});

	it('answers input it cannot take without submitting anything', async () => {
		const { answer } = await callTool(mode, '   ');
		expect(jobs()).toHaveLength(0);
		expect(answer).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/^"Prompt" is empty/) });
	});

	it('answers the same with Output: URL Only; Binary Image downloads the file as asked', async () => {
		const { answer } = await callTool(mode, 'A fox', { parameters: { options: { pollInterval: 0.2, outputMode: 'url' } } });
		expect(Object.keys(answer).sort()).toEqual(['elapsedSeconds', 'imageUrls', 'inferenceTime', 'model', 'requestId', 'status']);
		emulator.reset();
		const { run } = await callTool(mode, 'A fox', { parameters: { options: { pollInterval: 0.2, outputMode: 'binary' } } });
		expect(emulator.requests.filter((request) => request.origin === 'images')).toHaveLength(1);
		if (mode === 'engine') expect(run.items[0].binary?.data.mimeType).toBe('image/png');
	});

	it("knows it runs as a tool in n8n-core 1.x's contexts too (no isToolExecution)", async () => {
		const { answer } = await callTool(mode, 'A fox', { nodeType: new SegmindInN8n1() });
		expect(answer).toMatchObject({ status: 'COMPLETED', requestId: jobs()[0].id });
	});
});

describe('with "Continue (using error output)" set on the tool', () => {
	const failing = (mode: Mode) =>
		runSegmind(emulator, { ...generate } as never, {
			agent: { mode, toolArguments: { prompt: 'A fox [emu:fail]' } },
			continueOnFail: 'continueErrorOutput',
		});

	it('AI Agent 2.x still reads the failure as the answer', async () => {
		const run = await failing('langchain');
		const answer = JSON.parse(String((run.agentOutput as INodeExecutionData[])[0].json.observation)) as IDataObject[];
		expect(answer).toEqual([expect.objectContaining({ status: 'FAILED', requestId: jobs()[0].id })]);
	});

	it("AI Agent 3.x gets nothing: n8n-core replaces a tool's only output with its (empty) error output", async () => {
		// (WorkflowExecute.handleNodeErrorOutput: a tool variant has no main output to keep);
		// the README tells users to leave On Error alone on the tool
		const run = await failing('engine');
		expect((run.agentOutput as INodeExecutionData[])[0].json.observation).toBe('""');
		expect(jobs()[0].state).toBe('FAILED');
	});
});

describe('not as a tool', () => {
	it('the same parameters after an ordinary node give the full JSON and the image as binary', async () => {
		const run = await runSegmind(emulator, { ...generate, prompt: 'A red fox' } as never);
		expect(run.error).toBeUndefined();
		expect(run.items[0].binary?.data.mimeType).toBe('image/png');
		expect(run.items[0].json.parameters).toMatchObject({ prompt: 'A red fox' });
	});
});
