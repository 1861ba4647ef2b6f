'use strict';
/**
 * In-process n8n node test harness.
 *
 * `runNode()` builds a two-node workflow — harness source node → node under test — and runs it
 * with n8n-core's real `WorkflowExecute`, so the node's `execute()` gets a real
 * `ExecuteContext` (`IExecuteFunctions`): real `helpers.httpRequest`,
 * `helpers.httpRequestWithAuthentication`, `prepareBinaryData`, `getBinaryDataBuffer`,
 * `assertBinaryData`, `continueOnFail`, `getExecutionCancelSignal`, paired items, error handling.
 * Only what n8n's CLI package would provide is written here: the credentials helper
 * (./credentials-helper.js), the node types registry (./node-types.js), `additionalData` and
 * lifecycle hooks, and the DI container set-up (./n8n-env.js).
 *
 * `testCredential()` tests a credential's declarative `test.request` the way the CLI's
 * `CredentialsTester` does: a temporary node type whose only property routes the test request,
 * run through n8n-core's `RoutingNode` + `ExecuteContext` (so expressions are resolved by the real
 * Expression engine, `authenticate` is applied by the credentials helper and the request is sent
 * with n8n-core's `httpRequest`), non-2xx → `Error`.
 */
const path = require('node:path');
const { randomUUID } = require('node:crypto');

const core = require('n8n-core');
const {
	Workflow,
	UnexpectedError,
	createDeferredPromise,
	createRunExecutionData,
} = require('n8n-workflow');

const {
	Container,
	captureLogger,
	withLogCapture,
	ensureN8nEnvironment,
	createBinaryDataService,
	installBinaryDataService,
	makeTempDir,
	removeDir,
} = require('./n8n-env');
const { HarnessCredentialsHelper } = require('./credentials-helper');
const { HarnessNodeTypes, createSourceNodeType, SOURCE_NODE_TYPE } = require('./node-types');
const { startEchoServer } = require('./echo-server');
const { AGENT_NODE_TYPE, asToolNodeType, createAgentNodeType } = require('./agent');

/**
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').IVersionedNodeType} IVersionedNodeType
 * @typedef {import('n8n-workflow').ICredentialType} ICredentialType
 * @typedef {import('n8n-workflow').ICredentialDataDecryptedObject} ICredentialDataDecryptedObject
 * @typedef {import('n8n-workflow').INodeParameters} INodeParameters
 * @typedef {import('n8n-workflow').INodeExecutionData} INodeExecutionData
 * @typedef {import('n8n-workflow').INode} INode
 * @typedef {import('n8n-workflow').IRun} IRun
 * @typedef {import('n8n-workflow').IRunData} IRunData
 * @typedef {import('n8n-workflow').ITaskData} ITaskData
 * @typedef {import('n8n-workflow').ExecutionError} ExecutionError
 * @typedef {import('n8n-workflow').ExecutionStatus} ExecutionStatus
 * @typedef {import('n8n-workflow').WorkflowExecuteMode} WorkflowExecuteMode
 * @typedef {import('n8n-workflow').IWorkflowSettings} IWorkflowSettings
 * @typedef {import('n8n-workflow').IWorkflowExecuteAdditionalData} IWorkflowExecuteAdditionalData
 * @typedef {import('n8n-workflow').INodeCredentialTestResult} INodeCredentialTestResult
 * @typedef {import('./node-types').HarnessInputItem} HarnessInputItem
 * @typedef {import('./credentials-helper').AuthenticatedRequest} AuthenticatedRequest
 * @typedef {import('./n8n-env').LogEntry} LogEntry
 */

