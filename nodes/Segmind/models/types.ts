/**
 * The shape of a Segmind model description. Model files hold data only: the node's n8n
 * properties, the request body and the input checks are all derived from these values,
 * so adding a model means adding one file and listing it in the registry — also for a model
 * that serves several operations with one slug (gpt-image-2 generates, and edits when given an
 * image): its parameters say which operations they belong to.
 */

/** The Image operations models are described for; a model serves one or more of them. */
export type SegmindOperation = 'edit' | 'generate';

export interface ParameterOption {
	/** The value Segmind expects, e.g. `1024x1024`. */
	value: string;
	/** What the n8n dropdown shows; defaults to the value. */
	name?: string;
	description?: string;
}

interface ParameterBase {
	/** n8n parameter name: Segmind's field in camelCase, e.g. `outputFormat`. */
	name: string;
	/** Segmind's field name in the request body, e.g. `output_format`. */
	apiName: string;
	displayName: string;
	description: string;
	required?: boolean;
	/** Shown in the node panel under the field. */
	hint?: string;
	/**
	 * The operations this field belongs to, for a model that serves several; without it, every
	 * operation of the model has it. A field is shown and sent only in its operations.
	 */
	operations?: SegmindOperation[];
	/**
	 * Set when the model's Segmind page does not show this field's default (or its allowed values):
	 * says what the node assumed instead, e.g. "default from the page's example request".
	 */
	inferred?: string;
}

/** Free text, e.g. the prompt. */
export interface StringParameter extends ParameterBase {
	type: 'string';
	default: string;
	maxLength?: number;
	rows?: number;
	placeholder?: string;
}

/** An input image format, as recognised by the file's bytes. */
export type InputImageFormat = 'png' | 'jpeg' | 'webp';

/**
 * What an input file must be when it comes as binary data from an earlier node (checked from its
 * bytes before anything is sent). URL inputs are not downloaded by the node: Segmind checks those.
 */
export interface InputFileRules {
	formats: InputImageFormat[];
	/** Each file must be smaller than this many bytes. */
	maxBytes: number;
	/** Must have the width and height of the first image of this `urlList` parameter (by `name`). */
	sameSizeAs?: string;
}

/**
 * One optional http(s) URL, e.g. the mask. The node also offers "<Name> Binary Field" to take it
 * from the item's binary data instead (uploaded to Segmind first).
 */
export interface UrlParameter extends ParameterBase {
	type: 'url';
	default: string;
	placeholder?: string;
	/** Rules for a file given as binary data. */
	file?: InputFileRules;
}

/**
 * Several http(s) URLs sent as a JSON array, e.g. `image_urls`. The node also offers "Input Binary
 * Fields" to add images from the item's binary data (uploaded to Segmind first, sent after the
 * URLs); `minItems`/`maxItems` count both. (A model gets these binary fields for its first
 * `urlList` parameter only.)
 */
export interface UrlListParameter extends ParameterBase {
	type: 'urlList';
	default: string[];
	minItems?: number;
	maxItems?: number;
	placeholder?: string;
	/** Rules for each file given as binary data. */
	file?: InputFileRules;
}

/** One of a fixed list of string values. */
export interface OptionsParameter extends ParameterBase {
	type: 'options';
	default: string;
	options: ParameterOption[];
}

/** A whole number within a range. */
export interface IntegerParameter extends ParameterBase {
	type: 'integer';
	default: number;
	min: number;
	max: number;
}

export type ModelParameter =
	| StringParameter
	| UrlParameter
	| UrlListParameter
	| OptionsParameter
	| IntegerParameter;

/**
 * A rule across two fields: when `field` has one of `values`, `otherField` must have one of
 * `allowed` (e.g. a transparent background needs png or webp output).
 */
export interface ParameterConstraint {
	when: { field: string; values: string[] };
	require: { field: string; allowed: string[] };
	message: string;
}

/**
 * A size given as width × height instead of one of the listed sizes. The size parameter has an
 * option (`customValue`) that means "use Width and Height"; the two `integer` parameters are
 * shown and sent only then, and the size itself is then left out of the body. The rules are
 * checked before anything is sent (actions/customSize.ts).
 */
export interface CustomSizeRules {
	/** The `options` parameter (by `name`) holding the size, e.g. `size`. */
	sizeParameter: string;
	/** Its option that stands for a custom width × height (never sent to Segmind). */
	customValue: string;
	/** The `integer` parameters (by `name`) for the width and the height, in pixels. */
	width: string;
	height: string;
	/** Each edge must be a multiple of this many pixels. */
	multipleOf: number;
	/** The longer edge may be at most this many times the shorter one (3 → from 1:3 to 3:1). */
	maxAspectRatio: number;
	/** The longer edge may be at most this many pixels. */
	maxEdge: number;
	/** Width × height must be within this range, inclusive. */
	minPixels: number;
	maxPixels: number;
}

/** A model its maker no longer serves: it stays usable (Segmind may still answer), marked as retired. */
export interface RetiredUpstream {
	/** Who retired it, e.g. `OpenAI`. */
	by: string;
	/** When, as an ISO date, e.g. `2026-10-23`. */
	on: string;
	/** Slugs of registered models to use instead. */
	replacements: string[];
}

export interface SegmindModel {
	/** Segmind's model slug, used in `/v2/<slug>`. */
	slug: string;
	displayName: string;
	summary: string;
	/** The Image operations the model serves. */
	operations: SegmindOperation[];
	/** Typical run time from the model page, in seconds, where known; it shapes the poll schedule. */
	typicalDurationSeconds?: number;
	/** Typical price per run in US dollars, where known. */
	priceHintUsd?: number;
	documentationUrl: string;
	/** Every field, for all its operations (see `ModelParameter.operations`). */
	parameters: ModelParameter[];
	constraints?: ParameterConstraint[];
	customSize?: CustomSizeRules;
	retiredUpstream?: RetiredUpstream;
}

/** A model as one of its operations offers it: only that operation's fields. */
export interface OperationModel extends SegmindModel {
	operation: SegmindOperation;
}
