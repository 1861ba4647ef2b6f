import type { INodeProperties } from 'n8n-workflow';

import * as getCredits from './getCredits.operation';

export { getCredits };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Get Credits',
				value: 'getCredits',
				description:
					"Read the account's remaining credits and free credits as numbers, one item per input item (e.g. on a schedule, to alert before they run out)",
				action: 'Get the remaining credits',
			},
		],
		default: 'getCredits',
	},
	...getCredits.description,
];
