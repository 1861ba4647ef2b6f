import { executeModelOperation, modelOperationDescription } from '../modelOperation';

export const description = modelOperationDescription(
	'image',
	'generate',
	'The Segmind model that generates the image from the prompt. Each model has its own fields and defaults.',
);

export const execute = executeModelOperation;
