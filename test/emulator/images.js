'use strict';
/**
 * Image synthesis, sniffing and the "edit" the emulator applies. Uses only Node builtins + sharp.
 */

const crypto = require('node:crypto');
const sharp = require('sharp');

/** @typedef {'png' | 'jpeg' | 'webp' | 'gif'} ImageFormat */

/**
 * @typedef {object} StoredImage
 * @property {Buffer} bytes
 * @property {string} contentType
 */

/**
 * @typedef {object} RenderedImage
 * @property {Buffer} bytes
 * @property {'png' | 'jpeg' | 'webp'} format
 * @property {string} contentType
 * @property {number} width
 * @property {number} height
 * @property {boolean} hasAlpha
 */

const MIME = /** @type {const} */ ({
	png: 'image/png',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif',
});
const EXT = /** @type {const} */ ({ png: 'png', jpeg: 'jpg', webp: 'webp', gif: 'gif' });

/**
 * Detect an image format from its magic bytes.
 * @param {Buffer | Uint8Array | null | undefined} buf
 * @returns {{ format: ImageFormat, mime: string } | null}
 */
function sniffImage(buf) {
	if (!buf || buf.length < 12) return null;
	const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
	if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
		return { format: 'png', mime: MIME.png };
	}
	if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { format: 'jpeg', mime: MIME.jpeg };
	if (b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') {
		return { format: 'webp', mime: MIME.webp };
	}
	if (b.toString('latin1', 0, 4) === 'GIF8') return { format: 'gif', mime: MIME.gif };
	return null;
}

/** @param {ImageFormat} format */
function mimeFor(format) {
	return MIME[format];
}

/** @param {ImageFormat} format */
function extFor(format) {
	return EXT[format];
}

/**
 * Content type from a file name's extension (what a static host would send).
 * @param {string} name
 */
function contentTypeForName(name) {
	const ext = (name.split('.').pop() || '').toLowerCase();
	switch (ext) {
		case 'png':
			return MIME.png;
		case 'jpg':
		case 'jpeg':
			return MIME.jpeg;
		case 'webp':
			return MIME.webp;
		case 'gif':
			return MIME.gif;
		default:
			return 'application/octet-stream';
	}
}

/**
 * Decode `data:<mime>;base64,<data>`.
 * @param {string} s
 * @returns {{ mime: string, bytes: Buffer } | null}
 */
function decodeDataUrl(s) {
	const m = /^data:([^;,]*)((?:;[^;,]*)*?);base64,(.*)$/s.exec(s);
	if (!m) return null;
	const data = m[3].replace(/\s+/g, '');
	if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(data)) return null;
	return { mime: m[1].toLowerCase(), bytes: Buffer.from(data, 'base64') };
}

/**
 * Deterministic 32-bit seed from any string.
 * @param {string} s
 */
function seedOf(s) {
	return crypto.createHash('sha256').update(s).digest().readUInt32BE(0);
}

/**
 * Small deterministic PRNG (mulberry32).
 * @param {number} seed
 */
function prng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * Raw RGB pixels: a two-colour gradient with a disc and a bar, all derived from `seed`.
 * @param {number} width
 * @param {number} height
 * @param {number} seed
 * @returns {Buffer}
 */
function gradientRaw(width, height, seed) {
	const rnd = prng(seed);
	const c0 = [rnd() * 255, rnd() * 255, rnd() * 255];
	const c1 = [rnd() * 255, rnd() * 255, rnd() * 255];
	const disc = [255 - c0[0], 255 - c0[1], 255 - c0[2]];
	const cx = width * (0.3 + rnd() * 0.4);
	const cy = height * (0.3 + rnd() * 0.4);
	const r = Math.min(width, height) * (0.15 + rnd() * 0.1);
	const r2 = r * r;
	const barY0 = Math.floor(height * (0.75 + rnd() * 0.1));
	const barY1 = barY0 + Math.max(4, Math.floor(height * 0.05));
	const buf = Buffer.allocUnsafe(width * height * 3);
	let i = 0;
	for (let y = 0; y < height; y++) {
		const fy = y / (height - 1 || 1);
		const inBar = y >= barY0 && y < barY1;
		for (let x = 0; x < width; x++) {
			const fx = x / (width - 1 || 1);
			const dx = x - cx;
			const dy = y - cy;
			if (dx * dx + dy * dy <= r2) {
				buf[i++] = disc[0];
				buf[i++] = disc[1];
				buf[i++] = disc[2];
			} else if (inBar && x > width * 0.1 && x < width * 0.9) {
				buf[i++] = 20;
				buf[i++] = 20;
				buf[i++] = 20;
			} else {
				buf[i++] = c0[0] + (c1[0] - c0[0]) * fx;
				buf[i++] = c0[1] + (c1[1] - c0[1]) * fy;
				buf[i++] = c0[2] + (c1[2] - c0[2]) * ((fx + fy) / 2);
			}
		}
	}
	return buf;
}

