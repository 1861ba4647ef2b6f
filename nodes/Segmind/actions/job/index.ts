import type { INodeProperties } from 'n8n-workflow';

import * as getResult from './getResult.operation';

export { getResult };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['job'] } },
		options: [
			{
				name: 'Get Result',
				value: 'getResult',
				description: 'Fetch the result of a job submitted earlier, by its request ID; a running job comes back as pending',
				action: 'Get the result of a job',
			},
		],
		default: 'getResult',
	},
	...getResult.description,
];
