'use strict';
/**
 * The emulator's own table of Segmind models and their parameters, written from the seed pages
 * (/work/shared/seeds/*.txt) and /work/shared/segmind-api.md. It is an independent oracle: it
 * must never import anything from `nodes/`.
 */

const SIZES = ['1024x1024', '1536x1024', '1024x1536', 'auto'];
/** gpt-image-2's listed sizes (its page; the stored copy cuts off before the list: OpenAI's popular sizes). */
const GPT_IMAGE_2_SIZES = [
	'1024x1024',
	'1536x1024',
	'1024x1536',
	'2048x2048',
	'2048x1152',
	'1152x2048',
	'3840x2160',
	'2160x3840',
	'auto',
];
/** gpt-image-2's page: a size not listed is given as width and height within these rules. */
const CUSTOM_SIZE_RULES = { multipleOf: 16, maxAspectRatio: 3, maxEdge: 3840, minPixels: 655360, maxPixels: 8294400 };
const QUALITIES = ['low', 'medium', 'high', 'auto'];
const BACKGROUNDS = ['transparent', 'opaque'];
const MODERATIONS = ['low', 'auto'];
const OUTPUT_FORMATS = ['png', 'jpeg', 'webp'];

/** Limits passed through from OpenAI's GPT-image API (segmind-api.md, "Inputs"). */
const LIMITS = { maxImages: 16, maxPromptChars: 32000 };

/**
 * @typedef {object} ModelSpec
 * @property {string} slug
 * @property {'edit' | 'generate' | 'single-image'} kind  'single-image': generates, and edits the
 *   one image in `image` when given (gpt-image-2); takes `width`/`height` for a custom size
 * @property {string[]} [sizes]     allowed `size` values (default SIZES)
 * @property {number} price         Credits (USD) deducted per accepted job.
 * @property {Record<string, string | number>} defaults  Defaults from the model page.
 */

/** @type {Record<string, ModelSpec>} */
const MODELS = {
	'gpt-image-1-edit-mini': {
		slug: 'gpt-image-1-edit-mini',
		kind: 'edit',
		price: 0.028,
		defaults: {
			size: 'auto',
			quality: 'auto',
			background: 'opaque',
			moderation: 'auto',
			output_compression: 100,
			output_format: 'png',
		},
	},
	'gpt-image-1.5-edit': {
		slug: 'gpt-image-1.5-edit',
		kind: 'edit',
		price: 0.24,
		defaults: {
			size: 'auto',
			quality: 'high',
			background: 'opaque',
			moderation: 'auto',
			output_compression: 95,
			output_format: 'png',
		},
	},
	'gpt-image-1-edit': {
		slug: 'gpt-image-1-edit',
		kind: 'edit',
		price: 0.1,
		defaults: {
			size: 'auto',
			quality: 'auto',
			background: 'opaque',
			moderation: 'auto',
			output_compression: 100,
			output_format: 'png',
		},
	},
	'gpt-image-1': {
		slug: 'gpt-image-1',
		kind: 'generate',
		price: 0.1,
		defaults: {
			size: 'auto',
			quality: 'auto',
			background: 'opaque',
			moderation: 'auto',
			output_compression: 100,
			output_format: 'png',
		},
	},
	'gpt-image-1-mini': {
		slug: 'gpt-image-1-mini',
		kind: 'generate',
		price: 0.1,
		defaults: {
			size: 'auto',
			quality: 'auto',
			background: 'opaque',
			moderation: 'auto',
			output_compression: 100,
			output_format: 'png',
		},
	},
	'gpt-image-2': {
		slug: 'gpt-image-2',
		kind: 'single-image',
		// The page says ~$5.
		price: 5,
		sizes: GPT_IMAGE_2_SIZES,
		defaults: {
			size: 'auto',
			quality: 'high',
			background: 'opaque',
			moderation: 'auto',
			output_compression: 100,
			output_format: 'png',
		},
	},
	'gpt-image-1.5': {
		slug: 'gpt-image-1.5',
		kind: 'generate',
		price: 0.1,
		defaults: {
			size: 'auto',
			quality: 'high',
			background: 'opaque',
			moderation: 'auto',
			output_compression: 95,
			output_format: 'png',
		},
	},
};

/**
 * @param {string} slug
 * @returns {ModelSpec | undefined}
 */
