import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { jobOptionsProperty } from '../../description/commonOptions';
import { readJsonObject, readSlug } from '../../description/parameterValues';
import { itemJobOptions, readItemInput } from '../itemInput';
import type { JobSpec } from '../../shared/jobSpec';
import { runItems } from '../runItems';

const show = { resource: ['model'], operation: ['run'] };

const slugProperty: INodeProperties = {
	displayName: 'Model Slug',
	name: 'modelSlug',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. gpt-image-1-edit',
	description:
		"The model's slug from its Segmind page (the part after /v2/ in the API URL). Runs through Segmind's async API like the described models.",
	displayOptions: { show },
};

const bodyProperty: INodeProperties = {
	displayName: 'Request Body (JSON)',
	name: 'body',
	type: 'json',
	required: true,
	default: '{\n  "prompt": ""\n}',
	description:
		"The model's parameters as a JSON object, with the field names of its Segmind page, e.g. {\"prompt\": \"a red fox\", \"image_urls\": [\"https://…\"]}",
	displayOptions: { show },
};

export const description: INodeProperties[] = [slugProperty, bodyProperty, jobOptionsProperty('model', ['run'])];

/** Reads and checks every parameter of an item: the slug, the body (a JSON object) and the Options. */
async function prepareAnyModelJob(this: IExecuteFunctions, itemIndex: number): Promise<JobSpec> {
	return await (readItemInput<JobSpec>).call(this, itemIndex, () => {
		const slug = readSlug(slugProperty.displayName, this.getNodeParameter(slugProperty.name, itemIndex, ''), {
			required: true,
		}) as string;
		const body = readJsonObject(bodyProperty.displayName, this.getNodeParameter(bodyProperty.name, itemIndex, '{}'));
		itemJobOptions.call(this, itemIndex);
		return { model: slug, body, requireImage: false, includeResult: true };
	});
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await runItems.call(this, items, prepareAnyModelJob);
}
