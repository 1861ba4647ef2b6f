import type { INodeProperties } from 'n8n-workflow';

import { rangeText, readCollection, readFieldName, UNSAFE_FIELD_NAMES } from './parameterValues';

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

/** The ranges of the number options: their typeOptions, which are also the rules values are checked by. */
const timeoutRange = { minValue: 1, maxValue: 3600 };
const concurrencyRange = { minValue: 1, maxValue: 50, numberPrecision: 0 };
const pollIntervalRange = { minValue: 0, maxValue: 60, numberPrecision: 1 };

/** A fixed poll interval below this is raised to it (the field's description says so): never a busy loop. */
export const MIN_FIXED_POLL_SECONDS = 0.2;

const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	default: 600,
	typeOptions: timeoutRange,
	description: `How long to wait for the job before giving up on it, ${rangeText(timeoutRange)} (Segmind's SDK uses 600). The job may still finish; its result stays fetchable for 1 hour.`,
};

const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	default: 5,
	typeOptions: concurrencyRange,
	description: `How many items run at the same time, ${rangeText(concurrencyRange)} (read from the first item; when the first item's value is refused, that item fails and the others run one at a time). Output keeps the input order. On a rate limit (429) every running job slows down together.`,
};

const outputFieldOption: INodeProperties = {
	displayName: 'Put Output in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	description: `The binary field for the image. With several images the others go to fields with _1, _2, … appended. Not empty, and not ${UNSAFE_FIELD_NAMES.join(', ')} (n8n cannot hold those).`,
};

/**
 * Options every job-running operation shares: what to output and how long to wait. Their types
 * and `typeOptions` are also the rules readJobOptions checks values against.
 */
const sharedJobOptions: INodeProperties[] = [
	concurrencyOption,
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
		typeOptions: pollIntervalRange,
		description: `0 polls adaptively: rarely while the job cannot be done yet, about once a second around its expected finish (from the model's typical duration). Any other value, up to ${pollIntervalRange.maxValue}, polls at that fixed interval (Segmind's SDK uses 1 second); below ${MIN_FIXED_POLL_SECONDS} it is raised to ${MIN_FIXED_POLL_SECONDS}.`,
	},
	outputFieldOption,
	timeoutOption,
];

/** Reuse the job an item already bought when the node runs again (jobs/jobReuse.ts). */
const reuseJobsOption: INodeProperties = {
	displayName: 'Reuse Jobs on Re-Run',
	name: 'reuseJobs',
	type: 'boolean',
	default: true,
	description:
		'Whether a re-run of this node in the same execution (Retry On Fail) or in a retry of a failed execution fetches the job an item already bought (same inputs, under 1 hour old, not FAILED) instead of paying for a new one',
};

/**
 * The options of an operation's Options collection, in alphabetical order (as n8n lists them).
 * Operations that start jobs also get Run Mode and Reuse Jobs on Re-Run; fetching a job by id
 * waits per its own field, so it has no Timeout.
 */
function jobOptionList(startsJobs: boolean): INodeProperties[] {
	const options = startsJobs
		? [...sharedJobOptions, runModeOption, reuseJobsOption]
		: sharedJobOptions.filter((option) => option !== timeoutOption);
	return options.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

export function jobOptionsProperty(resource: string, operations: string[], startsJobs = true): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: [resource], operation: operations } },
		options: jobOptionList(startsJobs),
	};
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

/** The Concurrency option alone, checked like the others (the run reads it from the first item). */
export function readConcurrency(values: unknown): number {
	return readCollection([concurrencyOption], values).concurrency as number;
}

/**
 * The Options collection's values, each checked by its option's type and range (a Timeout of 0,
 * a Concurrency of NaN or an object as File Name is refused, with the option's name and what it
 * got). Throws InvalidInput.
 */
export function readJobOptions(values: unknown, startsJobs = true): JobOptions {
	const read = readCollection(jobOptionList(startsJobs), values);
	const pollInterval = read.pollInterval as number;
	return {
		runMode: (read.runMode ?? 'wait') as RunMode,
		outputMode: read.outputMode as OutputMode,
		binaryPropertyName: readFieldName(outputFieldOption.displayName, read.binaryPropertyName),
		separateItems: read.separateItems as boolean,
		fileNamePattern: String(read.fileName).trim() || DEFAULT_FILE_NAME,
		reuseJobs: read.reuseJobs !== false,
		timeoutSeconds: (read.timeout ?? timeoutOption.default) as number,
		concurrency: read.concurrency as number,
		...(pollInterval > 0 ? { fixedPollIntervalSeconds: Math.max(MIN_FIXED_POLL_SECONDS, pollInterval) } : {}),
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
