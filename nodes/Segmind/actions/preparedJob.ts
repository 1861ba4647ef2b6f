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
	/**
	 * Input images from binary data, checked but not yet uploaded: the runner uploads them (see
	 * io/inputImages.ts) right before the submit, once every item has passed its checks.
	 */
	pendingUploads?: PendingUpload[];
}

/** A binary input to upload and then send as a URL in `field` (e.g. `image_urls`, `mask`). */
export interface PendingUpload {
	field: string;
	dataUrl: string;
}
