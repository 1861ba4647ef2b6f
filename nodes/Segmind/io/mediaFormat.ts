import { detectImageFormat } from './imageFormat';

/**
 * Recognises any file a Segmind model may return (image, video, audio, PDF, 3D model, text/JSON)
 * from its first bytes, so the binary output gets the right MIME type and extension whatever the
 * host claims; the host's Content-Type is used only for what the bytes do not tell. Nothing is
 * converted: an unknown file is kept as it is, as application/octet-stream.
 */
export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'model' | 'text' | 'file';

export interface MediaFormat {
	kind: MediaKind;
	mimeType: string;
	extension: string;
	width?: number;
	height?: number;
}

const ascii = (data: Buffer, start: number, end: number): string =>
	data.length >= end ? data.toString('latin1', start, end) : '';

/** ISO base media (MP4, MOV, M4A, AVIF, HEIC, 3GP): the brand of the leading `ftyp` box. */
function isoMedia(data: Buffer): MediaFormat | undefined {
	if (ascii(data, 4, 8) !== 'ftyp') return undefined;
	const brand = ascii(data, 8, 12);
	if (brand === 'qt  ') return { kind: 'video', mimeType: 'video/quicktime', extension: 'mov' };
	if (brand === 'M4A ' || brand === 'M4B ') return { kind: 'audio', mimeType: 'audio/mp4', extension: 'm4a' };
	if (brand === 'avif' || brand === 'avis') return { kind: 'image', mimeType: 'image/avif', extension: 'avif' };
	if (['heic', 'heix', 'mif1', 'msf1'].includes(brand)) return { kind: 'image', mimeType: 'image/heic', extension: 'heic' };
	if (brand.startsWith('3g')) return { kind: 'video', mimeType: 'video/3gpp', extension: '3gp' };
	return { kind: 'video', mimeType: 'video/mp4', extension: 'mp4' };
}

/** MPEG audio: an ID3 tag, or a frame header (11 sync bits, a valid layer and bitrate). */
function mpegAudio(data: Buffer): MediaFormat | undefined {
	if (ascii(data, 0, 3) === 'ID3') return { kind: 'audio', mimeType: 'audio/mpeg', extension: 'mp3' };
	if (data.length < 4 || data[0] !== 0xff || (data[1] & 0xe0) !== 0xe0) return undefined;
	const layer = (data[1] >> 1) & 0x03;
	// Layer bits 00 are ADTS AAC (with MPEG-4/-2 version bits), not MP3.
	if (layer === 0) return (data[1] & 0xf6) === 0xf0 ? { kind: 'audio', mimeType: 'audio/aac', extension: 'aac' } : undefined;
	const bitrate = data[2] >> 4;
	if (bitrate === 0x0f || (data[2] & 0x0c) === 0x0c) return undefined;
	return { kind: 'audio', mimeType: 'audio/mpeg', extension: 'mp3' };
}

/** Byte signatures of the binary formats, checked in order. */
function binaryFormat(data: Buffer): MediaFormat | undefined {
	const riff = ascii(data, 0, 4) === 'RIFF' ? ascii(data, 8, 12) : '';
	if (riff === 'WAVE') return { kind: 'audio', mimeType: 'audio/wav', extension: 'wav' };
	if (riff === 'AVI ') return { kind: 'video', mimeType: 'video/x-msvideo', extension: 'avi' };
	if (ascii(data, 0, 4) === 'OggS') {
		const video = data.subarray(0, 512).includes('theora');
		return video
			? { kind: 'video', mimeType: 'video/ogg', extension: 'ogv' }
			: { kind: 'audio', mimeType: 'audio/ogg', extension: 'ogg' };
	}
	if (ascii(data, 0, 4) === 'fLaC') return { kind: 'audio', mimeType: 'audio/flac', extension: 'flac' };
	if (data.length >= 4 && data.readUInt32BE(0) === 0x1a45dfa3) {
		// Matroska; WebM says so in its DocType near the start.
		return data.subarray(0, 4096).includes('webm')
			? { kind: 'video', mimeType: 'video/webm', extension: 'webm' }
			: { kind: 'video', mimeType: 'video/x-matroska', extension: 'mkv' };
	}
	if (ascii(data, 0, 5) === '%PDF-') return { kind: 'document', mimeType: 'application/pdf', extension: 'pdf' };
	if (ascii(data, 0, 4) === 'glTF') return { kind: 'model', mimeType: 'model/gltf-binary', extension: 'glb' };
	if (ascii(data, 0, 4) === 'PK\u0003\u0004') return { kind: 'file', mimeType: 'application/zip', extension: 'zip' };
	if (ascii(data, 0, 2) === 'BM' && data.length >= 26 && data.readUInt32LE(14) >= 12) {
		return { kind: 'image', mimeType: 'image/bmp', extension: 'bmp' };
	}
	if (ascii(data, 0, 4) === 'II*\u0000' || ascii(data, 0, 4) === 'MM\u0000*') {
		return { kind: 'image', mimeType: 'image/tiff', extension: 'tif' };
	}
	return isoMedia(data) ?? mpegAudio(data);
}

