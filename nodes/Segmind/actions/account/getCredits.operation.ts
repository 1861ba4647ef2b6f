import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { CallContext } from '../../transport/errors';
import { asItemError, httpStatusError, malformedResponseError } from '../../transport/errors';
import { segmindApiRequest } from '../../transport/segmindApi';
import { errorItem } from '../runItems';

/** Account › Get Credits: `GET /v1/get-user-credits` → `{"credits": 0.0, "free-credits": 0.018}`. */

/** No fields: the balance is the credential's account's. */
export const description: INodeProperties[] = [];

/** A balance from Segmind's answer as a number (some answers may carry it as text). */
function amount(value: unknown): number | undefined {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

async function readCredits(this: IExecuteFunctions): Promise<IDataObject> {
	const context: CallContext = { phase: 'credits', itemIndex: 0 };
	const response = await segmindApiRequest.call(this, { method: 'GET', path: '/v1/get-user-credits', context });
	if (response.statusCode >= 400) throw httpStatusError(this.getNode(), context, response.statusCode, response.body);
	const body = (response.body ?? {}) as IDataObject;
	const credits = amount(body.credits);
	const freeCredits = amount(body['free-credits']);
	if (credits === undefined || freeCredits === undefined) {
		throw malformedResponseError(this.getNode(), context, 'no numeric "credits" and "free-credits"');
	}
	return { credits, freeCredits };
}

/**
 * One request for the whole execution (the balance is the account's, whatever the item), and one
 * output item per input item; a failure fails the node, or with Continue On Fail becomes an error
 * item for each input item.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	try {
		const balance = await readCredits.call(this);
		return items.map((_item, itemIndex) => ({ json: { ...balance }, pairedItem: { item: itemIndex } }));
	} catch (error) {
		if (!this.continueOnFail()) throw asItemError(this.getNode(), error, 0);
		const toErrorOutput = this.getNode().onError === 'continueErrorOutput';
		return items.map((_item, itemIndex) => errorItem(error as Error, itemIndex, toErrorOutput));
	}
}