/**
 * A sharp pipeline over a synthetic gradient.
 * @param {number} width
 * @param {number} height
 * @param {number} seed
 */
function synthImage(width, height, seed) {
	return sharp(gradientRaw(width, height, seed), { raw: { width, height, channels: 3 } });
}

/** @type {Promise<Map<string, StoredImage>> | null} */
let fixturesPromise = null;

/**
 * Fixture images, generated once per process (cached).
 * @returns {Promise<Map<string, StoredImage>>}
 */
function makeFixtures() {
	if (!fixturesPromise) {
		fixturesPromise = buildFixtures().catch((e) => {
			fixturesPromise = null;
			throw e;
		});
	}
	return fixturesPromise;
}

async function buildFixtures() {
	const photoSeed = seedOf('photo');
	const [png, jpg, webp, wide, tall, small, mask, gif] = await Promise.all([
		synthImage(1024, 1024, photoSeed).png().toBuffer(),
		synthImage(1024, 1024, photoSeed).jpeg({ quality: 90 }).toBuffer(),
		synthImage(1024, 1024, photoSeed).webp({ quality: 90 }).toBuffer(),
		synthImage(1536, 1024, seedOf('wide')).png().toBuffer(),
		synthImage(1024, 1536, seedOf('tall')).png().toBuffer(),
		synthImage(256, 256, seedOf('small')).png().toBuffer(),
		maskPng(1024, 1024),
		synthImage(64, 64, seedOf('gif'))
			.gif()
			.toBuffer()
			.catch(() => null),
	]);
	/** @type {Map<string, StoredImage>} */
	const m = new Map();
	m.set('photo.png', { bytes: png, contentType: MIME.png });
	m.set('photo.jpg', { bytes: jpg, contentType: MIME.jpeg });
	m.set('photo.webp', { bytes: webp, contentType: MIME.webp });
	m.set('wide.png', { bytes: wide, contentType: MIME.png });
	m.set('tall.png', { bytes: tall, contentType: MIME.png });
	m.set('small.png', { bytes: small, contentType: MIME.png });
	m.set('mask.png', { bytes: mask, contentType: MIME.png });
	if (gif) m.set('photo.gif', { bytes: gif, contentType: MIME.gif });
	m.set('not-an-image.png', {
		bytes: Buffer.from('This is plain text, not an image, despite the .png name.\n', 'utf8'),
		contentType: MIME.png,
	});
	return m;
}

/**
 * RGBA mask: opaque white with a transparent disc in the middle (the area to edit).
 * @param {number} width
 * @param {number} height
 */
function maskPng(width, height) {
	const buf = Buffer.alloc(width * height * 4, 255);
	const cx = width / 2;
	const cy = height / 2;
	const r = Math.min(width, height) / 4;
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const dx = x - cx;
			const dy = y - cy;
			if (dx * dx + dy * dy <= r * r) buf[(y * width + x) * 4 + 3] = 0;
		}
	}
	return sharp(buf, { raw: { width, height, channels: 4 } }).png().toBuffer();
}

/**
 * Output dimensions for a `size` parameter.
 * @param {string} size  '1024x1024' | '1536x1024' | '1024x1536' | 'auto'
 * @param {{ width: number, height: number } | null} input  first input image (null: generation)
 * @returns {{ width: number, height: number }}
 */
