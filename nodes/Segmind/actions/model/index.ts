import type { INodeProperties } from 'n8n-workflow';

import * as run from './run.operation';

export { run };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['model'] } },
		options: [
			{
				name: 'Run',
				value: 'run',
				description: 'Run any Segmind model by its slug with a JSON body, and return the files it made (images, video, audio, documents, …) and its result',
				action: 'Run any model by its slug',
			},
		],
		default: 'run',
	},
	...run.description,
];
