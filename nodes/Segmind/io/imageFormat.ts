/**
 * Recognises images by their bytes (never by a claimed MIME type) and reads their dimensions
 * from the headers, without an image library.
 */
export interface ImageFormat {
	mimeType: 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';
	extension: 'png' | 'jpg' | 'webp' | 'gif';
	width?: number;
	height?: number;
}

function startsWith(data: Buffer, bytes: number[], offset = 0): boolean {
	return data.length >= offset + bytes.length && bytes.every((byte, i) => data[offset + i] === byte);
}

function jpegSize(data: Buffer): { width: number; height: number } | undefined {
	let offset = 2;
	while (offset + 9 < data.length) {
		if (data[offset] !== 0xff) return undefined;
		const marker = data[offset + 1];
		// Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) do not.
		if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
			return { height: data.readUInt16BE(offset + 5), width: data.readUInt16BE(offset + 7) };
		}
		offset += 2 + data.readUInt16BE(offset + 2);
	}
	return undefined;
}

function webpSize(data: Buffer): { width: number; height: number } | undefined {
	const chunk = data.toString('ascii', 12, 16);
	if (chunk === 'VP8X' && data.length >= 30) {
		return { width: 1 + data.readUIntLE(24, 3), height: 1 + data.readUIntLE(27, 3) };
	}
	if (chunk === 'VP8L' && data.length >= 25) {
		const bits = data.readUInt32LE(21);
		return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
	}
	if (chunk === 'VP8 ' && data.length >= 30) {
		return { width: data.readUInt16LE(26) & 0x3fff, height: data.readUInt16LE(28) & 0x3fff };
	}
	return undefined;
}

export function detectImageFormat(data: Buffer): ImageFormat | undefined {
	if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
		const size = data.length >= 24 ? { width: data.readUInt32BE(16), height: data.readUInt32BE(20) } : {};
		return { mimeType: 'image/png', extension: 'png', ...size };
	}
	if (startsWith(data, [0xff, 0xd8, 0xff])) {
		return { mimeType: 'image/jpeg', extension: 'jpg', ...jpegSize(data) };
	}
	if (startsWith(data, [0x52, 0x49, 0x46, 0x46]) && startsWith(data, [0x57, 0x45, 0x42, 0x50], 8)) {
		return { mimeType: 'image/webp', extension: 'webp', ...webpSize(data) };
	}
	if (startsWith(data, [0x47, 0x49, 0x46, 0x38]) && data.length >= 10) {
		return { mimeType: 'image/gif', extension: 'gif', width: data.readUInt16LE(6), height: data.readUInt16LE(8) };
	}
	return undefined;
}
