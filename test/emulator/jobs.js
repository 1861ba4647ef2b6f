'use strict';
/**
 * Job records, job behaviours (from `nextJobs()` and from `[emu:…]` prompt tags) and the shapes a
 * completed result can take.
 */

const DEFAULT_FAIL_ERROR =
	'content_policy_violation: Your request was rejected by the safety system.';

/** Where a completed result carries its image (see segmind-api.md, "Result"). */
const RESULT_SHAPES = /** @type {const} */ ([
	'url',
	'url-array',
	'json-string',
	'images',
	'base64',
	'data-url',
	'none',
]);

/**
 * @typedef {'url' | 'url-array' | 'json-string' | 'images' | 'base64' | 'data-url' | 'none'} ResultShape
 * @typedef {'QUEUED' | 'PROCESSING' | 'COMPLETED' | 'FAILED'} JobState
 */

/**
 * What a job should do. Every field is optional; see `resolveBehaviour` for the defaults.
 * @typedef {object} JobBehaviour
 * @property {number} [durationMs]       submit → terminal state (emulator clock)
 * @property {number} [queuedMs]         time spent QUEUED before PROCESSING (default 30% of duration)
 * @property {'COMPLETED' | 'FAILED'} [outcome]
 * @property {string} [error]            FAILED text
 * @property {ResultShape} [resultShape]
 * @property {number} [inferenceTime]    seconds in `metrics.inference_time`
 * @property {number} [cost]             adds `metrics.cost`
 * @property {string} [imageContentType] Content-Type the image host sends for the output
 * @property {number} [imageCount]       how many image URLs the result lists (url-array, json-string, images)
 * @property {unknown} [output]          the result's `output` exactly as given, instead of the rendered
 *   image (for models that make video, audio, documents…; e.g. `{ video: emu.fixtureUrl('media/clip.mp4') }`)
 */

/**
 * A behaviour with every field decided.
 * @typedef {object} ResolvedBehaviour
 * @property {number} durationMs
 * @property {number} queuedMs
 * @property {'COMPLETED' | 'FAILED'} outcome
 * @property {string} error
 * @property {ResultShape} resultShape
 * @property {number} inferenceTime
 * @property {number | undefined} cost
 * @property {string | undefined} imageContentType
 * @property {number} imageCount
 * @property {unknown} output   undefined: the rendered image, in `resultShape`
 */

/**
 * @param {unknown} v
 * @returns {v is number}
 */
function isNum(v) {
	return typeof v === 'number' && Number.isFinite(v);
}

/**
 * Throws on a behaviour that makes no sense (so a typo in a test fails loudly).
 * @param {JobBehaviour} b
 */
function checkBehaviour(b) {
	if (b === null || typeof b !== 'object') throw new TypeError('behaviour must be an object');
	if (b.resultShape !== undefined && !RESULT_SHAPES.includes(b.resultShape)) {
		throw new TypeError(
			`unknown resultShape ${JSON.stringify(b.resultShape)}; one of ${RESULT_SHAPES.join(', ')}`,
		);
	}
	if (b.outcome !== undefined && b.outcome !== 'COMPLETED' && b.outcome !== 'FAILED') {
		throw new TypeError(`outcome must be 'COMPLETED' or 'FAILED'`);
	}
	for (const k of /** @type {const} */ (['durationMs', 'queuedMs', 'inferenceTime', 'cost', 'imageCount'])) {
		if (b[k] !== undefined && (!isNum(b[k]) || /** @type {number} */ (b[k]) < 0)) {
			throw new TypeError(`${k} must be a non-negative number`);
		}
	}
}

/**
 * Behaviour requested in the prompt text, for callers that cannot reach the JS API:
 * `[emu:fail]`, `[emu:fail=some text]`, `[emu:duration=1500]`, `[emu:queued=200]`,
 * `[emu:shape=images]`, `[emu:noimage]`, `[emu:cost=0.03]`, `[emu:inference=12.5]`,
 * `[emu:type=text/html]`, `[emu:images=3]` (with a list shape, e.g. `[emu:shape=url-array]`).
 * Unknown or malformed tags are ignored.
 * @param {string} prompt
 * @returns {JobBehaviour}
 */