/**
 * @typedef {object} RunNodeOptions
 * @property {INodeType | IVersionedNodeType} nodeType The node type under test (class instance).
 * @property {ICredentialType[]} [credentialTypes] Credential types the node may use.
 * @property {Record<string, ICredentialDataDecryptedObject>} [credentials] Decrypted data per
 *   credential type name; each entry is also selected on the node (`node.credentials[type]`).
 * @property {INodeParameters} [parameters] Node parameters (defaults are filled in by `Workflow`, like n8n).
 * @property {HarnessInputItem[]} [items] Input items (default `[{ json: {} }]`).
 * @property {'filesystem'|'default'} [binaryMode] n8n binary data mode (default `'filesystem'`, n8n 2.x default).
 * @property {boolean | 'continueRegularOutput' | 'continueErrorOutput'} [continueOnFail] `true` →
 *   `node.onError = 'continueRegularOutput'` (n8n's "On Error: Continue"); `'continueErrorOutput'`
 *   adds n8n's error output (then `outputs[1]` holds the error items).
 * @property {number} [cancelAfterMs] Cancel the execution after N ms (n8n's Stop button:
 *   `PCancelable.cancel()` → the engine's AbortController fires `getExecutionCancelSignal()`).
 * @property {number} [cancelGraceMs] After cancelling, how long to wait for the node to return
 *   before giving up on it (default 5000). n8n itself does not wait for a node that ignores the signal.
 * @property {string} [nodeName] Default `'Segmind'`.
 * @property {number} [typeVersion] Default: the node's latest version (`defaultVersion` for versioned nodes).
 * @property {string} [nodeTypeName] Full node type name; default `<package name>.<description.name>`.
 * @property {WorkflowExecuteMode} [mode] Execution mode (default `'manual'`, i.e. "Execute workflow" in the editor).
 * @property {Partial<INode>} [node] Extra node settings (e.g. `{ retryOnFail: true, alwaysOutputData: true }`).
 * @property {IWorkflowSettings} [workflowSettings] Merged over `{ executionOrder: 'v1' }`.
 * @property {{ mode: 'engine' | 'langchain', toolArguments: Record<string, unknown> }} [agent] Run the
 *   node as the tool of a stand-in AI agent (./agent.js) instead of after the source node: `engine`
 *   as AI Agent 3.x has n8n run it, `langchain` as AI Agent 2.x does. The node is then its tool
 *   variant (`<type>Tool`); `agentOutput` holds what the agent observed.
 */

/**
 * @typedef {object} RunNodeResult
 * @property {INodeExecutionData[]} items The node's first output (`main[0]`), `[]` if none.
 * @property {INodeExecutionData[][]} outputs All main outputs of the node.
 * @property {ExecutionError | undefined} error The execution error as n8n recorded it (`resultData.error`).
 * @property {ExecutionError | undefined} nodeError The error recorded on the node's task data.
 * @property {ExecutionStatus} status Final execution status ('success' | 'error' | 'canceled' | …).
 * @property {boolean} cancelled Whether `cancelAfterMs` fired.
 * @property {boolean} nodeStillRunning True if the node ignored the cancel signal for `cancelGraceMs`.
 * @property {IRunData} runData Full run data.
 * @property {ITaskData | undefined} taskData The node's (last) task data.
 * @property {IRun} run The full IRun returned by WorkflowExecute.
 * @property {string[]} logs Every line logged through n8n's Logger/LoggerProxy during the run.
 * @property {LogEntry[]} logEntries Same, structured.
 * @property {AuthenticatedRequest[]} authenticatedRequests Requests that went through `authenticate`.
 * @property {Array<{ type: string, data: ICredentialDataDecryptedObject }>} credentialUpdates Credential writes (preAuthentication / OAuth).
 * @property {string} executionId
 * @property {string} binaryDataDir The run's binary data folder (filesystem mode).
 * @property {(item: INodeExecutionData, propertyName?: string) => Promise<Buffer>} getBinaryBuffer
 *   Read an item's binary through n8n's BinaryDataService (works in both modes).
 * @property {() => void} dispose Delete the run's temp folder.
 * @property {INodeExecutionData[]} [agentOutput] With `agent`: the stand-in agent's output items.
 */

const PACKAGE_NAME = (() => {
	try {
		return String(require(path.join(__dirname, '..', '..', 'package.json')).name);
	} catch {
		return 'CUSTOM';
	}
})();

