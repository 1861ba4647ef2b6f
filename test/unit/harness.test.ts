/**
 * Proves the in-process harness (test/harness) with a dummy node and a dummy credential:
 * the node runs inside n8n-core's real WorkflowExecute with a real IExecuteFunctions.
 */
import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError, sleep } from 'n8n-workflow';

import { runNode, startEchoServer, testCredential } from '../harness';

type EchoServer = Awaited<ReturnType<typeof startEchoServer>>;

const API_KEY = 'secret-key-123';

class DummyApi implements ICredentialType {
	name = 'dummyApi';

	displayName = 'Dummy API';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.dummy.invalid',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'x-api-key': '={{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/me' },
	};
}

/** What the dummy node saw of the cancel signal (the node runs in-process). */
const cancelObservations: Array<{ hadSignal: boolean; abortEventFired: boolean }> = [];

class Dummy implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dummy',
		name: 'dummy',
		group: ['transform'],
		version: 1,
		description: 'Harness test node',
		defaults: { name: 'Dummy' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'dummyApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Echo', value: 'echo' },
					{ name: 'Fail', value: 'fail' },
					{ name: 'Slow', value: 'slow' },
				],
				default: 'echo',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		const { baseUrl } = await this.getCredentials<{ baseUrl: string }>('dummyApi');

		for (let i = 0; i < items.length; i++) {
			try {
				const operation = this.getNodeParameter('operation', i) as string;
				if (operation === 'fail') {
					throw new NodeOperationError(this.getNode(), 'Dummy failure', { itemIndex: i });
				}
				if (operation === 'slow') {
					const signal = this.getExecutionCancelSignal();
					const seen = { hadSignal: signal !== undefined, abortEventFired: false };
					cancelObservations.push(seen);
					signal?.addEventListener('abort', () => {
						seen.abortEventFired = true;
					});
					try {
						// httpRequestWithAuthentication wires the execution's cancel signal itself
						await this.helpers.httpRequestWithAuthentication.call(this, 'dummyApi', {
							url: `${baseUrl}/slow`,
						});
						out.push({ json: { aborted: false }, pairedItem: { item: i } });
					} catch (error) {
						out.push({
							json: { aborted: signal?.aborted ?? false, message: (error as Error).message },
							pairedItem: { item: i },
						});
					}
					continue;
				}

				const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'dummyApi', {
					url: `${baseUrl}/echo`,
					json: true,
				})) as INodeExecutionData['json'];

				let input: Buffer = Buffer.alloc(0);
				if (items[i].binary?.data) {
					this.helpers.assertBinaryData(i, 'data');
					input = await this.helpers.getBinaryDataBuffer(i, 'data');
				}
				const binary = await this.helpers.prepareBinaryData(
					Buffer.concat([Buffer.from('echo:'), input]),
					'echo.bin',
					'application/octet-stream',
				);
				this.logger.info(`dummy: item ${i} done`);
				out.push({ json: response, binary: { data: binary }, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				// NodeOperationError returns an existing NodeOperationError unchanged
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
			}
		}
		return [out];
	}
}