function getModel(slug) {
	return Object.prototype.hasOwnProperty.call(MODELS, slug) ? MODELS[slug] : undefined;
}

/**
 * Parameters after validation, with the model page's defaults filled in.
 * @typedef {object} EffectiveParams
 * @property {string} prompt
 * @property {string[]} image_urls   Empty for generation models.
 * @property {string | null} mask
 * @property {string} size
 * @property {string} quality
 * @property {string} background
 * @property {string} moderation
 * @property {number} output_compression
 * @property {'png' | 'jpeg' | 'webp'} output_format
 */

/**
 * @param {unknown} value
 * @param {string} name
 * @param {string[]} allowed
 * @returns {string | null} error text or null
 */
function checkEnum(value, name, allowed) {
	if (value === undefined) return null;
	if (typeof value !== 'string') {
		return `${name} must be a string, one of: ${allowed.join(', ')} (got ${describe(value)})`;
	}
	if (!allowed.includes(value)) {
		return `${name} must be one of: ${allowed.join(', ')} (got ${JSON.stringify(value)})`;
	}
	return null;
}

/** @param {unknown} v */
function describe(v) {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'array';
	return typeof v;
}

/**
 * A custom width × height as Segmind checks it (gpt-image-2's page).
 * @param {unknown} width
 * @param {unknown} height
 * @returns {string | null} error text or null
 */
function checkCustomSize(width, height) {
	const r = CUSTOM_SIZE_RULES;
	if (!Number.isInteger(width) || !Number.isInteger(height)) {
		return `width and height must both be integers (got ${describe(width)} and ${describe(height)})`;
	}
	const w = /** @type {number} */ (width);
	const h = /** @type {number} */ (height);
	if (w % r.multipleOf !== 0 || h % r.multipleOf !== 0) return `width and height must be multiples of ${r.multipleOf} (got ${w}x${h})`;
	if (Math.max(w, h) > r.maxEdge) return `the longest edge must be at most ${r.maxEdge} (got ${w}x${h})`;
	if (Math.max(w, h) > r.maxAspectRatio * Math.min(w, h)) return `aspect ratio must be between 1:3 and 3:1 (got ${w}x${h})`;
	if (w * h < r.minPixels || w * h > r.maxPixels) {
		return `total pixels must be between ${r.minPixels} and ${r.maxPixels} (got ${w * h})`;
	}
	return null;
}

/**
 * Validate a request body against the model's parameter table.
 * @param {ModelSpec} model
 * @param {unknown} body parsed JSON
 * @returns {{ ok: true, params: EffectiveParams } | { ok: false, error: string }}
 */
