'use strict';
/**
 * A small fake of OpenAI's chat-completions API, for running n8n's AI Agent offline: point an
 * `openAiApi` credential's Base URL at it and use the OpenAI Chat Model node (lmChatOpenAi 1.3,
 * `responsesApiEnabled: false`).
 *
 * It plays a model that uses exactly one tool: to a conversation without a tool result it answers
 * with one call of the first tool it was offered, `{ <first schema property>: <the user's text> }`;
 * once the conversation holds a tool result it answers with a final text that quotes it:
 * `Tool answered: <tool message content>`. It does not stream (`stream: true` gets a 400).
 *
 * Every request is recorded (`requests`: method, path, headers, parsed body), so a test can check
 * the tool schema the model was offered, the tool result it got back, and that no secret reached it.
 *
 *   const model = await startFakeChatModel();
 *   … model.baseUrl …            // e.g. http://127.0.0.1:PORT/v1
 *   model.requests; model.toolResults(); await model.close();
 */
const http = require('node:http');

const FINAL_PREFIX = 'Tool answered: ';

/** @param {any} content OpenAI message content: a string or a list of parts */
function contentText(content) {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map((part) => (typeof part === 'string' ? part : (part?.text ?? ''))).join('');
	return '';
}

/**
 * The model's turn for one request body.
 * @returns {{ kind: 'tool_call', id: string, name: string, arguments: string } | { kind: 'text', text: string }}
 */
function decide(body, counter) {
	const messages = Array.isArray(body.messages) ? body.messages : [];
	const lastUser = messages.map((m) => m.role).lastIndexOf('user');
	const toolMessages = messages.slice(lastUser + 1).filter((m) => m.role === 'tool');
	if (toolMessages.length > 0) {
		return { kind: 'text', text: `${FINAL_PREFIX}${toolMessages.map((m) => contentText(m.content)).join('\n')}` };
	}
	const tool = Array.isArray(body.tools) ? body.tools.find((t) => t?.type === 'function') : undefined;
	if (!tool) return { kind: 'text', text: 'No tool was offered.' };
	const userText = lastUser >= 0 ? contentText(messages[lastUser].content) : '';
	const [firstProperty = 'input'] = Object.keys(tool.function.parameters?.properties ?? {});
	return {
		kind: 'tool_call',
		id: `call_fake_${counter}`,
		name: tool.function.name,
		arguments: JSON.stringify({ [firstProperty]: userText }),
	};
}

function completion(body, turn, id) {
	const message =
		turn.kind === 'tool_call'
			? {
					role: 'assistant',
					content: null,
					tool_calls: [{ id: turn.id, type: 'function', function: { name: turn.name, arguments: turn.arguments } }],
				}
			: { role: 'assistant', content: turn.text };
	return {
		id,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: body.model ?? 'fake-model',
		choices: [{ index: 0, message, finish_reason: turn.kind === 'tool_call' ? 'tool_calls' : 'stop' }],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

/**
 * @param {{ port?: number }} [options]
 */
async function startFakeChatModel(options = {}) {
	/** @type {{ method: string, path: string, headers: Record<string, any>, raw: string, body: any }[]} */
	const requests = [];
	let counter = 0;
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			let body = null;
			try {
				body = raw ? JSON.parse(raw) : null;
			} catch {
				body = null;
			}
			const path = (req.url ?? '').split('?')[0];
			requests.push({ method: req.method ?? '', path, headers: { ...req.headers }, raw, body });
			const send = (status, json) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(json));
			};
			if (req.method !== 'POST' || !/\/chat\/completions$/.test(path)) {
				return send(404, { error: { message: `The fake chat model does not serve ${req.method} ${path}` } });
			}
			if (!body) return send(400, { error: { message: 'The request body is not JSON' } });
			// n8n's agent does not stream outside a chat trigger; say so clearly should that change
			if (body.stream) return send(400, { error: { message: 'The fake chat model does not stream' } });
			counter++;
			const turn = decide(body, counter);
			send(200, completion(body, turn, `chatcmpl-fake-${counter}`));
		});
	});
	await new Promise((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		requests,
		/** Chat-completion requests whose conversation holds `text` (e.g. a run's own prompt). */
		conversationsWith(text) {
			return requests.filter((r) => r.body && Array.isArray(r.body.messages) && r.body.messages.some((m) => contentText(m.content).includes(text)));
		},
		/** The tool results (tool message contents) in the requests that hold `text`. */
		toolResults(text) {
			return this.conversationsWith(text).flatMap((r) => r.body.messages.filter((m) => m.role === 'tool').map((m) => contentText(m.content)));
		},
		close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
	};
}

module.exports = { startFakeChatModel, FINAL_PREFIX };