const SOURCE_NODE_NAME = 'Harness Source';
const AGENT_NODE_NAME = 'Harness Agent';

/** temp folders not yet disposed @type {Set<string>} */
const liveDirs = new Set();

/** Delete every temp folder this module created and has not disposed yet. */
function disposeAll() {
	for (const dir of liveDirs) removeDir(dir);
	liveDirs.clear();
}

// Clean up automatically: after the jest test file if we are in one, else at process exit.
(function registerCleanup() {
	const g = /** @type {any} */ (globalThis);
	if (typeof g.afterAll === 'function') {
		try {
			g.afterAll(disposeAll);
			return;
		} catch {
			/* loaded inside a test: fall through */
		}
	}
	process.once('exit', disposeAll);
})();

/** runNode calls are serialised: the Container's BinaryDataService is per run. */
let queue = Promise.resolve();
let executionCounter = 0;

/**
 * @param {INodeType | IVersionedNodeType} nodeType
 * @returns {number}
 */
function latestVersion(nodeType) {
	const description = /** @type {any} */ (nodeType.description);
	if ('nodeVersions' in nodeType) {
		return description.defaultVersion ?? /** @type {any} */ (nodeType).currentVersion;
	}
	const v = description.version;
	return Array.isArray(v) ? Math.max(...v) : (v ?? 1);
}

/**
 * @param {string} executionId
 * @param {string} workflowId
 * @param {HarnessCredentialsHelper} credentialsHelper
 * @param {import('n8n-core').ExecutionLifecycleHooks} [hooks]
 * @returns {IWorkflowExecuteAdditionalData}
 */
function buildAdditionalData(executionId, workflowId, credentialsHelper, hooks) {
	const base = 'http://localhost:5678';
	return /** @type {IWorkflowExecuteAdditionalData} */ ({
		credentialsHelper,
		hooks,
		executionId,
		workflowId,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		variables: {},
		userId: 'harness-user',
		executeWorkflow: async () => {
			throw new UnexpectedError('executeWorkflow is not supported by the harness');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new UnexpectedError('Task runners are not supported by the harness');
		},
		getRunnerStatus: () => ({ available: false, reason: 'harness' }),
	});
}

/**
 * Run `nodeType` in a real n8n-core workflow execution (source node → node under test).
 * @param {RunNodeOptions} options
 * @returns {Promise<RunNodeResult>}
 */
function runNode(options) {
	const result = queue.then(() => runNodeNow(options));
	queue = result.then(
		() => undefined,
		() => undefined,
	);
	return result;
}

/**
 * @param {RunNodeOptions} options
 * @returns {Promise<RunNodeResult>}
 */