function validateBody(model, body) {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		return { ok: false, error: 'Request body must be a JSON object' };
	}
	/** @type {Record<string, unknown>} */
	const b = /** @type {Record<string, unknown>} */ (body);

	// prompt: required, non-empty string.
	if (b.prompt === undefined || b.prompt === null) {
		return { ok: false, error: 'prompt is required' };
	}
	if (typeof b.prompt !== 'string') {
		return { ok: false, error: `prompt must be a string (got ${describe(b.prompt)})` };
	}
	if (b.prompt.trim() === '') return { ok: false, error: 'prompt must not be empty' };
	if (b.prompt.length > LIMITS.maxPromptChars) {
		return {
			ok: false,
			error: `prompt is too long: ${b.prompt.length} characters (max ${LIMITS.maxPromptChars})`,
		};
	}

	/** @type {string[]} */
	let imageUrls = [];
	/** @type {string | null} */
	let mask = null;
	if (model.kind === 'edit') {
		if (b.image_urls === undefined || b.image_urls === null) {
			return { ok: false, error: 'image_urls is required' };
		}
		if (!Array.isArray(b.image_urls)) {
			return {
				ok: false,
				error: `image_urls must be an array of strings (got ${describe(b.image_urls)})`,
			};
		}
		if (b.image_urls.length === 0) {
			return { ok: false, error: 'image_urls must contain at least one URL' };
		}
		if (b.image_urls.length > LIMITS.maxImages) {
			return {
				ok: false,
				error: `image_urls has ${b.image_urls.length} entries (max ${LIMITS.maxImages})`,
			};
		}
		for (let i = 0; i < b.image_urls.length; i++) {
			const u = b.image_urls[i];
			if (typeof u !== 'string') {
				return { ok: false, error: `image_urls[${i}] must be a string (got ${describe(u)})` };
			}
			if (u.trim() === '') return { ok: false, error: `image_urls[${i}] must not be empty` };
		}
		imageUrls = /** @type {string[]} */ (b.image_urls);
		if (b.mask !== undefined && b.mask !== null) {
			if (typeof b.mask !== 'string') {
				return { ok: false, error: `mask must be a string URL or null (got ${describe(b.mask)})` };
			}
			if (b.mask.trim() === '') return { ok: false, error: 'mask must not be an empty string' };
			mask = b.mask;
		}
	} else if (model.kind === 'single-image') {
		for (const name of ['image_urls', 'mask']) {
			if (b[name] !== undefined && b[name] !== null) {
				return { ok: false, error: `${name} is not a parameter of ${model.slug}: it takes one input image in image` };
			}
		}
		if (b.image !== undefined && b.image !== null) {
			if (typeof b.image !== 'string') {
				return { ok: false, error: `image must be a string URL or null (got ${describe(b.image)})` };
			}
			if (b.image.trim() === '') return { ok: false, error: 'image must not be an empty string' };
			imageUrls = [b.image];
		}
	} else {
		if (b.image !== undefined && b.image !== null) {
			return { ok: false, error: `image is not a parameter of ${model.slug}` };
		}
		if (b.image_urls !== undefined && b.image_urls !== null) {
			return {
				ok: false,
				error: `image_urls is not a parameter of ${model.slug} (a generation model)`,
			};
		}
		if (b.mask !== undefined && b.mask !== null) {
			return { ok: false, error: `mask is not a parameter of ${model.slug} (a generation model)` };
		}
	}

	/** @type {string | undefined} */
	let customSize;
	if (b.width !== undefined || b.height !== undefined) {
		if (model.kind !== 'single-image') {
			return { ok: false, error: `width and height are not parameters of ${model.slug}` };
		}
		const sizeError = checkCustomSize(b.width, b.height);
		if (sizeError) return { ok: false, error: sizeError };
		customSize = `${b.width}x${b.height}`;
	}

	const enumErr =
		checkEnum(b.size, 'size', model.sizes ?? SIZES) ||
		checkEnum(b.quality, 'quality', QUALITIES) ||
		checkEnum(b.background, 'background', BACKGROUNDS) ||
		checkEnum(b.moderation, 'moderation', MODERATIONS) ||
		checkEnum(b.output_format, 'output_format', OUTPUT_FORMATS);
	if (enumErr) return { ok: false, error: enumErr };

	if (b.output_compression !== undefined) {
		const c = b.output_compression;
		if (typeof c !== 'number' || !Number.isInteger(c)) {
			return {
				ok: false,
				error: `output_compression must be an integer from 0 to 100 (got ${
					typeof c === 'number' ? c : describe(c)
				})`,
			};
		}
		if (c < 0 || c > 100) {
			return { ok: false, error: `output_compression must be between 0 and 100 (got ${c})` };
		}
	}

	const d = model.defaults;
	/** @type {EffectiveParams} */
	const params = {
		prompt: b.prompt,
		image_urls: imageUrls,
		mask,
		size: /** @type {string} */ (customSize ?? b.size ?? d.size),
		quality: /** @type {string} */ (b.quality ?? d.quality),
		background: /** @type {string} */ (b.background ?? d.background),
		moderation: /** @type {string} */ (b.moderation ?? d.moderation),
		output_compression: /** @type {number} */ (b.output_compression ?? d.output_compression),
		output_format: /** @type {'png' | 'jpeg' | 'webp'} */ (b.output_format ?? d.output_format),
	};
	// OpenAI: a transparent background needs an output format with alpha.
	if (params.background === 'transparent' && params.output_format === 'jpeg') {
		return {
			ok: false,
			error: "background 'transparent' requires output_format 'png' or 'webp' (got 'jpeg')",
		};
	}
	return { ok: true, params };
}

module.exports = {
	MODELS,
	LIMITS,
	SIZES,
	GPT_IMAGE_2_SIZES,
	CUSTOM_SIZE_RULES,
	QUALITIES,
	BACKGROUNDS,
	MODERATIONS,
	OUTPUT_FORMATS,
	getModel,
	validateBody,
};
