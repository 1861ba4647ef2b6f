import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { asItemError, namesItem } from '../../nodes/Segmind/shared/errors';

const node = { name: 'Segmind', type: 'n8n-nodes-segmind.segmind', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;

describe('errors name their item once', () => {
	it('recognises only a trailing "[item N]", not any text ending in "]"', () => {
		expect(namesItem('Segmind job x failed: bad input [item 3]')).toBe(true);
		expect(namesItem('Segmind rejected the request as invalid: ["size"]')).toBe(false);
	});

	it('marks an error whose own text ends in "]", and never marks one twice', () => {
		const error = asItemError(node, new NodeOperationError(node, 'Segmind said: ["size"]'), 2);
		expect(error.message).toBe('Segmind said: ["size"] [item 2]');
		expect(asItemError(node, error, 2).message).toBe('Segmind said: ["size"] [item 2]');
	});
});