async function runNodeNow({
	nodeType,
	credentialTypes = [],
	credentials = {},
	parameters = {},
	items = [{ json: {} }],
	binaryMode = 'filesystem',
	continueOnFail = false,
	cancelAfterMs,
	cancelGraceMs = 5000,
	nodeName = 'Segmind',
	typeVersion,
	nodeTypeName,
	mode = 'manual',
	node: nodeOverrides = {},
	workflowSettings = {},
	agent,
}) {
	if (!nodeType?.description) throw new UnexpectedError('runNode: nodeType (an INodeType instance) is required');
	if (binaryMode !== 'filesystem' && binaryMode !== 'default') {
		throw new UnexpectedError(`runNode: unsupported binaryMode "${binaryMode}"`);
	}
	ensureN8nEnvironment();

	const tmpDir = makeTempDir('run');
	liveDirs.add(tmpDir);
	const dispose = () => {
		removeDir(tmpDir);
		liveDirs.delete(tmpDir);
	};

	try {
		const binaryDataDir = path.join(tmpDir, 'binary-data');
		const binary = await createBinaryDataService(binaryMode, binaryDataDir);
		installBinaryDataService(binary);

		const credentialsHelper = new HarnessCredentialsHelper({ credentialTypes, credentials });

		const description = /** @type {{ name: string }} */ (nodeType.description);
		const fullTypeName =
			nodeTypeName ?? (description.name.includes('.') ? description.name : `${PACKAGE_NAME}.${description.name}`);
		const testTypeName = agent ? `${fullTypeName}Tool` : fullTypeName;
		const nodeTypes = new HarnessNodeTypes({
			[SOURCE_NODE_TYPE]: createSourceNodeType(items),
			[testTypeName]: agent ? asToolNodeType(/** @type {INodeType} */ (nodeType)) : nodeType,
			...(agent ? { [AGENT_NODE_TYPE]: createAgentNodeType({ ...agent, toolName: nodeName }) } : {}),
		});

		/** @type {(name: string, type: string, position: [number, number]) => INode} */
		const harnessNode = (name, type, position) => ({ id: randomUUID(), name, type, typeVersion: 1, position, parameters: {} });
		const sourceNode = harnessNode(SOURCE_NODE_NAME, SOURCE_NODE_TYPE, [0, 0]);
		/** @type {INode} */
		const testNode = {
			id: randomUUID(),
			name: nodeName,
			type: testTypeName,
			typeVersion: typeVersion ?? latestVersion(nodeType),
			position: [220, 0],
			parameters: structuredClone(parameters),
			...nodeOverrides,
		};
		const credentialNames = Object.keys(credentials);
		if (credentialNames.length) {
			testNode.credentials = Object.fromEntries(
				credentialNames.map((name, i) => [name, { id: String(i + 1), name: `${name} account` }]),
			);
		}
		if (continueOnFail) {
			testNode.onError = continueOnFail === true ? 'continueRegularOutput' : continueOnFail;
		}

		const workflowId = `harness-wf-${++executionCounter}`;
		const executionId = String(executionCounter);
		const agentNode = harnessNode(AGENT_NODE_NAME, AGENT_NODE_TYPE, [220, 0]);
		const connections = agent
			? {
					[SOURCE_NODE_NAME]: { main: [[{ node: AGENT_NODE_NAME, type: /** @type {const} */ ('main'), index: 0 }]] },
					[nodeName]: { ai_tool: [[{ node: AGENT_NODE_NAME, type: /** @type {const} */ ('ai_tool'), index: 0 }]] },
				}
			: {
					[SOURCE_NODE_NAME]: { main: [[{ node: nodeName, type: /** @type {const} */ ('main'), index: 0 }]] },
				};
		const workflowNodes = agent ? [sourceNode, agentNode, testNode] : [sourceNode, testNode];
		/** @type {IWorkflowSettings} */
		const settings = { executionOrder: 'v1', ...workflowSettings };
		const workflow = new Workflow({
			id: workflowId,
			name: 'Harness workflow',
			nodes: workflowNodes,
			connections,
			active: false,
			nodeTypes,
			settings,
		});

		const hooks = new core.ExecutionLifecycleHooks(mode, executionId, /** @type {any} */ ({
			id: workflowId,
			name: 'Harness workflow',
			active: false,
			isArchived: false,
			activeVersionId: null,
			nodes: workflowNodes,
			connections,
			settings,
			createdAt: new Date(),
			updatedAt: new Date(),
		}));
		/** @type {ReturnType<typeof createDeferredPromise<IRun>>} */
		const afterHook = createDeferredPromise();
		hooks.addHandler('workflowExecuteAfter', (fullRunData) => afterHook.resolve(fullRunData));

		const additionalData = buildAdditionalData(executionId, workflowId, credentialsHelper, hooks);
		const workflowExecute = new core.WorkflowExecute(additionalData, mode);

		// Same check n8n's manual execution makes first; report the issues readably.
		const issues = workflowExecute.checkReadyForExecution(workflow, { startNode: SOURCE_NODE_NAME });
		if (issues !== null) {
			throw new UnexpectedError(`The workflow has issues: ${JSON.stringify(issues)}`);
		}

		/** @type {{ entries: LogEntry[] }} */
		const sink = { entries: [] };
		let cancelled = false;
		let nodeStillRunning = false;

		const run = await withLogCapture(sink, async () => {
			const execution = workflowExecute.run({
				workflow,
				startNode: /** @type {INode} */ (workflow.getNode(SOURCE_NODE_NAME)),
			});
			/** @type {NodeJS.Timeout | undefined} */
			let cancelTimer;
			/** @type {NodeJS.Timeout | undefined} */
			let graceTimer;
			/** @type {Promise<IRun>} */
			const cancelledFallback = new Promise((resolve) => {
				if (cancelAfterMs === undefined) return;
				cancelTimer = setTimeout(() => {
					cancelled = true;
					execution.cancel();
					// the engine resolves once the running node returns; if it ignores the
					// signal, fall back to the run data n8n reports at cancel time
					graceTimer = setTimeout(() => {
						nodeStillRunning = true;
						void afterHook.promise.then(resolve);
					}, cancelGraceMs);
				}, cancelAfterMs);
			});
			try {
				return await Promise.race([execution, cancelledFallback]);
			} finally {
				clearTimeout(cancelTimer);
				clearTimeout(graceTimer);
			}
		});

		const { runData } = run.data.resultData;
		const nodeRuns = runData[nodeName] ?? [];
		const taskData = nodeRuns[nodeRuns.length - 1];
		// a tool's output is logged under ai_tool (n8n-core's rewireOutputLogTo, or the SupplyDataContext)
		const outputs = /** @type {INodeExecutionData[][]} */ (
			(taskData?.data?.main ?? taskData?.data?.ai_tool ?? []).map((o) => o ?? [])
		);
		const agentRuns = runData[AGENT_NODE_NAME] ?? [];
		const agentOutput = agent ? (agentRuns[agentRuns.length - 1]?.data?.main?.[0] ?? []) : undefined;

		return {
			items: outputs[0] ?? [],
			outputs,
			error: run.data.resultData.error,
			nodeError: taskData?.error,
			status: run.status,
			cancelled,
			nodeStillRunning,
			runData,
			taskData,
			run,
			logs: sink.entries.map((e) => e.line),
			logEntries: sink.entries,
			authenticatedRequests: credentialsHelper.authenticatedRequests,
			credentialUpdates: credentialsHelper.updates,
			executionId,
			binaryDataDir,
			async getBinaryBuffer(item, propertyName = 'data') {
				const binaryData = item?.binary?.[propertyName];
				if (!binaryData) {
					throw new UnexpectedError(`Item has no binary property "${propertyName}"`);
				}
				return await binary.service.getAsBuffer(binaryData);
			},
			dispose,
			...(agentOutput ? { agentOutput } : {}),
		};
	} catch (error) {
		dispose();
		throw error;
	}
}

