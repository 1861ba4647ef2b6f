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

/**
 * A checked binary input to upload and then send as a URL in `field` (e.g. `image_urls`, `mask`).
 * It names the binary field rather than holding the bytes, so that preparing every item before
 * the first submit never holds all items' images in memory at once: the bytes are read again
 * (through n8n's helpers) when the item's turn to upload comes.
 */
export interface PendingUpload {
	/** Segmind's field for the uploaded URL. */
	field: string;
	/** A list field (`image_urls`) gets the URL appended after the URLs given; otherwise it is set. */
	list: boolean;
	/** The item's binary field (as given to n8n's binary helpers). */
	binaryProperty: string;
	/** The type recognised from the bytes, used in the data URL. */
	mimeType: string;
}

// Where an item's bad input is raised (description/parameterValues.ts); kept importable from here.
export { InvalidInput } from '../description/parameterValues';
