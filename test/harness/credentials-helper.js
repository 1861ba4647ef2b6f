'use strict';
/**
 * In-memory stand-in for n8n's CLI `CredentialsHelper` (packages/cli/src/credentials-helper.ts).
 *
 * What is the same as n8n:
 * - `authenticate`: a function-style `authenticate` is called as is; a generic
 *   (`IAuthenticateGeneric`) one has every key and value of `headers`/`qs`/`body`/`auth`
 *   resolved with the workflow's real Expression engine (`getSimpleParameterValue` with
 *   `{ $credentials }`, mode `'internal'`) and written onto the request options.
 * - `getDecrypted`: credential property defaults are applied with `NodeHelpers.getNodeParameters`
 *   and `={{ … }}` expressions in the credential data are resolved (with the node's
 *   expression context when n8n-core passes one, else on a mock workflow — like the CLI).
 * - `preAuthentication`: same expirable-property rules as the CLI; the refreshed data is
 *   "saved" through `updateCredentials`.
 * - `getParentTypes` / `getCredentialsProperties` follow `extends` like the CLI's CredentialTypes.
 *
 * What is different: credentials live in a plain object (no database, no encryption at rest, no
 * overwrites, no external secrets, no dynamic credentials), and every authenticated request is
 * recorded in `authenticatedRequests` so tests can check where a key was sent.
 */
const { Credentials, getAdditionalKeys } = require('n8n-core');
const {
	ICredentialsHelper,
	NodeHelpers,
	UnexpectedError,
	Workflow,
	isExpression,
} = require('n8n-workflow');

/**
 * @typedef {import('n8n-workflow').ICredentialType} ICredentialType
 * @typedef {import('n8n-workflow').ICredentialDataDecryptedObject} ICredentialDataDecryptedObject
 * @typedef {import('n8n-workflow').IHttpRequestOptions} IHttpRequestOptions
 * @typedef {import('n8n-workflow').IRequestOptionsSimplified} IRequestOptionsSimplified
 * @typedef {import('n8n-workflow').INode} INode
 * @typedef {import('n8n-workflow').INodeProperties} INodeProperties
 * @typedef {import('n8n-workflow').INodeCredentialsDetails} INodeCredentialsDetails
 * @typedef {import('n8n-workflow').IWorkflowExecuteAdditionalData} IWorkflowExecuteAdditionalData
 * @typedef {import('n8n-workflow').WorkflowExecuteMode} WorkflowExecuteMode
 * @typedef {import('n8n-workflow').IExecuteData} IExecuteData
 * @typedef {import('n8n-workflow').ICredentialsExpressionResolveValues} ICredentialsExpressionResolveValues
 * @typedef {import('n8n-workflow').IHttpRequestHelper} IHttpRequestHelper
 * @typedef {import('n8n-workflow').INodeTypes} INodeTypes
 */

/**
 * One request that went through `authenticate` (i.e. carried credentials).
 * @typedef {{ url: string, method: string, credentialType: string }} AuthenticatedRequest
 */

const mockNode = /** @type {INode} */ ({
	id: 'mock',
	name: '',
	typeVersion: 1,
	type: 'mock',
	position: [0, 0],
	parameters: {},
});

/** @type {INodeTypes} */
const mockNodeTypes = {
	getByName: () => /** @type {any} */ ({ description: { properties: [] } }),
	getByNameAndVersion: () => /** @type {any} */ ({ description: { properties: [] } }),
	getKnownTypes: () => ({}),
};

/**
 * Combine `baseURL` and `url` the way axios (and so n8n's `httpRequest`) does.
 * @param {string | undefined} url
 * @param {string | undefined} baseURL
 */
