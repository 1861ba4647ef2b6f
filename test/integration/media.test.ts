import { runSegmind, expectKeyKeptSecret, startTestEmulator } from './setup';
import type { Emulator } from './setup';
import { mp3, mp4, pdf, wav } from '../emulator/media';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startTestEmulator();
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => emulator.reset());

/** Any Model › Run on a slug the emulator serves, its result's `output` replaced by `output`. */
async function runAnyModel(output: unknown, options: Record<string, unknown> = {}, binaryMode?: 'filesystem' | 'default') {
	emulator.nextJobs({ output });
	return await runSegmind(
		emulator,
		{
			resource: 'model',
			operation: 'run',
			modelSlug: 'gpt-image-1-mini',
			body: '{"prompt": "a short film of a fox"}',
			options: { pollInterval: 0.2, ...options },
		},
		binaryMode ? { binaryMode } : {},
	);
}

describe('the media fixtures are genuine files of their format', () => {
	it('WAV: RIFF/WAVE with a PCM fmt chunk and as many data bytes as it says', () => {
		const file = wav();
		expect(file.toString('latin1', 0, 4)).toBe('RIFF');
		expect(file.readUInt32LE(4)).toBe(file.length - 8);
		expect(file.toString('latin1', 8, 16)).toBe('WAVEfmt ');
		expect(file.readUInt16LE(20)).toBe(1);
		expect(file.toString('latin1', 36, 40)).toBe('data');
		expect(file.readUInt32LE(40)).toBe(file.length - 44);
	});

	it('MP3: back-to-back MPEG-1 Layer III frames of the size their header gives', () => {
		const file = mp3();
		// 128 kbit/s at 44.1 kHz, no padding: 144 * 128000 / 44100 = 417 bytes per frame.
		for (let offset = 0; offset < file.length; offset += 417) {
			expect([...file.subarray(offset, offset + 4)]).toEqual([0xff, 0xfb, 0x90, 0xc4]);
		}
		expect(file.length % 417).toBe(0);
	});

	it('MP4: boxes ftyp, moov (holding mvhd) and mdat whose sizes add up to the file', () => {
		const file = mp4();
		const boxes: string[] = [];
		for (let offset = 0; offset < file.length; offset += file.readUInt32BE(offset)) boxes.push(file.toString('latin1', offset + 4, offset + 8));
		expect(boxes).toEqual(['ftyp', 'moov', 'mdat']);
		expect(file.toString('latin1', 8, 12)).toBe('isom');
		expect(file.indexOf('mvhd')).toBeGreaterThan(file.indexOf('moov'));
	});

	it('PDF: header, objects at the offsets its xref table lists, trailer', () => {
		const text = pdf().toString('latin1');
		expect(text.startsWith('%PDF-1.4\n')).toBe(true);
		expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
		const startxref = Number(/startxref\n(\d+)/.exec(text)![1]);
		expect(text.slice(startxref, startxref + 4)).toBe('xref');
		const offsets = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((match) => Number(match[1]));
		offsets.forEach((offset, index) => expect(text.slice(offset).startsWith(`${index + 1} 0 obj`)).toBe(true));
	});
});

describe.each(['filesystem', 'default'] as const)('Any Model › Run returns whatever the model made (binary mode %s)', (binaryMode) => {
	it('downloads video, audio and a PDF as binary with the type and extension of their bytes', async () => {
		const urls = {
			video: emulator.fixtureUrl('media/clip.mp4'),
			audio: emulator.fixtureUrl('media/tone.wav'),
			track: emulator.fixtureUrl('media/tone.mp3'),
			pdf: emulator.fixtureUrl('media/page.pdf'),
		};
		const run = await runAnyModel({ video: urls.video, audio: [urls.audio, urls.track], document: { url: urls.pdf } }, {}, binaryMode);
		expect(run.error).toBeUndefined();
		const [item] = run.items;
		expect(Object.keys(item.binary ?? {})).toEqual(['data', 'data_1', 'data_2', 'data_3']);
		const requestId = [...emulator.jobs.keys()][0];
		const expected = [
			['data', 'video/mp4', 'mp4', 'video', mp4()],
			['data_1', 'audio/wav', 'wav', 'audio', wav()],
			['data_2', 'audio/mpeg', 'mp3', 'audio', mp3()],
			['data_3', 'application/pdf', 'pdf', 'document', pdf()],
		] as const;
		for (const [field, mimeType, extension, , bytes] of expected) {
			expect(item.binary![field]).toMatchObject({ mimeType, fileExtension: extension, fileName: `gpt-image-1-mini-${requestId}${field === 'data' ? '' : `-${field.slice(5)}`}.${extension}` });
			// Byte for byte what the host served: nothing converted.
			expect((await run.getBinaryBuffer(item, field)).equals(bytes)).toBe(true);
		}
		expect(item.json).toMatchObject({ status: 'COMPLETED', requestId, outputUrls: [urls.video, urls.audio, urls.track, urls.pdf] });
		expect((item.json.files as Array<{ kind: string; mimeType: string }>).map((file) => [file.kind, file.mimeType])).toEqual(
			expected.map(([, mimeType, , kind]) => [kind, mimeType]),
		);
		expect(item.pairedItem).toEqual({ item: 0 });
		expectKeyKeptSecret(emulator, run);
	});
});