function resolveSize(size, input) {
	const m = /^(\d+)x(\d+)$/.exec(size);
	if (m) return { width: Number(m[1]), height: Number(m[2]) };
	if (!input || !input.width || !input.height) return { width: 1024, height: 1024 };
	const ratio = input.width / input.height;
	if (ratio > 1.2) return { width: 1536, height: 1024 };
	if (ratio < 1 / 1.2) return { width: 1024, height: 1536 };
	return { width: 1024, height: 1024 };
}

/**
 * Image dimensions, or null if sharp cannot decode it.
 * @param {Buffer} bytes
 * @returns {Promise<{ width: number, height: number, hasAlpha: boolean } | null>}
 */
async function probe(bytes) {
	try {
		const md = await sharp(bytes).metadata();
		if (!md.width || !md.height) return null;
		return { width: md.width, height: md.height, hasAlpha: Boolean(md.hasAlpha) };
	} catch {
		return null;
	}
}

/**
 * Produce the emulated model output.
 *
 * Edit (input given): cover-resize the input to the target size and negate its colours (a visible,
 * deterministic edit: output pixel = 255 - input pixel). Generation (no input): a gradient seeded
 * by `seed`. `transparent` makes everything outside an inscribed ellipse fully transparent (and
 * keeps the input's own alpha inside); otherwise the result is flattened onto white (opaque).
 *
 * @param {object} o
 * @param {Buffer | null} o.input       first input image bytes (null → synthesize from seed)
 * @param {number} o.seed               seed for synthesis
 * @param {string} o.size               requested size parameter
 * @param {'png' | 'jpeg' | 'webp'} o.format
 * @param {number} o.compression        0..100, quality for jpeg/webp
 * @param {boolean} o.transparent
 * @param {boolean} o.edit              apply the edit (negate); false for generation models
 * @returns {Promise<RenderedImage>}
 */
async function renderOutput(o) {
	let inputDims = null;
	/** @type {import('sharp').Sharp} */
	let img;
	if (o.input) {
		inputDims = await probe(o.input);
		if (!inputDims) throw new Error('input image could not be decoded');
		img = sharp(o.input);
	} else {
		inputDims = o.edit ? { width: 1024, height: 1024 } : null;
	}
	const { width, height } = resolveSize(o.size, inputDims);
	if (!o.input) img = synthImage(width, height, o.seed);
	img = /** @type {import('sharp').Sharp} */ (img).resize(width, height, {
		fit: 'cover',
		position: 'centre',
	});
	if (o.edit) img = img.negate({ alpha: false });

	const transparent = o.transparent && o.format !== 'jpeg';
	if (transparent) {
		const { data, info } = await img.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
		const ch = info.channels;
		const rx = (info.width / 2) * 0.96;
		const ry = (info.height / 2) * 0.96;
		const cx = info.width / 2;
		const cy = info.height / 2;
		for (let y = 0; y < info.height; y++) {
			const ny = (y + 0.5 - cy) / ry;
			for (let x = 0; x < info.width; x++) {
				const nx = (x + 0.5 - cx) / rx;
				if (nx * nx + ny * ny > 1) data[(y * info.width + x) * ch + ch - 1] = 0;
			}
		}
		img = sharp(data, { raw: { width: info.width, height: info.height, channels: ch } });
	} else {
		img = img.flatten({ background: '#ffffff' });
	}

	const q = Math.min(100, Math.max(1, Math.round(o.compression)));
	let bytes;
	if (o.format === 'jpeg') bytes = await img.jpeg({ quality: q }).toBuffer();
	else if (o.format === 'webp') bytes = await img.webp({ quality: q, alphaQuality: 100 }).toBuffer();
	else bytes = await img.png().toBuffer();
	return {
		bytes,
		format: o.format,
		contentType: MIME[o.format],
		width,
		height,
		hasAlpha: transparent,
	};
}

module.exports = {
	sniffImage,
	mimeFor,
	extFor,
	contentTypeForName,
	decodeDataUrl,
	seedOf,
	gradientRaw,
	synthImage,
	makeFixtures,
	resolveSize,
	probe,
	renderOutput,
};
