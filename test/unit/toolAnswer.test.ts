import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import {
	completedJobAnswer,
	failedJobAnswer,
	failureOf,
	MAX_TOOL_ANSWER_CHARS,
} from '../../nodes/Segmind/actions/toolAnswer';
import { segmindError } from '../../nodes/Segmind/shared/errors';

const job = {
	requestId: '9b1c2d3e-0000-4000-8000-000000000001',
	model: 'gpt-image-1-mini',
	imageUrls: ['https://images.segmind.com/outputs/a.png'],
	inlineImages: 0,
	inferenceTime: 41.7,
	elapsedSeconds: 43.2,
};

const node: INode = {
	id: 'n1',
	name: 'Segmind',
	type: 'n8n-nodes-segmind.segmindTool',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const length = (json: object) => JSON.stringify(json).length;

describe('completedJobAnswer', () => {
	it('is the status, request id, model, image URL and timing: nothing else', () => {
		expect(completedJobAnswer(job)).toEqual({
			status: 'COMPLETED',
			requestId: job.requestId,
			model: 'gpt-image-1-mini',
			imageUrls: ['https://images.segmind.com/outputs/a.png'],
			inferenceTime: 41.7,
			elapsedSeconds: 43.2,
		});
	});

	it('stays under the size bound with many long URLs, and says how many it left out', () => {
		const imageUrls = Array.from({ length: 40 }, (_, i) => `https://images.segmind.com/outputs/${'x'.repeat(180)}-${i}.png`);
		const answer = completedJobAnswer({ ...job, imageUrls });
		expect(length(answer)).toBeLessThan(MAX_TOOL_ANSWER_CHARS);
		const listed = answer.imageUrls as string[];
		expect(listed.length).toBeGreaterThan(3);
		expect(listed).toEqual(imageUrls.slice(0, listed.length));
		expect(answer.imagesNotListed).toBe(40 - listed.length);
	});

	it('counts inline images without including their data, and says how to get them', () => {
		const answer = completedJobAnswer({ ...job, imageUrls: [], inlineImages: 2 });
		expect(answer.imageUrls).toEqual([]);
		expect(answer.imagesNotListed).toBe(2);
		expect(answer.note).toMatch(/Output to "Binary Image"/);
		expect(length(answer)).toBeLessThan(MAX_TOOL_ANSWER_CHARS);
	});
});

describe('failedJobAnswer', () => {
	it("carries Segmind's reason, the request id and the advice, without the item suffix", () => {
		const error = segmindError(
			node,
			{ phase: 'status', itemIndex: 0, model: 'gpt-image-1-mini', requestId: job.requestId },
			`Segmind job ${job.requestId} failed: content_policy_violation: rejected by the safety system`,
			'Rephrase the prompt.',
			{ httpCode: 422 },
		);
		error.message = `${error.message} [item 0]`;
		expect(failedJobAnswer(failureOf(error))).toEqual({
			status: 'FAILED',
			error: `Segmind job ${job.requestId} failed: content_policy_violation: rejected by the safety system`,
			requestId: job.requestId,
			model: 'gpt-image-1-mini',
			httpCode: '422',
			advice: 'Rephrase the prompt.',
		});
	});

	it('reads a check that failed before any submit (no request id)', () => {
		const error = new NodeOperationError(node, '"Prompt" is empty [item 0]', { description: 'Nothing was sent.' });
		expect(failedJobAnswer(failureOf(error))).toEqual({ status: 'FAILED', error: '"Prompt" is empty', advice: 'Nothing was sent.' });
	});

	it('stays under the size bound whatever the error says', () => {
		const error = new NodeApiError(node, {}, { message: 'x'.repeat(5000), description: 'y'.repeat(5000) });
		const answer = failedJobAnswer({ ...failureOf(error), requestId: 'r'.repeat(3000), model: 'm'.repeat(3000) });
		expect(length(answer)).toBeLessThan(MAX_TOOL_ANSWER_CHARS);
		expect(answer.error).toMatch(/^x+…$/);
	});

	it('has a message even for an error without one', () => {
		expect(failedJobAnswer(failureOf({})).error).toBe('The Segmind tool failed');
	});
});
