import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { jobOptionsProperty } from '../../description/commonOptions';
import { invalidInputError } from '../modelRequest';
import type { JobSpec } from '../../shared/jobSpec';
import { runItems } from '../runItems';

const show = { resource: ['model'], operation: ['run'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Model Slug',
		name: 'modelSlug',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. gpt-image-1-edit',
		description:
			"The model's slug from its Segmind page (the part after /v2/ in the API URL). Runs through Segmind's async API like the described models.",
		displayOptions: { show },
	},
	{
		displayName: 'Request Body (JSON)',
		name: 'body',
		type: 'json',
		required: true,
		default: '{\n  "prompt": ""\n}',
		description:
			"The model's parameters as a JSON object, with the field names of its Segmind page, e.g. {\"prompt\": \"a red fox\", \"image_urls\": [\"https://…\"]}",
		displayOptions: { show },
	},
	jobOptionsProperty('model', ['run']),
];

const SLUG_PATTERN = /^[a-z0-9][a-z0-9._-]*$/i;

function prepareAnyModelJob(this: IExecuteFunctions, itemIndex: number): JobSpec {
	const fail = (message: string) => invalidInputError.call(this, itemIndex, message);
	const slug = String(this.getNodeParameter('modelSlug', itemIndex, '')).trim();
	if (slug === '') throw fail('"Model Slug" is empty');
	if (!SLUG_PATTERN.test(slug)) {
		throw fail(`"Model Slug" "${slug.slice(0, 100)}" is not a Segmind model slug (letters, digits, ".", "-" and "_")`);
	}
	const raw = this.getNodeParameter('body', itemIndex, '{}') as unknown;
	let body: unknown = raw;
	if (typeof raw === 'string') {
		try {
			body = JSON.parse(raw);
		} catch (error) {
			throw fail(`"Request Body (JSON)" is not valid JSON: ${(error as Error).message}`);
		}
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw fail('"Request Body (JSON)" must be a JSON object of the model\'s parameters');
	}
	return { model: slug, body: body as IDataObject, requireImage: false, includeResult: true };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await runItems.call(this, items, prepareAnyModelJob);
}