describe('Any Model › Run, other results', () => {
	it('names a file after its bytes, not after a wrong Content-Type or URL', async () => {
		const url = emulator.storeImage('media/looks-like.png', wav(), 'image/png');
		const run = await runAnyModel(url);
		expect(run.error).toBeUndefined();
		expect(run.items[0].binary?.data).toMatchObject({ mimeType: 'audio/wav', fileExtension: 'wav' });
	});

	it('streams a file larger than the 64 KiB read-ahead whole into binary storage (a 3 MB MP4)', async () => {
		// A real MP4 whose mdat box holds 3 MB: the node reads 64 KiB to recognise it, then streams the rest.
		const mdat = Buffer.alloc(3_000_000 + 8, 7);
		mdat.writeUInt32BE(mdat.length, 0);
		mdat.write('mdat', 4, 'latin1');
		const small = mp4();
		const large = Buffer.concat([small.subarray(0, small.length - 8), mdat]);
		const url = emulator.storeImage('media/long.mp4', large, 'video/mp4');
		const run = await runAnyModel({ video: url }, {}, 'filesystem');
		expect(run.error).toBeUndefined();
		expect(run.items[0].binary?.data).toMatchObject({ mimeType: 'video/mp4', fileExtension: 'mp4' });
		expect((await run.getBinaryBuffer(run.items[0])).equals(large)).toBe(true);
	});

	it('keeps inline data of any type (a data URL, an MP3) as binary', async () => {
		const run = await runAnyModel({ audio: `data:audio/mpeg;base64,${mp3().toString('base64')}` });
		expect(run.error).toBeUndefined();
		expect(run.items[0].binary?.data).toMatchObject({ mimeType: 'audio/mpeg', fileExtension: 'mp3' });
		expect((await run.getBinaryBuffer(run.items[0])).equals(mp3())).toBe(true);
	});

	it.each([
		['JSON', Buffer.from('{"frames": [1, 2, 3]}'), 'application/octet-stream', 'application/json', 'json'],
		['plain text', Buffer.from('A transcript of the clip.\n'), 'text/plain; charset=utf-8', 'text/plain', 'txt'],
		['a Wavefront OBJ mesh', Buffer.from('# mesh\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n'), 'text/plain', 'model/obj', 'obj'],
		['a GLB model', Buffer.concat([Buffer.from('glTF'), Buffer.from([2, 0, 0, 0, 12, 0, 0, 0])]), 'application/octet-stream', 'model/gltf-binary', 'glb'],
		['unknown bytes', Buffer.from([0, 1, 2, 3, 250, 251, 252]), 'application/octet-stream', 'application/octet-stream', 'bin'],
	])('keeps %s as it is, typed from its bytes', async (_case, bytes, served, mimeType, extension) => {
		const url = emulator.storeImage(`media/file-${extension}`, bytes, served);
		const run = await runAnyModel([url]);
		expect(run.error).toBeUndefined();
		expect(run.items[0].binary?.data).toMatchObject({ mimeType, fileExtension: extension });
		expect((await run.getBinaryBuffer(run.items[0])).equals(bytes)).toBe(true);
	});

	it('with Output: URL Only downloads nothing and lists every URL', async () => {
		const urls = [emulator.fixtureUrl('media/clip.mp4'), emulator.fixtureUrl('media/page.pdf')];
		const run = await runAnyModel({ video: urls[0], pdf: urls[1] }, { outputMode: 'url' });
		expect(run.error).toBeUndefined();
		expect(run.items[0].binary).toBeUndefined();
		expect(run.items[0].json.outputUrls).toEqual(urls);
		expect(emulator.requests.filter((request) => request.origin === 'images')).toEqual([]);
	});

	it('a file that cannot be fetched leaves the item completed, with its URL, the request id and the reason', async () => {
		const good = emulator.fixtureUrl('media/tone.wav');
		const gone = `${emulator.imageUrl}/images/media/expired.mp4`;
		const run = await runAnyModel({ audio: good, video: gone });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		const [item] = run.items;
		const requestId = [...emulator.jobs.keys()][0];
		expect(item.json).toMatchObject({ status: 'COMPLETED', requestId, outputUrls: [good, gone] });
		expect(item.json.error).toBeUndefined();
		expect(item.json.files).toEqual([
			expect.objectContaining({ binaryField: 'data', mimeType: 'audio/wav', url: good }),
			expect.objectContaining({ binaryField: null, url: gone, downloadError: 'the image host answered HTTP 404' }),
		]);
		expect(Object.keys(item.binary ?? {})).toEqual(['data']);
		// Only the one job: nothing was submitted again.
		expect(emulator.submitCount()).toBe(1);
	});

	it('Job › Get Result fetches a submitted job\'s video as binary too', async () => {
		const submitted = await runAnyModel({ video: emulator.fixtureUrl('media/clip.mp4') }, { runMode: 'submit' });
		const requestId = submitted.items[0].json.requestId as string;
		const run = await runSegmind(emulator, {
			resource: 'job',
			operation: 'getResult',
			requestId,
			waitSeconds: 30,
			options: { pollInterval: 0.2 },
		});
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({ requestId, status: 'COMPLETED' });
		expect(run.items[0].binary?.data).toMatchObject({ mimeType: 'video/mp4', fileExtension: 'mp4' });
		expect((await run.getBinaryBuffer(run.items[0])).equals(mp4())).toBe(true);
		expect(emulator.submitCount()).toBe(1);
	});

	it('a described image model still requires an image (a WAV result fails the item)', async () => {
		const url = emulator.storeImage('media/not-an-image.png', wav(), 'image/png');
		emulator.nextJobs({ output: url });
		const run = await runSegmind(emulator, {
			resource: 'image',
			operation: 'generate',
			model: 'gpt-image-1-mini',
			prompt: 'A fox',
			options: { pollInterval: 0.2 },
		});
		expect(run.error?.message).toContain('not a PNG, JPEG, WebP or GIF image');
	});
});
