'use strict';
/**
 * The end-to-end cases: each one is a workflow n8n runs and a check of what n8n produced.
 *
 * The four example workflows run exactly as they are in examples/ (only the credential they
 * reference is imported to point at the emulator). The failure variants are modified copies,
 * written to the session's temp folder: prompts with `[emu:…]` tags, a short timeout, a credential
 * with a wrong key, the classic "Continue" (regular output) setting.
 *
 * A check gets `t` (see run.js): the stored execution of its workflow (`t.execution`, n8n's
 * IRun as kept in its database), helpers to read node outputs and binaries, and the emulator.
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const SEGMIND_TYPE = 'n8n-nodes-segmind.segmind';

/** The credential id example workflows reference; e2e imports it pointing at the emulator. */
const CREDENTIAL_ID = 'segmindDemoCredential';
const BAD_KEY_CREDENTIAL_ID = 'segmindWrongKey';

const FAILED_TEXT = 'content_policy_violation: the e2e suite asked this job to fail';

/** @param {string} file */
function example(file) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
}

/** @param {any} workflow */
function segmindNode(workflow) {
	const nodes = workflow.nodes.filter((node) => node.type === SEGMIND_TYPE);
	assert.equal(nodes.length, 1, `workflow "${workflow.name}" should hold exactly one Segmind node`);
	return nodes[0];
}

/** Replace the `jobs` list of a Set node in raw-JSON mode (examples 3 and 4). */
function setJobs(workflow, nodeName, jobs) {
	const node = workflow.nodes.find((candidate) => candidate.name === nodeName);
	assert.ok(node, `node "${nodeName}" not found`);
	const json = JSON.parse(node.parameters.jsonOutput);
	json.jobs = typeof jobs === 'function' ? jobs(json.jobs) : jobs;
	node.parameters.jsonOutput = JSON.stringify(json, null, 2);
	return json.jobs;
}

/**
 * n8n error messages may end in the item they concern (` [item 1]`): accept exactly `expected`,
 * with or without that suffix.
 */
function assertMessage(actual, expected, itemIndex) {
	const allowed = [expected, `${expected} [item ${itemIndex}]`];
	assert.ok(allowed.includes(actual), `message ${JSON.stringify(actual)}\n      should be ${JSON.stringify(expected)} (optionally + " [item ${itemIndex}]")`);
}

/** Each of `expected`'s keys, when `json` has it, has that value. */
function assertOptional(json, expected) {
	for (const [key, value] of Object.entries(expected)) {
		if (key in json) assert.equal(json[key], value, `json.${key}`);
	}
}

/** The OpenAI credential the agent example references; e2e points it at the fake chat model. */
const OPENAI_CREDENTIAL_ID = 'openAiDemoCredential';

/**
 * The agent example, with the agent at `typeVersion` and a user message that names the run;
 * `autoDescription` leaves the tool's description to n8n ("Set Automatically", the default).
 */
function agentWorkflow(typeVersion, tag, extra, autoDescription) {
	const workflow = example('ai-agent-image-tool.json');
	const agent = workflow.nodes.find((node) => node.type === '@n8n/n8n-nodes-langchain.agent');
	agent.typeVersion = typeVersion;
	agent.parameters.text = `${agent.parameters.text} [e2e:${tag}]${extra}`;
	if (autoDescription) {
		const tool = workflow.nodes.find((node) => node.type === `${SEGMIND_TYPE}Tool`);
		delete tool.parameters.descriptionType;
		delete tool.parameters.toolDescription;
	}
	return workflow;
}

/** What n8n tells the model about the tool when its description is left on "Set Automatically". */
const AUTO_DESCRIPTION = 'Generate an image from a text prompt in Segmind';

const agentExample = example('ai-agent-image-tool.json');
const agentTool = agentExample.nodes.find((node) => node.type === `${SEGMIND_TYPE}Tool`);
const agentPrompt = (tag, extra = '') =>
	`${agentExample.nodes.find((node) => node.name === 'AI Agent').parameters.text} [e2e:${tag}]${extra}`;

/**
 * What the agent's model saw and said in one run: the tools it was offered (first request), the
 * tool result it got back, and the agent's final answer.
 */