/** Whether the bytes read as text: valid UTF-8 without control characters other than whitespace. */
function isText(data: Buffer): boolean {
	if (data.length === 0) return false;
	// A cut in the middle of a multi-byte character at the end of the head is not an error.
	for (const byte of data) {
		// Control bytes other than tab, line feed, form feed and carriage return mean binary data.
		if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) return false;
	}
	return !data.subarray(0, Math.max(1, data.length - 3)).toString('utf8').includes('\ufffd');
}

/** Text formats: JSON (and glTF), SVG, Wavefront OBJ, else plain text. */
function textFormat(data: Buffer, complete: boolean): MediaFormat {
	const text = data.toString('utf8').replace(/^\ufeff/, '').trimStart();
	if (text.startsWith('{') || text.startsWith('[')) {
		if (/^\{\s*"asset"\s*:/.test(text) || /"asset"\s*:\s*\{\s*"version"/.test(text.slice(0, 4096))) {
			return { kind: 'model', mimeType: 'model/gltf+json', extension: 'gltf' };
		}
		let json = !complete;
		if (complete) {
			try {
				JSON.parse(text);
				json = true;
			} catch {
				json = false;
			}
		}
		if (json) return { kind: 'text', mimeType: 'application/json', extension: 'json' };
	}
	if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(text)) {
		return { kind: 'image', mimeType: 'image/svg+xml', extension: 'svg' };
	}
	if (/^(#[^\n]*\n|\s*\n)*(mtllib|o|g|v) /m.test(text) && /^v\s+-?[\d.]+\s+-?[\d.]+\s+-?[\d.]+/m.test(text)) {
		return { kind: 'model', mimeType: 'model/obj', extension: 'obj' };
	}
	return { kind: 'text', mimeType: 'text/plain', extension: 'txt' };
}

/** Extensions for Content-Types the bytes cannot name (the host's word, used only as a fallback). */
const EXTENSION_FOR_TYPE: Record<string, { kind: MediaKind; extension: string }> = {
	'text/csv': { kind: 'text', extension: 'csv' },
	'text/html': { kind: 'text', extension: 'html' },
	'text/markdown': { kind: 'text', extension: 'md' },
	'text/vtt': { kind: 'text', extension: 'vtt' },
	'application/x-subrip': { kind: 'text', extension: 'srt' },
	'model/obj': { kind: 'model', extension: 'obj' },
	'model/stl': { kind: 'model', extension: 'stl' },
	'model/vnd.usdz+zip': { kind: 'model', extension: 'usdz' },
	'model/gltf-binary': { kind: 'model', extension: 'glb' },
	'application/x-ply': { kind: 'model', extension: 'ply' },
	'application/zip': { kind: 'file', extension: 'zip' },
};

/**
 * The format of a file from its first bytes (`complete` when they are the whole file), with the
 * host's Content-Type as a fallback for what the bytes do not tell apart (e.g. CSV is text).
 */
export function detectMediaFormat(head: Buffer, contentType?: string, complete = false): MediaFormat {
	const image = detectImageFormat(head);
	if (image) return { kind: 'image', ...image };
	const binary = binaryFormat(head);
	const claimed = (contentType ?? '').split(';')[0].trim().toLowerCase();
	const known = EXTENSION_FOR_TYPE[claimed];
	// A ZIP container may be a USDZ model: the host's type says which.
	if (binary && !(binary.mimeType === 'application/zip' && known)) return binary;
	if (known) return { kind: known.kind, mimeType: claimed, extension: known.extension };
	if (isText(head)) return textFormat(head, complete);
	return { kind: 'file', mimeType: 'application/octet-stream', extension: 'bin' };
}
