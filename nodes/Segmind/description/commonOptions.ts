import type { IDataObject, INodeProperties } from 'n8n-workflow';

/** The output file name pattern unless the user sets one (`gpt-image-1-edit-mini-<request id>`). */
export const DEFAULT_FILE_NAME = '{model}-{requestId}';

const runModeOption: INodeProperties = {
	displayName: 'Run Mode',
	name: 'runMode',
	type: 'options',
	default: 'wait',
	options: [
		{
			name: 'Submit and Wait for Result',
			value: 'wait',
			description: "Segmind's async API: submit, poll until done, return the image(s)",
		},
		{
			name: 'Submit Only',
			value: 'submit',
			description:
				'Return the request ID at once, without waiting; fetch the result later with Job › Get Result (e.g. after a Wait node)',
		},
		{
			name: 'Single Synchronous Call',
			value: 'sync',
			description:
				"Segmind's v1 API: one request that returns the image when it is done. Simplest, but the connection stays open for the whole job.",
		},
	],
	description: 'How the job is run',
};

/**
 * Options every job-running operation shares: what to output and how long to wait. Operations
 * that start jobs also get Run Mode.
 */
export function jobOptionsProperty(resource: string, operations: string[], startsJobs = true): INodeProperties {
	const property: INodeProperties = {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: [resource], operation: operations } },
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				default: 5,
				typeOptions: { minValue: 1, maxValue: 50, numberPrecision: 0 },
				description:
					'How many items run at the same time (read from the first item). Output keeps the input order. On a rate limit (429) every running job slows down together.',
			},
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: DEFAULT_FILE_NAME,
				description:
					'Name of the output file(s), without extension: the extension always follows the image format that arrived. Placeholders: {model}, {requestId}, {index} (position of the image in the result, from 0), {itemIndex} (the input item, from 0). Without {index}, images after the first get -1, -2, … appended.',
			},
			{
				displayName: 'One Item per Image',
				name: 'separateItems',
				type: 'boolean',
				default: false,
				description:
					'Whether a result with several images gives one output item per image (each in the output field, linked to its input item) instead of one item holding them all (data, data_1, …)',
			},
			{
				displayName: 'Output',
				name: 'outputMode',
				type: 'options',
				default: 'auto',
				options: [
					{
						name: 'Auto',
						value: 'auto',
						description: 'Image files as binary data; compact JSON with the image URLs when an AI agent uses the node as a tool',
					},
					{
						name: 'Binary Image',
						value: 'binary',
						description: 'Download the image(s) into binary fields, also when used as a tool',
					},
					{
						name: 'URL Only',
						value: 'url',
						description: 'Return the hosted image URLs without downloading (Segmind keeps them for a limited time)',
					},
				],
				description: 'What each output item carries',
			},
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, maxValue: 60, numberPrecision: 1 },
				description:
					"0 polls adaptively: rarely while the job cannot be done yet, about once a second around its expected finish (from the model's typical duration). Any other value polls at that fixed interval (Segmind's SDK uses 1 second).",
			},
			{
				displayName: 'Put Output in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description:
					'The binary field for the image. With several images the others go to fields with _1, _2, … appended.',
			},
			{
				displayName: 'Reuse Jobs on Re-Run',
				name: 'reuseJobs',
				type: 'boolean',
				default: true,
				description:
					'Whether a re-run of this node in the same execution (Retry On Fail) or in a retry of a failed execution fetches the job an item already bought (same inputs, under 1 hour old, not FAILED) instead of paying for a new one',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				default: 600,
				typeOptions: { minValue: 1, maxValue: 3600 },
				description:
					"How long to wait for the job before giving up on it (Segmind's SDK uses 600). The job may still finish; its result stays fetchable for 1 hour.",
			},
		],
	};
	const shared = property.options as INodeProperties[];
	// Operations that start jobs choose how; fetching a job by id waits per its own field instead.
	const options = startsJobs
		? [...shared, runModeOption]
		: shared.filter((option) => option.name !== 'timeout' && option.name !== 'reuseJobs');
	// Kept in alphabetical order, as n8n lists collection options.
	property.options = options.sort((a, b) => a.displayName.localeCompare(b.displayName));
	return property;
}

export type RunMode = 'wait' | 'submit' | 'sync';

export type OutputMode = 'auto' | 'binary' | 'url';

export interface JobOptions {
	runMode: RunMode;
	outputMode: OutputMode;
	concurrency: number;
	/** Undefined: adaptive polling. */
	fixedPollIntervalSeconds?: number;
	binaryPropertyName: string;
	timeoutSeconds: number;
	/** One output item per result image instead of all on one item. */
	separateItems: boolean;
	/** File name pattern; see fileBaseName. */
	fileNamePattern: string;
	/** Reuse Jobs on Re-Run (jobs/jobReuse.ts). */
	reuseJobs: boolean;
}

export function readJobOptions(options: IDataObject): JobOptions {
	const outputMode = options.outputMode === 'binary' || options.outputMode === 'url' ? options.outputMode : 'auto';
	return {
		runMode: options.runMode === 'submit' || options.runMode === 'sync' ? options.runMode : 'wait',
		outputMode,
		binaryPropertyName: String(options.binaryPropertyName ?? '').trim() || 'data',
		separateItems: options.separateItems === true,
		fileNamePattern: String(options.fileName ?? '').trim() || DEFAULT_FILE_NAME,
		reuseJobs: options.reuseJobs !== false,
		timeoutSeconds: typeof options.timeout === 'number' ? options.timeout : 600,
		concurrency:
			typeof options.concurrency === 'number' ? Math.min(50, Math.max(1, Math.floor(options.concurrency))) : 5,
		...(typeof options.pollInterval === 'number' && options.pollInterval > 0
			? { fixedPollIntervalSeconds: Math.max(0.2, options.pollInterval) }
			: {}),
	};
}

export interface FileNameValues {
	model: string;
	requestId: string;
	/** Position of the image in the result, from 0. */
	index: number;
	/** The input item, from 0. */
	itemIndex: number;
}

const IMAGE_EXTENSION = /\.(png|jpe?g|webp|gif)$/i;

/**
 * An output file's name without extension, from the File Name pattern: placeholders filled in,
 * `-<index>` appended for images after the first when the pattern has no {index} (so names stay
 * unique), an image extension typed into the pattern dropped (the real one follows the bytes), and
 * anything but letters, digits, '.', '-' and '_' replaced by '_'.
 */
export function fileBaseName(pattern: string, values: FileNameValues): string {
	const filled = pattern.replace(/\{(model|requestId|index|itemIndex)\}/g, (_match, key: keyof FileNameValues) =>
		String(values[key]),
	);
	const base = filled.replace(IMAGE_EXTENSION, '');
	const unique = pattern.includes('{index}') || values.index === 0 ? base : `${base}-${values.index}`;
	const name = unique.replace(/[^\w.-]+/g, '_');
	return name.replace(/^[._]+$/, '') || `${values.model}-${values.requestId}`.replace(/[^\w.-]+/g, '_');
}