function agentRun(t, tag, extra = '') {
	const prompt = agentPrompt(tag, extra);
	const requests = t.fakeModel.conversationsWith(prompt);
	assert.equal(requests.length, 2, `the agent asked the model twice (tool call, then answer); got ${requests.length}`);
	const [first, second] = requests.map((request) => request.body);
	const toolMessages = second.messages.filter((message) => message.role === 'tool');
	assert.equal(toolMessages.length, 1, 'the second request holds one tool result');
	const toolCall = second.messages.find((message) => message.role === 'assistant' && message.tool_calls)?.tool_calls?.[0];
	assert.ok(toolCall, 'the second request holds the tool call');
	assert.equal(toolMessages[0].tool_call_id, toolCall.id, 'the tool result answers that call');
	const output = t.output('AI Agent');
	assert.equal(output.length, 1, 'the agent outputs one item');
	return { prompt, first, second, toolResult: String(toolMessages[0].content), answer: output[0].json.output, requests };
}

/** The tool the model was offered, as n8n described it: name, description, $fromAI schema. */
function checkOfferedTool(first, description) {
	assert.equal(first.tools?.length, 1, 'one tool offered');
	const [tool] = first.tools;
	assert.equal(tool.type, 'function');
	assert.equal(tool.function.name, 'generate_image', 'the tool is named after the node');
	assert.equal(tool.function.description, description, 'the tool description n8n shows the model');
	const schema = tool.function.parameters;
	assert.equal(schema.type, 'object');
	assert.deepEqual(Object.keys(schema.properties), ['prompt'], 'the one $fromAI parameter');
	assert.equal(schema.properties.prompt.type, 'string');
	assert.match(schema.properties.prompt.description, /^A full description of the image to create/);
	assert.deepEqual(schema.required, ['prompt']);
}

/** The one job the tool submitted for the run, and that it was submitted exactly once. */
function onlyJob(t, prompt) {
	const jobs = t.jobsWithPrompts([prompt]);
	assert.equal(jobs.length, 1, `exactly one Segmind submit for the tool call (got ${jobs.length})`);
	assert.equal(jobs[0].model, 'gpt-image-1-mini');
	assert.equal(jobs[0].body.size, '1536x1024');
	return jobs[0];
}

/** Checks the tool answered compactly, without image bytes, files, parameters or secrets. */
function checkCompact(t, toolResult) {
	assert.ok(toolResult.length < 2000, `the tool result is ${toolResult.length} characters`);
	for (const word of ['base64', '"files"', '"parameters"', '"binary"', t.goodKey, t.modelKey]) {
		assert.ok(!toolResult.includes(word), `the tool result holds ${word}`);
	}
}

/** The answer n8n passed to the model, parsed: Agent 3.x sends the items' JSON as a list, 2.x too. */
function toolAnswer(toolResult) {
	const parsed = JSON.parse(toolResult);
	const list = typeof parsed === 'string' ? JSON.parse(parsed) : parsed;
	assert.ok(Array.isArray(list) && list.length === 1, `the tool result is one answer: ${toolResult.slice(0, 300)}`);
	return list[0];
}

/** An AI Agent case: successful (an image) or failing (Segmind reports FAILED). */
function agentCase(kind, failing) {
	const tag = `agent-${kind}${failing ? '-fail' : ''}`;
	const extra = failing ? ` [emu:fail=${FAILED_TEXT}]` : '';
	const versionOf = (n8n) => (kind === 'v3' ? n8n.newestAgent : 2.2);
	// the 2.2 runs leave the description to n8n: what the README quotes is checked there
	const autoDescription = kind === 'v22';
	return {
		id: `e2eAgent${kind === 'v3' ? 'V3' : 'V22'}${failing ? 'Fail' : 'Ok'}1`,
		title: `AI Agent ${kind === 'v3' ? "3.x (the version's newest: 3.1; 3 in n8n 1.123)" : '2.2, description set automatically,'} with the Segmind tool and a fake chat model: ${
			failing ? "a FAILED job reaches the model as text with Segmind's reason and the request id" : 'compact answer with the image URL'
		}`,
		workflow: ({ n8n }) => agentWorkflow(versionOf(n8n), tag, extra, autoDescription),
		check(t) {
			const run = agentRun(t, tag, extra);
			if (process.env.E2E_SHOW_AGENT) console.log(JSON.stringify({ tools: run.first.tools, toolResult: run.toolResult, answer: run.answer }, null, 1));
			checkOfferedTool(run.first, autoDescription ? AUTO_DESCRIPTION : agentTool.parameters.toolDescription);
			const job = onlyJob(t, run.prompt);
			checkCompact(t, run.toolResult);
			const answer = toolAnswer(run.toolResult);
			assert.equal(answer.requestId, job.id);
			assert.equal(answer.model, 'gpt-image-1-mini');
			if (failing) {
				assert.equal(job.state, 'FAILED');
				assert.equal(answer.status, 'FAILED');
				assert.equal(answer.error, `Segmind job ${job.id} failed: ${FAILED_TEXT}`);
				assert.equal(answer.httpCode, '422');
			} else {
				assert.equal(answer.status, 'COMPLETED');
				assert.equal(answer.imageUrls.length, 1, 'one image URL');
				assert.ok(answer.imageUrls[0].startsWith(`${t.emulator.imageUrl}/`), `imageUrls[0] ${answer.imageUrls[0]} is the emulator's image`);
				// the tool did not download the image: the model gets its URL, not its bytes
				const downloads = t.emulator.requests.filter((r) => r.origin === 'images' && answer.imageUrls[0].endsWith(r.path));
				assert.equal(downloads.length, 0, 'the image was not downloaded by the tool');
			}
			assert.equal(run.answer, `Tool answered: ${run.toolResult}`, "the agent's answer is the model's final text");
			const toolRuns = t.runs('generate_image');
			assert.equal(toolRuns.length, 1, 'the tool ran once');
			assert.equal(toolRuns[0].error, undefined, 'the tool run did not fail');
			for (const item of Object.values(toolRuns[0].data ?? {}).flat(2)) assert.equal(item?.binary, undefined, 'the tool output holds no binary');
		},
	};
}

