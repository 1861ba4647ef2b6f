import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as account from './actions/account';
import * as image from './actions/image';
import * as job from './actions/job';
import * as model from './actions/model';
import { router } from './actions/router';
import { runAsTool } from './actions/toolRun';
import { isToolExecution } from './n8n/features';

export class Segmind implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Segmind',
		name: 'segmind',
		icon: { light: 'file:segmind.svg', dark: 'file:segmind.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{$parameter["resource"] === "account" ? "get credits" : $parameter["resource"] === "job" ? "get result" : $parameter["resource"] === "model" ? "run: " + $parameter["modelSlug"] : $parameter["operation"] + ": " + $parameter["model"]}}',
		description:
			"Generate or edit images from a text prompt and image URLs with Segmind's GPT Image models, run any Segmind model, or read the account's credits",
		defaults: { name: 'Segmind' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'segmindApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Image', value: 'image' },
					{ name: 'Any Model', value: 'model' },
					{ name: 'Job', value: 'job' },
					{ name: 'Account', value: 'account' },
				],
				default: 'image',
			},
			...image.description,
			...model.description,
			...job.description,
			...account.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return isToolExecution(this) ? await runAsTool.call(this, router) : await router.call(this);
	}
}
