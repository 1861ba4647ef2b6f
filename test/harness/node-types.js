'use strict';
/**
 * Node type registry (the CLI's `NodeTypes`, reduced to an in-memory map) and the harness's
 * own start node that feeds the node under test.
 */
const { NodeHelpers, NodeConnectionTypes, UnexpectedError } = require('n8n-workflow');

/**
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').IVersionedNodeType} IVersionedNodeType
 * @typedef {import('n8n-workflow').INodeTypes} INodeTypes
 * @typedef {import('n8n-workflow').INodeExecutionData} INodeExecutionData
 * @typedef {import('n8n-workflow').IExecuteFunctions} IExecuteFunctions
 * @typedef {import('n8n-workflow').IDataObject} IDataObject
 */

/**
 * Input item as given to `runNode`: `binary` values are raw buffers that the source node turns
 * into real n8n binary data with `helpers.prepareBinaryData`.
 * @typedef {{
 *   json?: IDataObject,
 *   binary?: Record<string, { buffer: Buffer, fileName?: string, mimeType?: string }>,
 * }} HarnessInputItem
 */

/** @implements {INodeTypes} */
class HarnessNodeTypes {
	/** @param {Record<string, INodeType | IVersionedNodeType>} [types] full type name → node type */
	constructor(types = {}) {
		/** @type {Record<string, INodeType | IVersionedNodeType>} */
		this.types = { ...types };
	}

	/** @param {string} name @param {INodeType | IVersionedNodeType} type */
	add(name, type) {
		this.types[name] = type;
	}

	/** @param {string} nodeType */
	getByName(nodeType) {
		return this.types[nodeType];
	}

	/** @param {string} nodeType @param {number} [version] @returns {INodeType} */
	getByNameAndVersion(nodeType, version) {
		const type = this.types[nodeType];
		if (!type) throw new UnexpectedError(`Unknown node type "${nodeType}"`, { tags: { nodeType } });
		return NodeHelpers.getVersionedNodeType(type, version);
	}

	getKnownTypes() {
		return {};
	}
}

const SOURCE_NODE_TYPE = 'n8n-harness.source';

/**
 * A start node (no inputs, one main output) that emits `items`. Binary buffers are stored with
 * the real `prepareBinaryData`, so in filesystem mode they land on disk exactly like the output
 * of e.g. "Read/Write Files from Disk" and the node under test reads them through n8n's helpers.
 * @param {HarnessInputItem[]} items
 * @returns {INodeType}
 */
function createSourceNodeType(items) {
	return {
		description: {
			displayName: 'Harness Source',
			name: SOURCE_NODE_TYPE,
			group: ['input'],
			version: 1,
			description: 'Emits the test input items',
			defaults: { name: 'Harness Source' },
			inputs: [],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		/** @this {IExecuteFunctions} */
		async execute() {
			/** @type {INodeExecutionData[]} */
			const out = [];
			for (const item of items) {
				/** @type {INodeExecutionData} */
				const newItem = { json: structuredClone(item.json ?? {}) };
				if (item.binary) {
					newItem.binary = {};
					for (const [prop, spec] of Object.entries(item.binary)) {
						newItem.binary[prop] = await this.helpers.prepareBinaryData(
							spec.buffer,
							spec.fileName,
							spec.mimeType,
						);
					}
				}
				out.push(newItem);
			}
			return [out];
		},
	};
}

module.exports = { HarnessNodeTypes, createSourceNodeType, SOURCE_NODE_TYPE };