function fullUrl(url, baseURL) {
	const u = url ?? '';
	if (!baseURL || /^([a-z][a-z\d+\-.]*:)?\/\//i.test(u)) return u;
	return u ? `${baseURL.replace(/\/+$/, '')}/${u.replace(/^\/+/, '')}` : baseURL;
}

/** @param {unknown} value */
function clone(value) {
	return value === undefined ? value : structuredClone(value);
}

class HarnessCredentialsHelper extends ICredentialsHelper {
	/**
	 * @param {{ credentialTypes?: ICredentialType[], credentials?: Record<string, ICredentialDataDecryptedObject> }} [options]
	 */
	constructor({ credentialTypes = [], credentials = {} } = {}) {
		super();
		/** @type {Map<string, ICredentialType>} */
		this.credentialTypes = new Map(credentialTypes.map((t) => [t.name, t]));
		/** Stored ("decrypted") data per credential type name. @type {Record<string, ICredentialDataDecryptedObject>} */
		this.credentialsData = {};
		for (const [type, data] of Object.entries(credentials)) this.credentialsData[type] = clone(data);
		/** @type {AuthenticatedRequest[]} */
		this.authenticatedRequests = [];
		/** @type {Array<{ type: string, data: ICredentialDataDecryptedObject }>} */
		this.updates = [];
	}

	/** @param {string} name @returns {ICredentialType} */
	getCredentialType(name) {
		const type = this.credentialTypes.get(name);
		if (!type) {
			throw new UnexpectedError(`Unknown credential type "${name}" (pass it in credentialTypes)`);
		}
		return type;
	}

	/** @param {string} name @returns {string[]} */
	getParentTypes(name) {
		const type = this.credentialTypes.get(name);
		if (!type?.extends) return [];
		/** @type {string[]} */
		const parents = [];
		for (const parent of type.extends) {
			parents.push(parent, ...this.getParentTypes(parent));
		}
		return parents;
	}

	/** @param {string} type @returns {INodeProperties[]} */
	getCredentialsProperties(type) {
		const typeData = this.getCredentialType(type);
		if (typeData.extends === undefined) {
			if (['oAuth1Api', 'oAuth2Api'].includes(type)) {
				return [
					...typeData.properties,
					{ displayName: 'oauthTokenData', name: 'oauthTokenData', type: 'json', required: false, default: {} },
				];
			}
			return typeData.properties;
		}
		/** @type {INodeProperties[]} */
		const combined = [];
		for (const parent of typeData.extends) {
			if (!this.credentialTypes.has(parent)) continue; // parent not registered in the test
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, typeData.properties);
		return combined;
	}

	/**
	 * @param {ICredentialDataDecryptedObject} credentials
	 * @param {string} typeName
	 * @param {IHttpRequestOptions | IRequestOptionsSimplified} incomingRequestOptions
	 * @param {import('n8n-workflow').Workflow} [workflow]
	 * @param {INode} [node]
	 * @returns {Promise<IHttpRequestOptions>}
	 */
	async authenticate(credentials, typeName, incomingRequestOptions, workflow, node) {
		/** @type {any} */
		let requestOptions = incomingRequestOptions;
		const credentialType = this.getCredentialType(typeName);

		if (credentialType.authenticate) {
			if (typeof credentialType.authenticate === 'function') {
				requestOptions = await credentialType.authenticate(credentials, requestOptions);
			} else if (typeof credentialType.authenticate === 'object') {
				if (!workflow || !node) {
					throw new UnexpectedError('Workflow and node are required for declarative credential authentication');
				}
				const { authenticate } = credentialType;
				if (requestOptions.headers === undefined) requestOptions.headers = {};
				if (authenticate.type === 'generic') {
					for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
						for (const [key, value] of Object.entries(outerValue ?? {})) {
							const keyResolved = this.resolveValue(key, { $credentials: credentials }, workflow, node);
							const valueResolved = this.resolveValue(
								/** @type {string} */ (value),
								{ $credentials: credentials },
								workflow,
								node,
							);
							if (!requestOptions[outerKey]) requestOptions[outerKey] = {};
							requestOptions[outerKey][keyResolved] = valueResolved;
						}
					}
				}
			}
		}

		this.authenticatedRequests.push({
			url: fullUrl(requestOptions.url ?? requestOptions.uri, requestOptions.baseURL),
			method: String(requestOptions.method ?? 'GET').toUpperCase(),
			credentialType: typeName,
		});
		return requestOptions;
	}

	/**
	 * Same as the CLI: resolve only real expressions, stringify, '' for empty.
	 * @param {string} parameterValue
	 * @param {import('n8n-workflow').IWorkflowDataProxyAdditionalKeys} additionalKeys
	 * @param {import('n8n-workflow').Workflow} workflow
	 * @param {INode} node
	 * @returns {string}
	 */
	resolveValue(parameterValue, additionalKeys, workflow, node) {
		if (!isExpression(parameterValue)) return parameterValue;
		const returnValue = workflow.expression.getSimpleParameterValue(
			node,
			parameterValue,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		if (!returnValue) return '';
		return returnValue.toString();
	}

	/**
	 * @param {IHttpRequestHelper} helpers
	 * @param {ICredentialDataDecryptedObject} credentials
	 * @param {string} typeName
	 * @param {INode} node
	 * @param {boolean} credentialsExpired
	 * @returns {Promise<ICredentialDataDecryptedObject | undefined>}
	 */
	async preAuthentication(helpers, credentials, typeName, node, credentialsExpired) {
		const credentialType = this.getCredentialType(typeName);
		const expirableProperty = credentialType.properties.find(
			(property) => property.type === 'hidden' && property?.typeOptions?.expirable === true,
		);
		if (expirableProperty?.name === undefined) return undefined;

		// the mock node n8n uses when testing credentials
		const isTestingCredentials = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';

		if (typeof credentialType.preAuthentication === 'function') {
			if (credentials[expirableProperty.name] === '' || credentialsExpired || isTestingCredentials) {
				const output = await credentialType.preAuthentication.call(helpers, credentials);
				if (output[expirableProperty.name] === undefined) return undefined;
				if (node.credentials) {
					const nodeCredentials = node.credentials[credentialType.name];
					// persist onto the stored (raw) data, never replacing a stored expression
					const storedData = this.getStored(credentialType.name, nodeCredentials);
					/** @type {ICredentialDataDecryptedObject} */
					const dataToPersist = { ...storedData };
					for (const [key, value] of Object.entries(output)) {
						if (key === expirableProperty.name || !isExpression(storedData[key])) {
							dataToPersist[key] = value;
						}
					}
					await this.updateCredentials(nodeCredentials, credentialType.name, dataToPersist);
					return Object.assign(credentials, output);
				}
			}
		}
		return undefined;
	}

	/**
	 * @param {INodeCredentialsDetails} nodeCredentials
	 * @param {string} type
	 */
	async getCredentials(nodeCredentials, type) {
		const credentials = new Credentials({ id: nodeCredentials.id, name: nodeCredentials.name }, type);
		credentials.setData(this.getStored(type, nodeCredentials));
		return credentials;
	}

	/**
	 * @param {string} type
	 * @param {INodeCredentialsDetails} [nodeCredentials]
	 * @returns {ICredentialDataDecryptedObject}
	 */
	getStored(type, nodeCredentials) {
		const data = this.credentialsData[type];
		if (data === undefined) {
			throw new UnexpectedError(
				`Credential with ID "${nodeCredentials?.id ?? '?'}" does not exist for type "${type}".`,
			);
		}
		return /** @type {ICredentialDataDecryptedObject} */ (clone(data));
	}

	/**
	 * @param {IWorkflowExecuteAdditionalData} additionalData
	 * @param {INodeCredentialsDetails} nodeCredentials
	 * @param {string} type
	 * @param {WorkflowExecuteMode} mode
	 * @param {IExecuteData} [executeData]
	 * @param {boolean} [raw]
	 * @param {ICredentialsExpressionResolveValues} [expressionResolveValues]
	 * @returns {Promise<ICredentialDataDecryptedObject>}
	 */
	async getDecrypted(additionalData, nodeCredentials, type, mode, executeData, raw, expressionResolveValues) {
		const data = this.getStored(type, nodeCredentials);
		if (raw === true) return data;
		return await this.applyDefaultsAndOverwrites(
			additionalData,
			data,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/**
	 * Defaults + expression resolution, as the CLI does (minus overwrites/secrets).
	 * @param {IWorkflowExecuteAdditionalData} additionalData
	 * @param {ICredentialDataDecryptedObject} decryptedDataOriginal
	 * @param {string} type
	 * @param {WorkflowExecuteMode} mode
	 * @param {IExecuteData} [executeData]
	 * @param {ICredentialsExpressionResolveValues} [expressionResolveValues]
	 * @returns {Promise<ICredentialDataDecryptedObject>}
	 */
	async applyDefaultsAndOverwrites(
		additionalData,
		decryptedDataOriginal,
		type,
		mode,
		executeData,
		expressionResolveValues,
	) {
		const credentialsProperties = this.getCredentialsProperties(type);
		/** @type {any} */
		let decryptedData = NodeHelpers.getNodeParameters(
			credentialsProperties,
			/** @type {any} */ ({ ...decryptedDataOriginal }),
			true,
			false,
			null,
			null,
		);
		if (decryptedDataOriginal.oauthTokenData !== undefined) {
			decryptedData.oauthTokenData = decryptedDataOriginal.oauthTokenData;
		}

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { secretsEnabled: false });

		if (expressionResolveValues) {
			try {
				decryptedData = expressionResolveValues.workflow.expression.getParameterValue(
					decryptedData,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					decryptedData,
				);
			} catch (e) {
				e.message += ' [Error resolving credentials]';
				throw e;
			}
		} else {
			const workflow = new Workflow({
				nodes: [{ ...mockNode }],
				connections: {},
				active: false,
				nodeTypes: mockNodeTypes,
			});
			decryptedData = workflow.expression.getComplexParameterValue(
				mockNode,
				decryptedData,
				mode,
				additionalKeys,
				undefined,
				undefined,
				decryptedData,
			);
		}
		return decryptedData;
	}

	/**
	 * @param {INodeCredentialsDetails} _nodeCredentials
	 * @param {string} type
	 * @param {ICredentialDataDecryptedObject} data
	 */
	async updateCredentials(_nodeCredentials, type, data) {
		this.credentialsData[type] = /** @type {ICredentialDataDecryptedObject} */ (clone(data));
		this.updates.push({ type, data: /** @type {ICredentialDataDecryptedObject} */ (clone(data)) });
	}

	/**
	 * @param {INodeCredentialsDetails} _nodeCredentials
	 * @param {string} type
	 * @param {ICredentialDataDecryptedObject} data
	 */
	async updateCredentialsOauthTokenData(_nodeCredentials, type, data) {
		const stored = this.credentialsData[type] ?? {};
		stored.oauthTokenData = /** @type {any} */ (clone(data.oauthTokenData));
		this.credentialsData[type] = stored;
		this.updates.push({ type, data: /** @type {ICredentialDataDecryptedObject} */ (clone(stored)) });
	}
}

module.exports = { HarnessCredentialsHelper, fullUrl };
