/**
 * Finds the image(s) in a Segmind result. The shape is not fixed across models: `output` may be
 * a URL, an array of URLs, a JSON string of either, objects with `url`, base64 or a data URL;
 * some models use `images[].url` (or OpenAI's `data[].b64_json`).
 */
export type ResultImage = { kind: 'url'; url: string } | { kind: 'inline'; data: Buffer };

const BASE64_PATTERN = /^[A-Za-z0-9+/\r\n]+={0,2}$/;
const DATA_URL_PATTERN = /^data:image\/[a-z0-9.+-]+;base64,(.*)$/is;

function fromString(value: string, found: ResultImage[]): void {
	const text = value.trim();
	if (text === '') return;
	if (/^https?:\/\//i.test(text)) {
		found.push({ kind: 'url', url: text });
		return;
	}
	const dataUrl = DATA_URL_PATTERN.exec(text);
	if (dataUrl) {
		found.push({ kind: 'inline', data: Buffer.from(dataUrl[1], 'base64') });
		return;
	}
	if ((text.startsWith('[') || text.startsWith('{') || text.startsWith('"')) && text.length > 1) {
		try {
			collect(JSON.parse(text), found, 1);
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

const IMAGE_KEYS = ['url', 'image_url', 'image', 'b64_json', 'base64', 'output'];

function collect(value: unknown, found: ResultImage[], depth: number): void {
	if (depth > 4 || value === null || value === undefined) return;
	if (typeof value === 'string') return fromString(value, found);
	if (Array.isArray(value)) {
		for (const entry of value) collect(entry, found, depth + 1);
		return;
	}
	if (typeof value === 'object') {
		const object = value as Record<string, unknown>;
		for (const key of IMAGE_KEYS) {
			if (key in object) collect(object[key], found, depth + 1);
		}
	}
}

/** Every image in the result, in order, each URL once. */
export function findResultImages(result: unknown): ResultImage[] {
	const found: ResultImage[] = [];
	if (result && typeof result === 'object' && !Array.isArray(result)) {
		const object = result as Record<string, unknown>;
		collect(object.output, found, 0);
		collect(object.images, found, 0);
		collect(object.data, found, 0);
		if (found.length === 0) collect(object.image ?? object.url, found, 0);
	}
	const seen = new Set<string>();
	return found.filter((image) => {
		if (image.kind === 'inline') return true;
		if (seen.has(image.url)) return false;
		seen.add(image.url);
		return true;
	});
}
