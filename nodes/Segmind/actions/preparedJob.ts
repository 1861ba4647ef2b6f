import type { IDataObject } from 'n8n-workflow';

/** A checked, ready-to-submit job for one item: what every operation hands to the runner. */
export interface PreparedJob {
	/** Segmind model slug. */
	model: string;
	/** The request body, with Segmind's field names. */
	body: IDataObject;
	/** From the model description, when known: it shapes the poll schedule. */
	typicalDurationSeconds?: number;
	/** Described models always return an image; an arbitrary model may return only JSON. */
	requireImage: boolean;
	/** Add Segmind's whole result body to the output JSON. */
	includeResult: boolean;
}
