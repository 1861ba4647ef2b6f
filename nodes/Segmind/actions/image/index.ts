import type { INodeProperties } from 'n8n-workflow';

import * as edit from './edit.operation';

export { edit };

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
				description: 'Edit images with a text prompt',
				action: 'Edit an image',
			},
		],
		default: 'edit',
	},
	...edit.description,
];