describe('test harness (n8n-core WorkflowExecute in-process)', () => {
	let server: EchoServer;

	beforeAll(async () => {
		server = await startEchoServer({
			handler: (req) => {
				if (req.path === '/slow') return { delayMs: 10_000, body: { slow: true } };
				if (req.path === '/me') {
					return req.headers['x-api-key'] === API_KEY
						? { body: { id: 1 } }
						: { status: 401, body: { message: 'invalid key' } };
				}
				return undefined; // default: echo the request as JSON
			},
		});
	});

	afterAll(async () => {
		await server.close();
	});

	const base = () => ({
		nodeType: new Dummy(),
		credentialTypes: [new DummyApi()],
		credentials: { dummyApi: { apiKey: API_KEY, baseUrl: server.url } },
		nodeName: 'Dummy',
	});

	it('applies the generic authenticate header with the resolved key, only to the API host', async () => {
		const result = await runNode({ ...base(), parameters: { operation: 'echo' } });

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(1);
		const echoed = result.items[0].json as { path: string; headers: Record<string, string> };
		expect(echoed.path).toBe('/echo');
		expect(echoed.headers['x-api-key']).toBe(API_KEY);
		expect(server.requests.at(-1)?.headers['x-api-key']).toBe(API_KEY);

		expect(result.authenticatedRequests).toEqual([
			{ url: `${server.url}/echo`, method: 'GET', credentialType: 'dummyApi' },
		]);
		for (const request of result.authenticatedRequests) {
			expect(new URL(request.url).host).toBe(new URL(server.url).host);
		}
		result.dispose();
	});

	it.each(['filesystem', 'default'] as const)(
		'round-trips binary data in %s mode through n8n helpers',
		async (binaryMode) => {
			const input = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
			const result = await runNode({
				...base(),
				binaryMode,
				parameters: { operation: 'echo' },
				items: [
					{
						json: { n: 1 },
						binary: { data: { buffer: input, fileName: 'in.png', mimeType: 'image/png' } },
					},
				],
			});

			expect(result.error).toBeUndefined();
			const sourceItem = result.runData['Harness Source'][0].data!.main[0]![0];
			const outBinary = result.items[0].binary!.data;
			if (binaryMode === 'filesystem') {
				expect(sourceItem.binary!.data.id).toMatch(/^filesystem-v2:/);
				expect(outBinary.id).toMatch(/^filesystem-v2:workflows\/.+\/binary_data\//);
			} else {
				expect(sourceItem.binary!.data.id).toBeUndefined();
				expect(outBinary.id).toBeUndefined();
				expect(outBinary.data).toBe(Buffer.concat([Buffer.from('echo:'), input]).toString('base64'));
			}
			expect(outBinary).toMatchObject({ fileName: 'echo.bin', mimeType: 'application/octet-stream' });

			expect(await result.getBinaryBuffer(sourceItem)).toEqual(input);
			expect(await result.getBinaryBuffer(result.items[0], 'data')).toEqual(
				Buffer.concat([Buffer.from('echo:'), input]),
			);
			result.dispose();
		},
	);

	it('surfaces a thrown NodeOperationError as the execution error', async () => {
		const result = await runNode({ ...base(), parameters: { operation: 'fail' } });

		expect(result.status).toBe('error');
		expect(result.items).toEqual([]);
		expect(result.error).toMatchObject({ name: 'NodeOperationError', message: 'Dummy failure' });
		expect(result.runData.Dummy[0].error?.message).toBe('Dummy failure');
		expect(result.runData.Dummy[0].executionStatus).toBe('error');
	});

	it('with continueOnFail, returns error items with pairedItem', async () => {
		const result = await runNode({
			...base(),
			continueOnFail: true,
			parameters: { operation: 'fail' },
			items: [{ json: { a: 1 } }, { json: { a: 2 } }],
		});

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.items).toEqual([
			{ json: { error: 'Dummy failure' }, pairedItem: { item: 0 } },
			{ json: { error: 'Dummy failure' }, pairedItem: { item: 1 } },
		]);
	});

	it('cancelAfterMs fires the execution cancel signal inside the node', async () => {
		cancelObservations.length = 0;
		const started = Date.now();
		const result = await runNode({ ...base(), parameters: { operation: 'slow' }, cancelAfterMs: 150 });

		expect(Date.now() - started).toBeLessThan(5000);
		expect(result.cancelled).toBe(true);
		expect(result.nodeStillRunning).toBe(false);
		expect(result.status).toBe('canceled');
		expect(cancelObservations).toEqual([{ hadSignal: true, abortEventFired: true }]);
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.aborted).toBe(true);

		await sleep(50); // let the server notice the dropped connection
		expect(server.aborted.some((r) => r.path === '/slow')).toBe(true);
	});

	it('captures logs from the node and from the engine', async () => {
		const result = await runNode({
			...base(),
			parameters: { operation: 'echo' },
			items: [{ json: {} }, { json: {} }],
		});

		expect(result.logs).toEqual(
			expect.arrayContaining(['info: dummy: item 0 done', 'info: dummy: item 1 done']),
		);
		expect(result.logs.some((line) => line.startsWith('debug: Workflow execution started'))).toBe(true);
		expect(result.logs.some((line) => line.includes('Running node "Dummy" finished successfully'))).toBe(
			true,
		);
	});

	describe('testCredential', () => {
		it('returns OK for a good key', async () => {
			const result = await testCredential({
				credentialType: new DummyApi(),
				data: { apiKey: API_KEY, baseUrl: server.url },
			});
			expect(result).toMatchObject({ status: 'OK', message: 'Connection successful!' });
			expect(result.authenticatedRequests).toEqual([
				{ url: `${server.url}/me`, method: 'GET', credentialType: 'dummyApi' },
			]);
		});

		it('returns Error for a bad key', async () => {
			const result = await testCredential({
				credentialType: new DummyApi(),
				data: { apiKey: 'wrong', baseUrl: server.url },
			});
			expect(result.status).toBe('Error');
			expect(result.message).toEqual(expect.any(String));
			expect(result.message.length).toBeGreaterThan(0);
			for (const request of result.authenticatedRequests) {
				expect(request.url).toBe(`${server.url}/me`);
			}
		});
	});
});
