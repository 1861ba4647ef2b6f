import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { SegmindApi } from '../../credentials/SegmindApi.credentials';
import { Segmind } from '../../nodes/Segmind/Segmind.node';
import { startEmulator } from '../emulator';
import { runNode } from '../harness';

export const API_KEY = 'sk-dummy-0123456789abcdef';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type RunOptions = Parameters<typeof runNode>[0];

/** The node as n8n runs it for an AI agent under Agent 2.2: the same code, with isToolExecution() true. */
export class SegmindAsTool extends Segmind {
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const asTool = Object.create(this, { isToolExecution: { value: () => true } }) as IExecuteFunctions;
		return await Segmind.prototype.execute.call(asTool);
	}
}

export async function startTestEmulator(): Promise<Emulator> {
	return await startEmulator({ apiKey: API_KEY, jobDurationMs: 300 });
}

/** Edit parameters as a user would set them, polling fast so tests stay quick. */
export function editParameters(emulator: Emulator, overrides: IDataObject = {}): INodeParameters {
	return {
		resource: 'image',
		operation: 'edit',
		model: 'gpt-image-1-edit-mini',
		prompt: 'Make the sky dramatic',
		imageUrls: [emulator.fixtureUrl('photo.png')],
		options: { pollInterval: 0.2 },
		...overrides,
	} as INodeParameters;
}

/** Runs the real node in n8n-core's engine against the emulator. */
export async function runSegmind(
	emulator: Emulator,
	parameters: INodeParameters,
	options: Partial<RunOptions> & { apiKey?: string; baseUrl?: string } = {},
) {
	const { apiKey = API_KEY, baseUrl = emulator.apiUrl, ...rest } = options;
	return await runNode({
		nodeType: new Segmind(),
		credentialTypes: [new SegmindApi()],
		credentials: { segmindApi: { apiKey, baseUrl } },
		parameters,
		...rest,
	});
}

/** The API key must appear in nothing the node produced and reach no host but the API's. */
export function expectKeyKeptSecret(
	emulator: Emulator,
	run: Awaited<ReturnType<typeof runSegmind>>,
	apiKey = API_KEY,
): void {
	const produced = JSON.stringify({ items: run.items, outputs: run.outputs, error: run.error, runData: run.runData });
	expect(produced).not.toContain(apiKey);
	expect(run.logs.join('\n')).not.toContain(apiKey);
	expect(emulator.imageKeyLeaks()).toEqual([]);
	for (const request of emulator.requests.filter((entry) => entry.origin === 'images')) {
		expect(request.headers['x-api-key']).toBeUndefined();
	}
	for (const request of run.authenticatedRequests) {
		expect(request.url.startsWith(emulator.apiUrl)).toBe(true);
	}
}

/** The node in n8n-core 1.x's execute contexts, which have no isToolExecution() at all. */
export class SegmindInN8n1 extends Segmind {
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const withoutToolCheck = Object.create(this, { isToolExecution: { value: undefined } }) as IExecuteFunctions;
		return await Segmind.prototype.execute.call(withoutToolCheck);
	}
}
