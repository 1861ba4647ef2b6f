/**
 * Finds the image(s) in a Segmind result. The shape is not fixed across models: `output` may be
 * a URL, an array of URLs, a JSON string of either, objects with `url`, base64 or a data URL;
 * some models use `images[].url` (or OpenAI's `data[].b64_json`). `findResultMedia` finds every
 * file of any kind (video, audio, PDF, 3D, …) for models that are not described.
 */
export type ResultImage =
	| { kind: 'url'; url: string }
	| { kind: 'inline'; data: Buffer; /** From a data URL; the bytes decide the format. */ mimeType?: string };

/** Which strings and keys count as files: images only, or any media. */
interface Search {
	dataUrl: RegExp;
	/** Keys of an object to look into; undefined: every key. */
	keys?: readonly string[];
}

const BASE64_PATTERN = /^[A-Za-z0-9+/\r\n]+={0,2}$/;
const IMAGE_DATA_URL = /^data:(image\/[a-z0-9.+-]+);base64,(.*)$/is;
const ANY_DATA_URL = /^data:([a-z]+\/[a-z0-9.+-]+)(?:;[a-z0-9-]+=[^;,]*)*;base64,(.*)$/is;

function fromString(value: string, found: ResultImage[], search: Search): void {
	const text = value.trim();
	if (text === '') return;
	if (/^https?:\/\/\S+$/i.test(text)) {
		found.push({ kind: 'url', url: text });
		return;
	}
	const dataUrl = search.dataUrl.exec(text);
	if (dataUrl) {
		found.push({ kind: 'inline', data: Buffer.from(dataUrl[2], 'base64'), mimeType: dataUrl[1].toLowerCase() });
		return;
	}
	if ((text.startsWith('[') || text.startsWith('{') || text.startsWith('"')) && text.length > 1) {
		try {
			collect(JSON.parse(text), found, 1, search);
			return;
		} catch {
			// Not JSON after all: fall through to the base64 check.
		}
	}
	// Short strings are ids or messages, not images.
	if (text.length >= 64 && BASE64_PATTERN.test(text)) {
		found.push({ kind: 'inline', data: Buffer.from(text, 'base64') });
	}
}

const IMAGE_SEARCH: Search = {
	dataUrl: IMAGE_DATA_URL,
	keys: ['url', 'image_url', 'image', 'b64_json', 'base64', 'output'],
};
const MEDIA_SEARCH: Search = { dataUrl: ANY_DATA_URL };

/** Parts of a result that describe the job, not what it made. */
const JOB_KEYS = new Set(['status', 'request_id', 'requestId', 'error', 'metrics', 'poll_url', 'status_url', 'response_url']);

function collect(value: unknown, found: ResultImage[], depth: number, search: Search): void {
	if (depth > 6 || value === null || value === undefined) return;
	if (typeof value === 'string') return fromString(value, found, search);
	if (Array.isArray(value)) {
		for (const entry of value) collect(entry, found, depth + 1, search);
		return;
	}
	if (typeof value === 'object') {
		const object = value as Record<string, unknown>;
		for (const key of search.keys ?? Object.keys(object)) {
			if (key in object) collect(object[key], found, depth + 1, search);
		}
	}
}

/** Each URL once, in order; inline data as it came. */
function unique(found: ResultImage[]): ResultImage[] {
	const seen = new Set<string>();
	return found.filter((image) => {
		if (image.kind === 'inline') return true;
		if (seen.has(image.url)) return false;
		seen.add(image.url);
		return true;
	});
}

/** Every image in the result, in order, each URL once. */
export function findResultImages(result: unknown): ResultImage[] {
	const found: ResultImage[] = [];
	if (result && typeof result === 'object' && !Array.isArray(result)) {
		const object = result as Record<string, unknown>;
		collect(object.output, found, 0, IMAGE_SEARCH);
		collect(object.images, found, 0, IMAGE_SEARCH);
		collect(object.data, found, 0, IMAGE_SEARCH);
		if (found.length === 0) collect(object.image ?? object.url, found, 0, IMAGE_SEARCH);
	}
	return unique(found);
}

/**
 * Every file in a result of any model, in order, each URL once: every http(s) URL, data URL and
 * long base64 string anywhere in the result except the job's own fields (status, metrics, …).
 */
export function findResultMedia(result: unknown): ResultImage[] {
	const found: ResultImage[] = [];
	if (result && typeof result === 'object' && !Array.isArray(result)) {
		for (const [key, value] of Object.entries(result as Record<string, unknown>)) {
			if (!JOB_KEYS.has(key)) collect(value, found, 0, MEDIA_SEARCH);
		}
	} else collect(result, found, 0, MEDIA_SEARCH);
	return unique(found);
}
