import { detectMediaFormat } from '../../nodes/Segmind/io/mediaFormat';
import { findResultImages, findResultMedia } from '../../nodes/Segmind/io/resultImages';
import { mp3, mp4, pdf, wav } from '../emulator/media';

const ftyp = (brand: string) => Buffer.concat([Buffer.from([0, 0, 0, 20]), Buffer.from(`ftyp${brand}`, 'latin1'), Buffer.alloc(8)]);

describe('detectMediaFormat: type and extension from the bytes', () => {
	it.each([
		['MP4', mp4(), 'video/mp4', 'mp4', 'video'],
		['MOV', ftyp('qt  '), 'video/quicktime', 'mov', 'video'],
		['M4A', ftyp('M4A '), 'audio/mp4', 'm4a', 'audio'],
		['WebM', Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84]), Buffer.from('webm')]), 'video/webm', 'webm', 'video'],
		['WAV', wav(), 'audio/wav', 'wav', 'audio'],
		['MP3 frames', mp3(), 'audio/mpeg', 'mp3', 'audio'],
		['MP3 with an ID3 tag', Buffer.concat([Buffer.from('ID3\u0004\u0000'), mp3(1)]), 'audio/mpeg', 'mp3', 'audio'],
		['AAC (ADTS)', Buffer.from([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc]), 'audio/aac', 'aac', 'audio'],
		['OGG', Buffer.from('OggS\u0000\u0002\u0000\u0000\u0000\u0000OpusHead'), 'audio/ogg', 'ogg', 'audio'],
		['FLAC', Buffer.from('fLaC\u0000\u0000\u0000\u0022'), 'audio/flac', 'flac', 'audio'],
		['PDF', pdf(), 'application/pdf', 'pdf', 'document'],
		['GLB', Buffer.from('glTF\u0002\u0000\u0000\u0000'), 'model/gltf-binary', 'glb', 'model'],
		['glTF JSON', Buffer.from('{"asset": {"version": "2.0"}, "scenes": []}'), 'model/gltf+json', 'gltf', 'model'],
		['SVG', Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'), 'image/svg+xml', 'svg', 'image'],
		['JSON', Buffer.from('[{"start": 0, "text": "hi"}]'), 'application/json', 'json', 'text'],
		['text', Buffer.from('Hello, world.\n'), 'text/plain', 'txt', 'text'],
	])('%s', (_name, bytes, mimeType, extension, kind) => {
		expect(detectMediaFormat(bytes, 'application/octet-stream', true)).toMatchObject({ mimeType, extension, kind });
	});

	it('believes the bytes over the Content-Type, and the Content-Type only for what bytes cannot tell', () => {
		expect(detectMediaFormat(wav(), 'image/png', true)).toMatchObject({ mimeType: 'audio/wav' });
		expect(detectMediaFormat(Buffer.from('a,b\n1,2\n'), 'text/csv', true)).toMatchObject({ mimeType: 'text/csv', extension: 'csv' });
		expect(detectMediaFormat(Buffer.from('PK\u0003\u0004rest'), 'model/vnd.usdz+zip', true)).toMatchObject({ extension: 'usdz', kind: 'model' });
	});

	it('keeps unknown bytes as application/octet-stream (.bin)', () => {
		expect(detectMediaFormat(Buffer.from([0, 159, 146, 150]), undefined, true)).toEqual({ kind: 'file', mimeType: 'application/octet-stream', extension: 'bin' });
	});

	it('takes a JSON head cut off by the 64 KiB read-ahead as JSON', () => {
		expect(detectMediaFormat(Buffer.from('{"frames": [1, 2, '), undefined, false)).toMatchObject({ mimeType: 'application/json' });
	});
});

describe('findResultMedia: every file in any result', () => {
	it('finds URLs under any key and depth, data URLs of any type, but not the job fields', () => {
		const audio = `data:audio/wav;base64,${wav(5).toString('base64')}`;
		const found = findResultMedia({
			status: 'COMPLETED',
			request_id: 'abc',
			poll_url: 'https://api.segmind.com/v1/requests/abc',
			metrics: { log_url: 'https://logs.example.com/abc' },
			output: { video_url: 'https://cdn.example.com/a.mp4', tracks: [{ audio }], caption: 'a fox at dusk' },
			thumbnail: 'https://cdn.example.com/a.jpg',
		});
		expect(found).toEqual([
			{ kind: 'url', url: 'https://cdn.example.com/a.mp4' },
			{ kind: 'inline', data: wav(5), mimeType: 'audio/wav' },
			{ kind: 'url', url: 'https://cdn.example.com/a.jpg' },
		]);
	});

	it('lists a URL once, and text with a URL in it is not a file', () => {
		expect(findResultMedia({ output: ['https://x.example/a.mp3', 'https://x.example/a.mp3', 'see https://x.example/b'] })).toEqual([
			{ kind: 'url', url: 'https://x.example/a.mp3' },
		]);
	});

	it('an image model still reads only image places and image data URLs', () => {
		expect(findResultImages({ output: { video_url: 'https://cdn.example.com/a.mp4' } })).toEqual([]);
		expect(findResultImages({ output: `data:audio/wav;base64,${wav(5).toString('base64')}` })).toEqual([]);
	});
});
