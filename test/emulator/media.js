'use strict';
/**
 * Small but genuine media files for results of models that are not image models (Any Model ›
 * Run): a WAV tone, an MP3 of silent MPEG-1 Layer III frames, an MP4 (ftyp + moov with an mvhd
 * header + empty mdat) and a one-page PDF. Built from bytes here, so nothing binary is checked in;
 * each starts with its format's real signature and is well-formed by that format's rules.
 */

/** RIFF/WAVE, 8 kHz mono 16-bit PCM: `ms` milliseconds of a 440 Hz tone. */
function wav(ms = 100) {
	const rate = 8000;
	const samples = Math.round((rate * ms) / 1000);
	const data = Buffer.alloc(samples * 2);
	for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
	const header = Buffer.alloc(44);
	header.write('RIFF', 0, 'latin1');
	header.writeUInt32LE(36 + data.length, 4);
	header.write('WAVE', 8, 'latin1');
	header.write('fmt ', 12, 'latin1');
	header.writeUInt32LE(16, 16); // fmt chunk size
	header.writeUInt16LE(1, 20); // PCM
	header.writeUInt16LE(1, 22); // mono
	header.writeUInt32LE(rate, 24);
	header.writeUInt32LE(rate * 2, 28); // byte rate
	header.writeUInt16LE(2, 32); // block align
	header.writeUInt16LE(16, 34); // bits per sample
	header.write('data', 36, 'latin1');
	header.writeUInt32LE(data.length, 40);
	return Buffer.concat([header, data]);
}

/**
 * MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, mono, no CRC: header FF FB 90 C4, 417-byte frames. All-zero
 * side information and main data decode as silence.
 */
function mp3(frames = 10) {
	const frame = Buffer.alloc(417);
	Buffer.from([0xff, 0xfb, 0x90, 0xc4]).copy(frame, 0);
	return Buffer.concat(Array.from({ length: frames }, () => frame));
}

/** An ISO BMFF box: 32-bit size, type, payload. */
function box(type, ...payload) {
	const body = Buffer.concat(payload);
	const head = Buffer.alloc(8);
	head.writeUInt32BE(8 + body.length, 0);
	head.write(type, 4, 'latin1');
	return Buffer.concat([head, body]);
}

/** ftyp (isom, compatible isom/iso2/mp41) + moov/mvhd (version 0, timescale 1000, 1 s) + empty mdat. */
function mp4() {
	const ftyp = box('ftyp', Buffer.from('isom', 'latin1'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2mp41', 'latin1'));
	const mvhd = Buffer.alloc(100);
	// version/flags 0, creation and modification time 0
	mvhd.writeUInt32BE(1000, 12); // timescale
	mvhd.writeUInt32BE(1000, 16); // duration
	mvhd.writeUInt32BE(0x00010000, 20); // rate 1.0
	mvhd.writeUInt16BE(0x0100, 24); // volume 1.0
	// unity matrix
	[0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].forEach((value, i) => mvhd.writeUInt32BE(value, 36 + i * 4));
	mvhd.writeUInt32BE(1, 96); // next track id
	return Buffer.concat([ftyp, box('moov', box('mvhd', mvhd)), box('mdat')]);
}

/** A one-page PDF 1.4 with a correct cross-reference table. */
function pdf() {
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		null, // the content stream, below
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	const stream = 'BT /F1 18 Tf 20 40 Td (Segmind emulator) Tj ET';
	objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
	let text = '%PDF-1.4\n';
	const offsets = [];
	objects.forEach((object, i) => {
		offsets.push(Buffer.byteLength(text, 'latin1'));
		text += `${i + 1} 0 obj\n${object}\nendobj\n`;
	});
	const xref = Buffer.byteLength(text, 'latin1');
	text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const offset of offsets) text += `${String(offset).padStart(10, '0')} 00000 n \n`;
	text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(text, 'latin1');
}

/** The media fixtures the image origin serves (`emu.fixtureUrl('media/tone.wav')`, …). */
function mediaFixtures() {
	return new Map([
		['media/clip.mp4', { bytes: mp4(), contentType: 'video/mp4' }],
		['media/tone.wav', { bytes: wav(), contentType: 'audio/wav' }],
		['media/tone.mp3', { bytes: mp3(), contentType: 'audio/mpeg' }],
		['media/page.pdf', { bytes: pdf(), contentType: 'application/pdf' }],
	]);
}

module.exports = { wav, mp3, mp4, pdf, mediaFixtures };
