import type { INodeProperties } from 'n8n-workflow';

import * as edit from './edit.operation';
import * as generate from './generate.operation';

export { edit, generate };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['image'] } },
		options: [
			{
				name: 'Edit',
				value: 'edit',
				description: 'Edit one or more images (URLs or binary data from earlier nodes) following a text prompt',
				action: 'Edit an image with a text prompt',
			},
			{
				name: 'Generate',
				value: 'generate',
				description: 'Create a new image from a text prompt',
				action: 'Generate an image from a text prompt',
			},
		],
		default: 'edit',
	},
	...edit.description,
	...generate.description,
];