function behaviourFromPrompt(prompt) {
	/** @type {JobBehaviour} */
	const b = {};
	const re = /\[emu:([a-z-]+)(?:=([^\]]*))?\]/gi;
	let m;
	while ((m = re.exec(prompt))) {
		const tag = m[1].toLowerCase();
		const val = m[2];
		const n = val !== undefined && val.trim() !== '' ? Number(val) : NaN;
		switch (tag) {
			case 'fail':
				b.outcome = 'FAILED';
				if (val !== undefined && val !== '') b.error = val;
				break;
			case 'duration':
				if (Number.isFinite(n) && n >= 0) b.durationMs = n;
				break;
			case 'queued':
				if (Number.isFinite(n) && n >= 0) b.queuedMs = n;
				break;
			case 'shape':
				if (val && RESULT_SHAPES.includes(/** @type {ResultShape} */ (val))) {
					b.resultShape = /** @type {ResultShape} */ (val);
				}
				break;
			case 'noimage':
				b.resultShape = 'none';
				break;
			case 'cost':
				if (Number.isFinite(n) && n >= 0) b.cost = n;
				break;
			case 'inference':
				if (Number.isFinite(n) && n >= 0) b.inferenceTime = n;
				break;
			case 'type':
				if (val) b.imageContentType = val;
				break;
			case 'images':
				if (Number.isFinite(n) && n >= 1) b.imageCount = n;
				break;
			default:
				break;
		}
	}
	return b;
}

/**
 * Merge defaults ← queued behaviour ← prompt tags.
 * @param {JobBehaviour | undefined} queued   from `nextJobs()`
 * @param {JobBehaviour} fromPrompt
 * @param {{ durationMs: number, queuedMs: number | undefined }} defaults
 * @returns {ResolvedBehaviour}
 */
function resolveBehaviour(queued, fromPrompt, defaults) {
	/** @type {JobBehaviour} */
	const b = { ...(queued || {}), ...fromPrompt };
	const durationMs = isNum(b.durationMs) ? b.durationMs : defaults.durationMs;
	let queuedMs;
	if (isNum(b.queuedMs)) queuedMs = b.queuedMs;
	else if (!isNum(b.durationMs) && isNum(defaults.queuedMs)) queuedMs = defaults.queuedMs;
	else queuedMs = Math.round(durationMs * 0.3);
	queuedMs = Math.min(Math.max(0, queuedMs), durationMs);
	return {
		durationMs,
		queuedMs,
		outcome: b.outcome === 'FAILED' ? 'FAILED' : 'COMPLETED',
		error: typeof b.error === 'string' && b.error !== '' ? b.error : DEFAULT_FAIL_ERROR,
		resultShape: b.resultShape || 'url',
		inferenceTime: isNum(b.inferenceTime)
			? b.inferenceTime
			: Math.round((durationMs / 1000) * 100) / 100,
		cost: isNum(b.cost) ? b.cost : undefined,
		imageContentType: b.imageContentType,
		imageCount: isNum(b.imageCount) && b.imageCount >= 1 ? Math.floor(b.imageCount) : 1,
		output: b.output,
	};
}

/**
 * The rendered output of a completed job.
 * @typedef {object} JobOutput
 * @property {string} name          file name on the image origin (`/images/<name>`)
 * @property {Buffer} bytes
 * @property {'png' | 'jpeg' | 'webp'} format
 * @property {string} contentType   real content type of the bytes
 * @property {number} width
 * @property {number} height
 * @property {boolean} hasAlpha
 */

