import type { INodeExecutionData, INodeProperties, IExecuteFunctions } from 'n8n-workflow';

import type { CallContext } from '../../shared/errors';
import { asItemError } from '../../shared/errors';
import { SegmindClient } from '../../transport/segmindClient';
import { errorItem } from '../jobOutput';

/** Account › Get Credits: the account's credits and free credits, as numbers. */

/** No fields: the balance is the credential's account's. */
export const description: INodeProperties[] = [];

/** How long the balance may take, rate limits and faults included: it is one small read. */
const CREDITS_DEADLINE_MS = 60_000;

/**
 * One request for the whole execution (the balance is the account's, whatever the item), and one
 * output item per input item; a failure fails the node, or with Continue On Fail becomes an error
 * item for each input item.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const context: CallContext = { phase: 'credits', itemIndex: 0 };
	try {
		const balance = await new SegmindClient(this).credits(context, Date.now() + CREDITS_DEADLINE_MS);
		return items.map((_item, itemIndex) => ({ json: { ...balance }, pairedItem: { item: itemIndex } }));
	} catch (error) {
		if (!this.continueOnFail()) throw asItemError(this.getNode(), error, 0);
		const toErrorOutput = this.getNode().onError === 'continueErrorOutput';
		return items.map((_item, itemIndex) => errorItem(error as Error, itemIndex, toErrorOutput));
	}
}
