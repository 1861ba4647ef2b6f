'use strict';
/**
 * Webhook versions of the example workflows, for queue mode: the examples start with a Manual
 * Trigger, which only `n8n execute` runs (in regular mode, never on a worker). Here the trigger is a
 * Webhook (POST, responds when the workflow has finished, with the last node's items) and the jobs
 * come from the request body instead of the Set node's fixed list. Everything from the Split Out
 * node on is the example as it is. examples/ are only read, never written.
 */
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const SEGMIND_TYPE = 'n8n-nodes-segmind.segmind';

function example(file) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
}

/**
 * The example with its Manual Trigger and the Set node holding the job list (`listNode`) replaced
 * by a Webhook at `webhookPath` whose body is `{ jobs: [...] }`; the Split Out node reads `body.jobs`.
 * @param {string} file  example file name
 * @param {{ listNode: string, splitNode: string, webhookPath: string, credentialId: string, segmind?: (node: any) => void }} o
 */
function webhookVersion(file, o) {
	const workflow = example(file);
	const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	assert.ok(trigger, `${file} has no Manual Trigger`);
	const list = workflow.nodes.find((node) => node.name === o.listNode);
	const split = workflow.nodes.find((node) => node.name === o.splitNode);
	assert.ok(list && split, `${file}: nodes ${o.listNode} / ${o.splitNode} not found`);
	assert.equal(split.type, 'n8n-nodes-base.splitOut');
	const webhook = {
		parameters: { httpMethod: 'POST', path: o.webhookPath, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
		id: crypto.randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: trigger.position,
		webhookId: crypto.randomUUID(),
	};
	workflow.nodes = [webhook, ...workflow.nodes.filter((node) => node !== trigger && node !== list)];
	split.parameters = { ...split.parameters, fieldToSplitOut: 'body.jobs' };
	const connections = { ...workflow.connections };
	delete connections[trigger.name];
	delete connections[o.listNode];
	connections.Webhook = { main: [[{ node: o.splitNode, type: 'main', index: 0 }]] };
	workflow.connections = connections;
	const segmind = workflow.nodes.filter((node) => node.type === SEGMIND_TYPE);
	assert.equal(segmind.length, 1);
	segmind[0].credentials = { segmindApi: { id: o.credentialId, name: 'Segmind account' } };
	if (o.segmind) o.segmind(segmind[0]);
	workflow.name = `${workflow.name} (webhook, queue mode)`;
	return workflow;
}

/** Example 3 (batch-edit-prompts.json): N prompts → one Segmind node, one image per item. */
function editWorkflow({ webhookPath, credentialId }) {
	return webhookVersion('batch-edit-prompts.json', { listNode: 'Prompts', splitNode: 'One item per prompt', webhookPath, credentialId });
}

/**
 * Example 4 (error-handling-continue.json): the Segmind node with On Error → Continue (using error
 * output); with `regular`, On Error → Continue (regular output) instead.
 */
function continueWorkflow({ webhookPath, credentialId, regular = false }) {
	return webhookVersion('error-handling-continue.json', {
		listNode: 'Jobs',
		splitNode: 'One item per job',
		webhookPath,
		credentialId,
		segmind: (node) => {
			if (regular) node.onError = 'continueRegularOutput';
		},
	});
}

/** The image URL the examples edit (the emulator synthesizes it: no network here). */
function exampleImageUrl() {
	const list = example('batch-edit-prompts.json').nodes.find((node) => node.name === 'Prompts');
	return JSON.parse(list.parameters.jsonOutput).jobs[0].imageUrl;
}

/** Example 4 as it is (Manual Trigger), with its job list replaced: the regular-mode baseline. */
function continueBaseline(jobs, { regular = false } = {}) {
	const workflow = example('error-handling-continue.json');
	if (regular) workflow.nodes.find((node) => node.type === SEGMIND_TYPE).onError = 'continueRegularOutput';
	const list = workflow.nodes.find((node) => node.name === 'Jobs');
	const json = JSON.parse(list.parameters.jsonOutput);
	json.jobs = jobs;
	list.parameters.jsonOutput = JSON.stringify(json, null, 2);
	return workflow;
}

module.exports = { editWorkflow, continueWorkflow, continueBaseline, exampleImageUrl, SEGMIND_TYPE };
