import { executeModelOperation, modelOperationDescription } from '../modelOperation';

export const description = modelOperationDescription(
	'image',
	'edit',
	'The Segmind model that edits the image(s). Each model has its own fields and defaults.',
);

export const execute = executeModelOperation;
