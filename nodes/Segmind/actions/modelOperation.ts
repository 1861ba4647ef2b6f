import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { jobOptionsProperty } from '../description/commonOptions';
import { modelOption, modelParameterProperties } from '../description/modelProperties';
import {
	ALL_IMAGE_BINARIES,
	ALL_IMAGE_BINARIES_DISPLAY_NAME,
	binaryFieldDisplayName,
	binaryFieldName,
	fileRules,
	IMAGE_BINARY_FIELDS,
	IMAGE_BINARY_FIELDS_DISPLAY_NAME,
	megabytes,
} from '../io/inputImages';
import type { OperationModel, SegmindOperation, UrlListParameter, UrlParameter } from '../models';
import { modelsForOperation } from '../models';
import { withCustomSizeFields } from './customSize';
import { prepareModelJob } from './modelRequest';
import { runItems } from './runItems';

function firstUrlList(model: OperationModel): UrlListParameter | undefined {
	return model.parameters.find((parameter): parameter is UrlListParameter => parameter.type === 'urlList');
}

/**
 * Node-level fields that take a model's input files from the item's binary data instead of URLs:
 * for the models with a `urlList` parameter (images) "Input Binary Fields" and "Use All Image
 * Binaries", for each `url` parameter (e.g. the mask) "<Name> Binary Field". Each is shown only for
 * the models that have such a parameter, and placed right after that parameter's field(s).
 */
function withBinaryInputProperties(
	resource: string,
	operation: SegmindOperation,
	models: readonly OperationModel[],
	properties: INodeProperties[],
): INodeProperties[] {
	const show = (slugs: string[]) => ({ show: { resource: [resource], operation: [operation], model: slugs } });
	const extra = new Map<string, INodeProperties[]>();
	const add = (after: string, property: INodeProperties) => extra.set(after, [...(extra.get(after) ?? []), property]);

	const withImages = models.filter((model) => firstUrlList(model) !== undefined);
	const listNames = new Set(withImages.map((model) => (firstUrlList(model) as UrlListParameter).name));
	if (withImages.length > 0) {
		const slugs = withImages.map((model) => model.slug);
		const list = firstUrlList(withImages[0]) as UrlListParameter;
		const rules = fileRules(list);
		const after = list.name;
		add(after, {
			displayName: IMAGE_BINARY_FIELDS_DISPLAY_NAME,
			name: IMAGE_BINARY_FIELDS,
			type: 'string',
			default: '',
			placeholder: 'e.g. data, attachment_0',
			description: `Binary fields of the input item holding images to edit, comma-separated (e.g. from a form, Google Drive, an HTTP Request or an email). They are uploaded to Segmind and sent after any URLs. ${rules.formats.map((format) => format.toUpperCase()).join(', ')}; each under ${megabytes(rules.maxBytes)}.`,
			hint: 'Images as binary data instead of (or besides) URLs',
			displayOptions: show(slugs),
		});
		add(after, {
			displayName: ALL_IMAGE_BINARIES_DISPLAY_NAME,
			name: ALL_IMAGE_BINARIES,
			type: 'boolean',
			default: false,
			description:
				"Whether to also send every other binary field of the item whose type is an image (a mask's field excepted)",
			displayOptions: show(slugs),
		});
	}

	// One "<Name> Binary Field" per url parameter name, shown for the models that have it.
	const urlParameters = new Map<string, { parameter: UrlParameter; slugs: string[] }>();
	for (const model of models) {
		for (const parameter of model.parameters) {
			if (parameter.type !== 'url') continue;
			const entry = urlParameters.get(parameter.name) ?? { parameter, slugs: [] };
			entry.slugs.push(model.slug);
			urlParameters.set(parameter.name, entry);
		}
	}
	for (const { parameter, slugs } of urlParameters.values()) {
		const rules = fileRules(parameter);
		const sizeRule = rules.sameSizeAs ? ', the same size as the first image' : '';
		add(parameter.name, {
			displayName: binaryFieldDisplayName(parameter),
			name: binaryFieldName(parameter),
			type: 'string',
			default: '',
			// A model's one required image usually sits in n8n's default binary field.
			placeholder: parameter.required ? 'e.g. data' : `e.g. ${parameter.name}`,
			description: `Binary field of the input item holding the ${parameter.displayName.replace(/\s+URL$/i, '').toLowerCase()}, instead of "${parameter.displayName}": uploaded to Segmind first. ${rules.formats.map((format) => format.toUpperCase()).join(' or ')} under ${megabytes(rules.maxBytes)}${sizeRule}.`,
			displayOptions: show(slugs),
		});
	}

	// A URL field may stay empty in the panel when its file comes from binary data instead.
	const optionalNames = new Set([...(extra.size > 0 ? listNames : []), ...urlParameters.keys()]);
	const result: INodeProperties[] = [];
	for (const [index, property] of properties.entries()) {
		result.push(optionalNames.has(property.name) ? { ...property, required: false } : property);
		const isLastOfName = !properties.slice(index + 1).some((other) => other.name === property.name);
		if (isLastOfName) result.push(...(extra.get(property.name) ?? []));
	}
	return result;
}

/**
 * An operation whose fields come from model descriptions (Image › Edit, Image › Generate):
 * a model dropdown, each model's fields (with binary alternatives for input files), and the
 * shared options.
 */
export function modelOperationDescription(
	resource: string,
	operation: SegmindOperation,
	modelDescription: string,
): INodeProperties[] {
	const models = modelsForOperation(operation);
	const defaultModel = models[0].slug;
	return [
		{
			displayName: 'Model',
			name: 'model',
			type: 'options',
			default: defaultModel,
			options: models.map(modelOption),
			description: modelDescription,
			displayOptions: { show: { resource: [resource], operation: [operation] } },
		},
		...withBinaryInputProperties(
			resource,
			operation,
			models,
			withCustomSizeFields(models, modelParameterProperties(resource, operation, models)),
		),
		jobOptionsProperty(resource, [operation]),
	];
}

export async function executeModelOperation(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await runItems.call(this, items, prepareModelJob);
}
