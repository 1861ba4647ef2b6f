import type { INodeProperties } from 'n8n-workflow';

/** Options every job-running operation shares: where the image goes and how long to wait. */
export function jobOptionsProperty(resource: string, operations: string[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: [resource], operation: operations } },
		options: [
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				default: 1,
				typeOptions: { minValue: 0.2, maxValue: 60, numberPrecision: 1 },
				description: 'How often to ask Segmind whether the job has finished (Segmind\'s SDK uses 1 second)',
			},
			{
				displayName: 'Put Output in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'The name of the binary field to put the edited image in',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				default: 600,
				typeOptions: { minValue: 1, maxValue: 3600 },
				description:
					'How long to wait for the job before giving up on it (Segmind\'s SDK uses 600). The job may still finish; its result stays fetchable for 1 hour.',
			},
		],
	};
}

export interface JobOptions {
	binaryPropertyName: string;
	timeoutSeconds: number;
	pollIntervalSeconds: number;
}

export function readJobOptions(options: {
	binaryPropertyName?: string;
	timeout?: number;
	pollInterval?: number;
}): JobOptions {
	return {
		binaryPropertyName: (options.binaryPropertyName ?? '').trim() || 'data',
		timeoutSeconds: options.timeout ?? 600,
		pollIntervalSeconds: options.pollInterval ?? 1,
	};
}