/** One accepted submit (async v2 or sync v1). Times are on the emulator clock. */
class Job {
	/**
	 * @param {object} init
	 * @param {string} init.id
	 * @param {string} init.model
	 * @param {'async' | 'sync'} init.mode
	 * @param {Record<string, unknown>} init.body   parsed JSON as sent
	 * @param {import('./models').EffectiveParams} init.params  validated, defaults filled in
	 * @param {number} init.createdAt
	 * @param {ResolvedBehaviour} init.behaviour
	 * @param {number} init.price
	 * @param {number} init.retentionMs
	 * @param {() => number} init.now
	 */
	constructor(init) {
		/** @type {string} */
		this.id = init.id;
		/** @type {string} */
		this.model = init.model;
		/** @type {'async' | 'sync'} */
		this.mode = init.mode;
		/** @type {Record<string, unknown>} */
		this.body = init.body;
		/** @type {import('./models').EffectiveParams} */
		this.params = init.params;
		/** @type {number} */
		this.createdAt = init.createdAt;
		/** @type {ResolvedBehaviour} */
		this.behaviour = init.behaviour;
		/** @type {number} credits deducted */
		this.price = init.price;
		/** @type {number} end of QUEUED */
		this.processingAt = init.createdAt + init.behaviour.queuedMs;
		/** @type {number} end of PROCESSING (COMPLETED or FAILED from then on) */
		this.completedAt = init.createdAt + init.behaviour.durationMs;
		/** @type {number} after this, status and result answer 404 */
		this.expiresAt = this.completedAt + init.retentionMs;
		/** @type {JobOutput | null} set once the output has been rendered */
		this.output = null;
		/** @type {string | null} set when rendering failed (bad input image…): the job is FAILED */
		this.renderError = null;
		/** @type {Promise<void> | null} */
		this.rendering = null;
		/** @private */
		this._now = init.now;
	}

	/** @returns {JobState} */
	get state() {
		const t = this._now();
		if (t < this.processingAt) return 'QUEUED';
		if (t < this.completedAt) return 'PROCESSING';
		if (this.behaviour.outcome === 'FAILED' || this.renderError !== null) return 'FAILED';
		return 'COMPLETED';
	}

	/** True once past completion + retention. */
	get expired() {
		return this._now() > this.expiresAt;
	}

	/** True once COMPLETED or FAILED by the clock (output may not be rendered yet). */
	get finished() {
		return this._now() >= this.completedAt;
	}

	/** The FAILED text, or null. */
	get error() {
		if (this.behaviour.outcome === 'FAILED') return this.behaviour.error;
		return this.renderError;
	}

	/** `metrics` for terminal status/result bodies. */
	get metrics() {
		/** @type {{ inference_time: number, cost?: number }} */
		const m = { inference_time: this.behaviour.inferenceTime };
		if (this.behaviour.cost !== undefined) m.cost = this.behaviour.cost;
		return m;
	}
}

/**
 * Body of a COMPLETED result for the job's result shape.
 * @param {Job} job
 * @param {string} imageUrl absolute URL of the output on the image origin
 * @returns {Record<string, unknown>}
 */
function completedBody(job, imageUrl) {
	/** @type {Record<string, unknown>} */
	const body = { status: 'COMPLETED', error: null, metrics: job.metrics, request_id: job.id };
	const out = /** @type {JobOutput} */ (job.output);
	// Further images are the same bytes under a query that the image host ignores.
	if (job.behaviour.output !== undefined) {
		body.output = job.behaviour.output;
		return body;
	}
	const urls = Array.from({ length: job.behaviour.imageCount }, (_v, i) => (i === 0 ? imageUrl : `${imageUrl}?variant=${i}`));
	switch (job.behaviour.resultShape) {
		case 'url-array':
			body.output = urls;
			break;
		case 'json-string':
			body.output = JSON.stringify(urls);
			break;
		case 'images':
			body.images = urls.map((url) => ({ url }));
			break;
		case 'base64':
			body.output = out.bytes.toString('base64');
			break;
		case 'data-url':
			body.output = `data:${out.contentType};base64,${out.bytes.toString('base64')}`;
			break;
		case 'none':
			body.output = null;
			break;
		case 'url':
		default:
			body.output = imageUrl;
			break;
	}
	return body;
}

module.exports = {
	DEFAULT_FAIL_ERROR,
	RESULT_SHAPES,
	Job,
	checkBehaviour,
	behaviourFromPrompt,
	resolveBehaviour,
	completedBody,
};