/**
 * @typedef {object} TestCredentialOptions
 * @property {ICredentialType} credentialType The credential type (with a declarative `test`).
 * @property {ICredentialDataDecryptedObject} data The credential data as a user would enter it.
 * @property {ICredentialType[]} [credentialTypes] Extra (parent) credential types.
 */

/**
 * @typedef {INodeCredentialTestResult & {
 *   authenticatedRequests: AuthenticatedRequest[],
 *   logs: string[],
 * }} TestCredentialResult
 */

/**
 * Test a credential like n8n's "Test credential" button (CLI `CredentialsTester`).
 * @param {TestCredentialOptions} options
 * @returns {Promise<TestCredentialResult>}
 */
async function testCredential({ credentialType, data, credentialTypes = [] }) {
	ensureN8nEnvironment();
	const typeName = credentialType.name;
	const credentialsHelper = new HarnessCredentialsHelper({
		credentialTypes: [credentialType, ...credentialTypes],
		credentials: { [typeName]: data },
	});
	/** @type {{ entries: LogEntry[] }} */
	const sink = { entries: [] };

	/** @param {INodeCredentialTestResult} r @returns {TestCredentialResult} */
	const finish = (r) => ({
		...r,
		authenticatedRequests: credentialsHelper.authenticatedRequests,
		logs: sink.entries.map((e) => e.line),
	});

	return finish(
		await withLogCapture(sink, async () => {
			const testRequest = credentialType.test;
			if (!testRequest) {
				return { status: 'Error', message: 'No testing function found for this credential.' };
			}

			const additionalData = buildAdditionalData(`cred-test-${++executionCounter}`, 'cred-test', credentialsHelper);
			const mode = 'internal';

			/** @type {import('n8n-workflow').ICredentialsDecrypted} */
			const credentialsDecrypted = { id: 'harness-credential', name: `${typeName} account`, type: typeName, data };
			try {
				credentialsDecrypted.data = await credentialsHelper.applyDefaultsAndOverwrites(
					additionalData,
					data,
					typeName,
					mode,
				);
			} catch (error) {
				captureLogger.debug('Credential test failed', { error });
				return { status: 'Error', message: String(error.message) };
			}

			// The CLI uses n8n-nodes-base.noOp's description as the carrier node type.
			/** @type {INodeType} */
			const nodeTypeCopy = {
				description: {
					displayName: 'No Operation, do nothing',
					name: 'n8n-nodes-base.noOp',
					group: ['organization'],
					version: 1,
					description: 'No Operation',
					defaults: { name: 'No Operation, do nothing' },
					inputs: ['main'],
					outputs: ['main'],
					credentials: [{ name: typeName, required: true }],
					properties: [
						{
							displayName: 'Temp',
							name: 'temp',
							type: 'string',
							routing: { request: testRequest.request },
							default: '',
						},
					],
				},
			};
			/** @type {INode} */
			const node = {
				id: 'temp',
				parameters: {},
				name: 'Temp-Node',
				type: nodeTypeCopy.description.name,
				typeVersion: 1,
				position: [0, 0],
				credentials: { [typeName]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name } },
			};
			const workflow = new Workflow({
				nodes: [node],
				connections: {},
				active: false,
				nodeTypes: new HarnessNodeTypes({ [nodeTypeCopy.description.name]: nodeTypeCopy }),
			});
			const executeFunctions = new core.ExecuteContext(
				workflow,
				node,
				additionalData,
				mode,
				createRunExecutionData({ resultData: { runData: {} } }),
				0,
				[],
				{ main: [[{ json: {} }]] },
				{ node, data: {}, source: null },
				[],
			);
			const routingNode = new core.RoutingNode(executeFunctions, nodeTypeCopy, credentialsDecrypted);

			/** @type {INodeExecutionData[][] | null | undefined} */
			let response;
			try {
				response = await routingNode.runNode();
			} catch (error) {
				Container.get(core.ErrorReporter).error(error);
				if (error.cause?.response) {
					const errorResponseData = {
						statusCode: error.cause.response.status,
						statusMessage: error.cause.response.statusText,
					};
					for (const rule of testRequest.rules ?? []) {
						if (rule.type === 'responseCode' && errorResponseData.statusCode === rule.properties.value) {
							return { status: 'Error', message: rule.properties.message };
						}
					}
					if (errorResponseData.statusCode < 199 || errorResponseData.statusCode > 299) {
						return {
							status: 'Error',
							message:
								errorResponseData.statusMessage ||
								`Received HTTP status code: ${errorResponseData.statusCode}`,
						};
					}
				} else if (error.cause?.code) {
					return { status: 'Error', message: error.cause.code };
				}
				return { status: 'Error', message: String(error.message) };
			}

			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseSuccessBody') {
					const responseData = /** @type {any} */ (response?.[0]?.[0]?.json);
					const value = rule.properties.key
						.split('.')
						.reduce((/** @type {any} */ acc, k) => (acc == null ? undefined : acc[k]), responseData);
					if (value === rule.properties.value) {
						return { status: 'Error', message: rule.properties.message };
					}
				}
			}
			return { status: 'OK', message: 'Connection successful!' };
		}),
	);
}

module.exports = {
	runNode,
	testCredential,
	disposeAll,
	startEchoServer,
	HarnessCredentialsHelper,
	HarnessNodeTypes,
};