/** Example workflow 1's own values, for checks. */
const ex1 = example('edit-image-from-url.json');
const ex1Prompt = segmindNode(ex1).parameters.prompt;

/**
 * @typedef {object} Case
 * @property {string} id        workflow id in n8n (≤ 21 characters)
 * @property {string} title
 * @property {(env: { emulator: any }) => any} workflow  the workflow to import (a fresh object);
 *   `env.emulator` is the running emulator (e.g. for its fixture URLs)
 * @property {boolean} [expectError]  the execution itself is expected to end in an error
 * @property {(t: any) => Promise<void> | void} check
 */

/** @type {Case[]} */
const cases = [
	{
		id: 'e2eExample1',
		title: 'example 1 (edit-image-from-url.json): gpt-image-1-edit-mini, binary on the item',
		workflow: () => example('edit-image-from-url.json'),
		async check(t) {
			const items = t.output('Segmind');
			assert.equal(items.length, 1, 'one output item');
			const [item] = items;
			assert.deepEqual(item.pairedItem, { item: 0 });
			const job = t.job(item.json.requestId);
			assert.equal(job.model, 'gpt-image-1-edit-mini');
			assert.equal(job.body.prompt, ex1Prompt);
			assert.deepEqual(job.body.image_urls, segmindNode(ex1).parameters.imageUrls);
			assert.equal(item.json.model, 'gpt-image-1-edit-mini');
			assert.equal(item.json.status, 'COMPLETED');
			assert.deepEqual(item.json.parameters, job.body, 'json.parameters is exactly the body Segmind received');
			// the model page's defaults, sent as such
			assert.equal(job.body.size, 'auto');
			assert.equal(job.body.quality, 'auto');
			assert.equal(job.body.output_format, 'png');
			assert.equal(job.body.output_compression, 100);
			assert.deepEqual(Object.keys(item.binary ?? {}), ['data'], 'the image is in binary field "data" and nowhere else');
			await t.checkImage(item, 'data', { format: 'png' });
			assert.equal(item.json.fileName, `gpt-image-1-edit-mini-${item.json.requestId}.png`);
		},
	},
	{
		id: 'e2eExample2',
		title: 'example 2 (edit-image-gpt-image-1.5-options.json): gpt-image-1.5-edit, 1024x1536 JPEG, medium quality',
		workflow: () => example('edit-image-gpt-image-1.5-options.json'),
		async check(t) {
			const items = t.output('Segmind');
			assert.equal(items.length, 1, 'one output item');
			const [item] = items;
			assert.deepEqual(item.pairedItem, { item: 0 });
			const job = t.job(item.json.requestId);
			assert.equal(job.model, 'gpt-image-1.5-edit');
			assert.equal(job.body.size, '1024x1536');
			assert.equal(job.body.quality, 'medium');
			assert.equal(job.body.output_format, 'jpeg');
			assert.equal(job.body.output_compression, 85);
			assert.equal(job.body.background, 'opaque');
			assert.deepEqual(item.json.parameters, job.body);
			assert.equal(item.json.model, 'gpt-image-1.5-edit');
			assert.deepEqual(Object.keys(item.binary ?? {}), ['image'], 'the image is in binary field "image" (Put Output in Field)');
			await t.checkImage(item, 'image', { format: 'jpeg', width: 1024, height: 1536 });
			assert.match(item.json.fileName, new RegExp(`^gpt-image-1\\.5-edit-${item.json.requestId}\\.jpe?g$`));
		},
	},
	{
		id: 'e2eExample3',
		title: 'example 3 (batch-edit-prompts.json): three prompts through one Segmind node',
		workflow: () => example('batch-edit-prompts.json'),
		async check(t) {
			const inputs = t.output('One item per prompt');
			assert.equal(inputs.length, 3, 'the list holds three prompts');
			const items = t.output('Segmind');
			assert.equal(items.length, 3, 'one output item per input item');
			const ids = new Set();
			for (const [index, item] of items.entries()) {
				assert.deepEqual(item.pairedItem, { item: index }, `item ${index} is paired with input ${index}`);
				const job = t.job(item.json.requestId);
				ids.add(item.json.requestId);
				assert.equal(job.body.prompt, inputs[index].json.prompt, `item ${index} ran its own prompt`);
				assert.deepEqual(job.body.image_urls, [inputs[index].json.imageUrl]);
				assert.equal(job.body.size, '1024x1024');
				assert.equal(job.body.quality, 'low');
				assert.equal(item.json.status, 'COMPLETED');
				await t.checkImage(item, 'data', { format: 'png', width: 1024, height: 1024 });
			}
			assert.equal(ids.size, 3, 'three distinct Segmind jobs');
			assert.equal(t.jobsWithPrompts(inputs.map((input) => input.json.prompt)).length, 3, 'each prompt was submitted once');
		},
	},
	{
		id: 'e2eExample4',
		title: 'example 4 (error-handling-continue.json): a bad item goes to the error output, unsent',
		workflow: () => example('error-handling-continue.json'),
		async check(t) {
			const inputs = t.output('One item per job');
			assert.equal(inputs.length, 2);
			const [ok, failed] = [t.output('Segmind', 0), t.output('Segmind', 1)];
			assert.equal(ok.length, 1, 'one item on the success output');
			assert.equal(failed.length, 1, 'one item on the error output');
			assert.deepEqual(ok[0].pairedItem, { item: 0 });
			assert.deepEqual(failed[0].pairedItem, { item: 1 });
			await t.checkImage(ok[0], 'data', { format: 'png', width: 1024, height: 1024 });
			assertMessage(failed[0].json.error, '"Image URLs" holds "airship.jpeg", which is not an http(s) URL', 1);
			assert.equal(failed[0].binary, undefined);
			// the workflow went on along both branches
			assert.equal(t.output('Edited').length, 1);
			assert.equal(t.output('Edited')[0].json.requestId, ok[0].json.requestId);
			const handled = t.output('Failed');
			assert.equal(handled.length, 1, 'the "Failed" branch got the error item');
			assert.equal(handled[0].json.failedPrompt, inputs[1].json.prompt);
			assert.equal(handled[0].json.reason, failed[0].json.error);
			// nothing was sent (or billed) for the bad item
			assert.equal(t.jobsWithPrompts([inputs[1].json.prompt]).length, 0, 'the bad item was never submitted');
			assert.equal(t.jobsWithPrompts([inputs[0].json.prompt]).length, 1);
		},
	},
	{
		id: 'e2eExample5',
		title: 'example 5 (edit-image-from-binary.json): binary input uploaded once, wide in → wide out, File Name option',
		workflow({ emulator }) {
			// the example downloads from the internet; here "Download image" fetches the emulator's
			// 1536x1024 fixture instead (the machine is offline), everything else as is
			const workflow = example('edit-image-from-binary.json');
			const download = workflow.nodes.find((node) => node.name === 'Download image');
			assert.ok(download, 'node "Download image" not found');
			download.parameters.url = emulator.fixtureUrl('wide.png');
			return workflow;
		},
		async check(t) {
			const downloaded = t.output('Download image');
			assert.equal(downloaded.length, 1);
			assert.ok(downloaded[0].binary?.data, '"Download image" put the image in binary "data"');
			const items = t.output('Segmind');
			assert.equal(items.length, 1, 'one output item');
			const [item] = items;
			assert.deepEqual(item.pairedItem, { item: 0 });
			// the binary went to Segmind's upload-asset, once, with the key, as the fixture's bytes
			// (counting only uploads of this image: other examples upload theirs to the same emulator)
			const wide = Buffer.from(await (await fetch(t.emulator.fixtureUrl('wide.png'))).arrayBuffer()).toString('base64').slice(0, 1000);
			const uploads = t.emulator.requests.filter((r) => r.origin === 'api' && r.path === '/upload-asset' && r.body.includes(wide));
			assert.equal(uploads.length, 1, 'exactly one POST /upload-asset');
			const [upload] = uploads;
			assert.equal(upload.method, 'POST');
			assert.equal(upload.status, 200, 'the upload succeeded');
			assert.equal(upload.headers['x-api-key'], t.goodKey, 'the upload carried the API key');
			// (the emulator keeps only the first 2,000 characters of a body)
			assert.match(upload.body, /^\{\s*"data_urls"\s*:\s*\[\s*"data:image\/png;base64,/, 'a PNG sent as a data URL');
			// the job got the uploaded asset's URL, and nothing else
			const job = t.job(item.json.requestId);
			assert.equal(job.model, 'gpt-image-1-edit-mini');
			assert.equal(job.body.prompt, segmindNode(example('edit-image-from-binary.json')).parameters.prompt);
			assert.equal(job.body.image_urls.length, 1, 'one image URL');
			assert.ok(
				job.body.image_urls[0].startsWith(`${t.emulator.imageUrl}/images/assets/`),
				`image_urls[0] ${job.body.image_urls[0]} is not an uploaded asset`,
			);
			const fetchBytes = async (url) => Buffer.from(await (await fetch(url)).arrayBuffer());
			const [asset, fixture] = await Promise.all([fetchBytes(job.body.image_urls[0]), fetchBytes(t.emulator.fixtureUrl('wide.png'))]);
			assert.ok(asset.equals(fixture), 'the uploaded asset is byte-identical to the downloaded image');
			assert.deepEqual(item.json.parameters, job.body, 'json.parameters is exactly the body Segmind received');
			assert.equal(item.json.status, 'COMPLETED');
			// size "auto": the wide input gives a wide output, so the uploaded bytes were used
			assert.deepEqual(Object.keys(item.binary ?? {}), ['data'], 'the edited image replaces the input in binary "data"');
			await t.checkImage(item, 'data', { format: 'png', width: 1536, height: 1024 });
			assert.equal(item.json.fileName, `sunset-${item.json.requestId}.png`, 'the File Name option');
		},
	},
	{
		id: 'e2eExample6',
		title: 'example 6 (generate-image.json): Image › Generate with gpt-image-1-mini, 1536x1024 WebP',
		workflow: () => example('generate-image.json'),
		async check(t) {
			const items = t.output('Segmind');
			assert.equal(items.length, 1, 'one output item');
			const [item] = items;
			assert.deepEqual(item.pairedItem, { item: 0 });
			const job = t.job(item.json.requestId);
			assert.equal(job.model, 'gpt-image-1-mini');
			assert.equal(job.body.prompt, segmindNode(example('generate-image.json')).parameters.prompt);
			assert.equal(job.body.image_urls, undefined, 'a generation model gets no image URLs');
			assert.equal(job.body.size, '1536x1024');
			assert.equal(job.body.output_format, 'webp');
			assert.equal(job.body.quality, 'high', "the model's own default (its Segmind page)");
			assert.deepEqual(item.json.parameters, job.body);
			await t.checkImage(item, 'data', { format: 'webp', width: 1536, height: 1024 });
		},
	},
	{
		id: 'e2eExample7',
		title: 'example 7 (run-any-model.json): Any Model › Run, JSON body to a slug, image and full result',
		workflow: () => example('run-any-model.json'),
		async check(t) {
			const items = t.output('Segmind');
			assert.equal(items.length, 1, 'one output item');
			const [item] = items;
			assert.deepEqual(item.pairedItem, { item: 0 });
			const job = t.job(item.json.requestId);
			assert.equal(job.model, 'gpt-image-1');
			assert.deepEqual(job.body, JSON.parse(segmindNode(example('run-any-model.json')).parameters.body), 'the JSON body, sent as it is');
			assert.equal(item.json.result.status, 'COMPLETED', "Segmind's whole result is on the item");
			await t.checkImage(item, 'data', { format: 'png', width: 1024, height: 1024 });
		},
	},
	{
		id: 'e2eGptImage2',
		title: 'example generate-and-edit-gpt-image-2.json: GPT Image 2 generates at a custom size, then edits that image from binary data',
		workflow: () => example('generate-and-edit-gpt-image-2.json'),
		async check(t) {
			const workflow = example('generate-and-edit-gpt-image-2.json');
			const [generated] = t.output('Generate (GPT Image 2)');
			const generateJob = t.job(generated.json.requestId);
			assert.equal(generateJob.model, 'gpt-image-2');
			assert.equal(generateJob.body.prompt, workflow.nodes[1].parameters.prompt);
			assert.equal(generateJob.body.width, 1536, 'a custom size goes as width and height');
			assert.equal(generateJob.body.height, 864);
			assert.equal(generateJob.body.size, undefined, '... instead of size');
			assert.equal(generateJob.body.image, undefined, 'Generate sends no image');
			await t.checkImage(generated, 'data', { format: 'png', width: 1536, height: 864 });
			const edited = t.output('Edit (GPT Image 2)');
			assert.equal(edited.length, 1, 'one output item');
			assert.deepEqual(edited[0].pairedItem, { item: 0 });
			const editJob = t.job(edited[0].json.requestId);
			assert.equal(editJob.model, 'gpt-image-2');
			assert.match(String(editJob.body.image), /\/images\/assets\//, 'the generated image, uploaded through upload-asset, is sent as image');
			assert.equal(editJob.body.image_urls, undefined, 'never image_urls');
			assert.equal(editJob.body.mask, undefined, 'never mask');
			await t.checkImage(edited[0], 'data', { format: 'png' });
		},
	},
	{
		id: 'e2eFailedJob',
		title: 'variant of example 4: a job Segmind reports FAILED arrives on the error output with Segmind\'s text',
		workflow() {
			const workflow = example('error-handling-continue.json');
			setJobs(workflow, 'Jobs', (jobs) => [
				{ ...jobs[0], prompt: `${jobs[0].prompt} [e2e:failed-job]` },
				{ prompt: `Add a dragon. [emu:fail=${FAILED_TEXT}]`, imageUrl: jobs[0].imageUrl },
			]);
			return workflow;
		},
		async check(t) {
			const [ok, failed] = [t.output('Segmind', 0), t.output('Segmind', 1)];
			assert.equal(ok.length, 1);
			assert.equal(failed.length, 1);
			assert.deepEqual(failed[0].pairedItem, { item: 1 });
			const [job] = t.jobsWithPrompts([`Add a dragon. [emu:fail=${FAILED_TEXT}]`]);
			assert.ok(job, 'the failing job was submitted');
			assert.equal(job.state, 'FAILED');
			assertMessage(failed[0].json.error, `Segmind job ${job.id} failed: ${FAILED_TEXT}`, 1);
			// n8n keeps only `error` in the json of items it routes to the error output; any
			// details the node adds must be right
			assertOptional(failed[0].json, { requestId: job.id, httpCode: '422', model: 'gpt-image-1-edit-mini' });
			assert.equal(t.output('Failed').length, 1);
			assert.equal(t.output('Failed')[0].json.reason, failed[0].json.error);
			await t.checkImage(ok[0], 'data', { format: 'png', width: 1024, height: 1024 });
		},
	},
	{
		id: 'e2eDeadline',
		title: 'variant of example 4: a job past its deadline arrives on the error output with its request id',
		workflow() {
			const workflow = example('error-handling-continue.json');
			setJobs(workflow, 'Jobs', (jobs) => [
				{ ...jobs[0], prompt: `${jobs[0].prompt} [e2e:deadline] [emu:duration=300]` },
				{ prompt: 'Add a lighthouse. [emu:duration=600000]', imageUrl: jobs[0].imageUrl },
			]);
			const node = segmindNode(workflow);
			node.parameters.options = { ...node.parameters.options, timeout: 4, pollInterval: 0.5 };
			return workflow;
		},
		async check(t) {
			const [ok, failed] = [t.output('Segmind', 0), t.output('Segmind', 1)];
			assert.equal(ok.length, 1, 'the quick job completed');
			assert.equal(failed.length, 1, 'the slow job is an error item');
			assert.deepEqual(failed[0].pairedItem, { item: 1 });
			const [job] = t.jobsWithPrompts(['Add a lighthouse. [emu:duration=600000]']);
			assert.ok(job, 'the slow job was submitted');
			assertMessage(failed[0].json.error, `Segmind job ${job.id} did not finish within 4 seconds`, 1);
			assertOptional(failed[0].json, { requestId: job.id });
			assert.ok(!job.finished, `the job was still running (${job.state}) when the node gave up`);
			assert.ok(t.emulator.submitCount('gpt-image-1-edit-mini') >= 2);
		},
	},
	{
		id: 'e2eContinueRegular',
		title: 'variant of example 3 with "Continue" (regular output): failing items flow on as error items',
		workflow() {
			const workflow = example('batch-edit-prompts.json');
			setJobs(workflow, 'Prompts', (jobs) => [
				{ ...jobs[0], prompt: `${jobs[0].prompt} [e2e:regular]` },
				{ ...jobs[1], prompt: `${jobs[1].prompt} [emu:fail]` },
				{ ...jobs[2], prompt: `${jobs[2].prompt} [emu:noimage]` },
			]);
			segmindNode(workflow).onError = 'continueRegularOutput';
			return workflow;
		},
		async check(t) {
			const inputs = t.output('One item per prompt');
			const items = t.output('Segmind');
			assert.equal(items.length, 3, 'one output item per input item, failed or not');
			items.forEach((item, index) => assert.deepEqual(item.pairedItem, { item: index }));
			const jobs = inputs.map((input) => t.jobsWithPrompts([input.json.prompt])[0]);
			assert.ok(jobs.every(Boolean), 'all three were submitted');
			assert.equal(items[0].json.status, 'COMPLETED');
			await t.checkImage(items[0], 'data', { format: 'png', width: 1024, height: 1024 });
			assertMessage(items[1].json.error, `Segmind job ${jobs[1].id} failed: content_policy_violation: Your request was rejected by the safety system.`, 1);
			assert.equal(items[1].json.requestId, jobs[1].id);
			assertMessage(items[2].json.error, `Segmind job ${jobs[2].id} completed but its result holds no image`, 2);
			assert.equal(items[2].json.requestId, jobs[2].id);
			for (const item of items.slice(1)) assert.equal(item.binary, undefined);
		},
	},
	{
		id: 'e2eWrongKey',
		title: 'variant of example 1 with a wrong API key: the run stops with Segmind\'s 401 explained',
		expectError: true,
		workflow() {
			const workflow = example('edit-image-from-url.json');
			segmindNode(workflow).credentials.segmindApi = { id: BAD_KEY_CREDENTIAL_ID, name: 'Segmind (wrong key)' };
			return workflow;
		},
		check(t) {
			const { resultData } = t.execution.data;
			assert.equal(t.execution.status, 'error');
			assert.ok(resultData.error, 'the execution holds an error');
			assert.equal(resultData.lastNodeExecuted, 'Segmind');
			assertMessage(resultData.error.message, 'Segmind rejected the API key (401 Unauthorized)', 0);
			assert.match(resultData.error.description ?? '', /API key/);
			assert.equal(String(resultData.error.httpCode), '401');
			assert.equal(resultData.error.node?.name, 'Segmind');
			assert.match(t.summaryError ?? '', /on node Segmind$/, 'execute-batch reports the failure on node Segmind');
			const rejected = t.emulator.requests.filter((r) => r.origin === 'api' && r.headers['x-api-key'] === t.badKey);
			assert.ok(rejected.length >= 1, 'the wrong key reached the API');
			assert.ok(rejected.every((r) => r.status === 401));
			assert.ok(rejected.every((r) => r.method === 'POST' && r.path === '/v2/gpt-image-1-edit-mini'), 'nothing but the submit was tried');
		},
	},
	{
		id: 'e2eRunModes1',
		title: 'Submit Only → Job › Get Result, Output: URL Only and Binary Image, Single Synchronous Call, One Item per Image (every operation and mode in every version)',
		workflow() {
			const trigger = { parameters: {}, id: 'e2e-modes-0', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] };
			const credentials = { segmindApi: { id: CREDENTIAL_ID, name: 'Segmind account' } };
			const segmind = (name, parameters, index) => ({
				parameters,
				id: `e2e-modes-${index}`,
				name,
				type: SEGMIND_TYPE,
				typeVersion: 1,
				position: [220 * index, 0],
				credentials,
			});
			const generate = (prompt, options) => ({ resource: 'image', operation: 'generate', model: 'gpt-image-1-mini', prompt, options });
			const nodes = [
				trigger,
				segmind('Submit only', generate('A lighthouse [e2e:submit]', { runMode: 'submit' }), 1),
				segmind('Get result', { resource: 'job', operation: 'getResult', requestId: '={{ $json.requestId }}', waitSeconds: 60, modelSlug: 'gpt-image-1-mini', options: { pollInterval: 0.5 } }, 2),
				segmind('URL only', generate('A lighthouse [e2e:url]', { outputMode: 'url', pollInterval: 0.5 }), 3),
				segmind('Sync call', generate('A lighthouse [e2e:sync]', { runMode: 'sync' }), 4),
				segmind('Binary image', generate('A lighthouse [e2e:binary]', { outputMode: 'binary', pollInterval: 0.5 }), 5),
				segmind(
					'One item per image',
					generate('A lighthouse [e2e:separate] [emu:shape=url-array] [emu:images=2]', { separateItems: true, pollInterval: 0.5 }),
					6,
				),
			];
			const to = (node) => ({ node, type: 'main', index: 0 });
			return {
				name: 'e2e: run modes',
				nodes,
				connections: {
					Start: { main: [[to('Submit only'), to('URL only'), to('Sync call'), to('Binary image'), to('One item per image')]] },
					'Submit only': { main: [[to('Get result')]] },
				},
				settings: { executionOrder: 'v1' },
			};
		},
		async check(t) {
			const [submitted] = t.output('Submit only');
			assert.ok(['QUEUED', 'PROCESSING'].includes(submitted.json.status), `Submit Only status ${submitted.json.status}`);
			assert.equal(submitted.binary, undefined);
			const submittedJob = t.job(submitted.json.requestId);
			const [fetched] = t.output('Get result');
			assert.equal(fetched.json.requestId, submittedJob.id, 'Get Result fetched the submitted job');
			assert.equal(fetched.json.status, 'COMPLETED');
			await t.checkImage(fetched, 'data', { format: 'png' });
			assert.equal(t.jobsWithPrompts(['A lighthouse [e2e:submit]']).length, 1, 'submitted once, fetched without a new submit');

			const [urlOnly] = t.output('URL only');
			assert.equal(urlOnly.binary, undefined, 'URL Only downloads nothing');
			assert.ok(urlOnly.json.outputUrl.startsWith(`${t.emulator.imageUrl}/`), 'the hosted URL is on the item');
			const urlPath = new URL(urlOnly.json.outputUrl).pathname;
			assert.equal(t.emulator.requests.filter((r) => r.origin === 'images' && r.path === urlPath).length, 0, 'the image was not downloaded');

			const [sync] = t.output('Sync call');
			assert.equal(sync.json.status, 'COMPLETED');
			assert.equal(sync.binary?.data?.mimeType, 'image/png', 'the sync answer is the image, as binary');
			const syncCalls = t.emulator.requests.filter((r) => r.origin === 'api' && r.path === '/v1/gpt-image-1-mini');
			assert.equal(syncCalls.length, 1, "one call to Segmind's v1 (sync) API");

			const [binary] = t.output('Binary image');
			await t.checkImage(binary, 'data', { format: 'png' });

			const separate = t.output('One item per image');
			assert.equal(separate.length, 2, 'one output item per result image');
			for (const [index, item] of separate.entries()) {
				assert.deepEqual(item.pairedItem, { item: 0 }, 'each image item is paired with the one input item');
				assert.equal(item.json.imageIndex, index);
				assert.equal(item.json.imageCount, 2);
				assert.deepEqual(Object.keys(item.binary ?? {}), ['data']);
				await t.checkImage(item, 'data', { format: 'png' });
			}
			assert.notEqual(separate[0].binary.data.fileName, separate[1].binary.data.fileName, 'each image has its own file name');
		},
	},
	agentCase('v3', false),
	agentCase('v3', true),
	agentCase('v22', false),
	agentCase('v22', true),
];

// n8n workflow ids: at most 21 characters; execute-batch only takes ids that hold a digit
for (const c of cases) assert.ok(c.id.length <= 21 && /^[A-Za-z0-9]+$/.test(c.id) && /\d/.test(c.id), `bad case id ${c.id}`);

module.exports = { cases, CREDENTIAL_ID, BAD_KEY_CREDENTIAL_ID, OPENAI_CREDENTIAL_ID, SEGMIND_TYPE };
