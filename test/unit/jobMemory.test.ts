import type { JobRecord, JobStore } from '../../nodes/Segmind/jobs/jobMemory';
import {
	findReusableJob,
	hasUnknownSubmit,
	recordUnknownSubmit,
	jobFingerprint,
	markJobFailed,
	recordJob,
	REUSE_WINDOW_MS,
	stableJson,
} from '../../nodes/Segmind/jobs/jobMemory';

const NOW = 1_800_000_000_000;
const body = { prompt: 'a red boat', image_urls: ['https://example.com/a.png'], size: 'auto' };
const fingerprint = jobFingerprint({ model: 'gpt-image-1-edit-mini', body });

function record(overrides: Partial<JobRecord> = {}): JobRecord {
	return {
		requestId: 'req-1',
		model: 'gpt-image-1-edit-mini',
		acceptedMs: NOW,
		fingerprint,
		sentFingerprint: fingerprint,
		sentBody: body,
		response: { request_id: 'req-1', status: 'QUEUED' },
		...overrides,
	};
}

describe('job fingerprint', () => {
	it('is the same for the same job whatever the key order, and differs on any change', () => {
		const reordered = { size: 'auto', image_urls: ['https://example.com/a.png'], prompt: 'a red boat' };
		expect(jobFingerprint({ model: 'gpt-image-1-edit-mini', body: reordered })).toBe(fingerprint);
		expect(jobFingerprint({ model: 'gpt-image-1-edit-mini', body: { ...body, prompt: 'a blue boat' } })).not.toBe(fingerprint);
		expect(jobFingerprint({ model: 'gpt-image-1.5-edit', body })).not.toBe(fingerprint);
		expect(jobFingerprint({ model: 'gpt-image-1-edit-mini', body: { ...body, image_urls: [] } })).not.toBe(fingerprint);
	});

	it('counts binary inputs by their content hash, field and type', () => {
		const upload = { field: 'image_urls', list: true, mimeType: 'image/png', sha256: 'a'.repeat(64) };
		const withUpload = jobFingerprint({ model: 'm', body, uploads: [upload] });
		expect(withUpload).not.toBe(jobFingerprint({ model: 'm', body }));
		expect(jobFingerprint({ model: 'm', body, uploads: [{ ...upload }] })).toBe(withUpload);
		expect(jobFingerprint({ model: 'm', body, uploads: [{ ...upload, sha256: 'b'.repeat(64) }] })).not.toBe(withUpload);
		expect(jobFingerprint({ model: 'm', body, uploads: [{ ...upload, field: 'mask', list: false }] })).not.toBe(withUpload);
	});

	it('is a sha-256 of the spec only: no API key can be in it', () => {
		expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
		expect(stableJson({ b: 1, a: [undefined, { d: undefined, c: 'x' }] })).toBe('{"a":[null,{"c":"x"}],"b":1}');
	});
});

describe('job memory', () => {
	it('finds the job recorded for the same run, item and fingerprint', () => {
		const store: JobStore = {};
		recordJob(store, 0, 2, record(), NOW);
		expect(findReusableJob(store, 0, 2, fingerprint, NOW + 1000)?.requestId).toBe('req-1');
		expect(findReusableJob(store, 0, 1, fingerprint, NOW)).toBeUndefined();
		expect(findReusableJob(store, 1, 2, fingerprint, NOW)).toBeUndefined();
		expect(findReusableJob(store, 0, 2, 'other', NOW)).toBeUndefined();
	});

	it('forgets a job after an hour (Segmind keeps results for 1 hour) and prunes it on the next record', () => {
		const store: JobStore = {};
		recordJob(store, 0, 0, record(), NOW);
		expect(findReusableJob(store, 0, 0, fingerprint, NOW + REUSE_WINDOW_MS - 1)).toBeDefined();
		expect(findReusableJob(store, 0, 0, fingerprint, NOW + REUSE_WINDOW_MS)).toBeUndefined();
		recordJob(store, 3, 0, record({ requestId: 'req-2', acceptedMs: NOW + REUSE_WINDOW_MS }), NOW + REUSE_WINDOW_MS);
		expect(Object.keys(store.runs ?? {})).toEqual(['3']);
	});

	it('never reuses a FAILED job; a newer job for the item replaces the record', () => {
		const store: JobStore = {};
		recordJob(store, 0, 0, record(), NOW);
		markJobFailed(store, 0, 0, 'some-other-id');
		expect(findReusableJob(store, 0, 0, fingerprint, NOW)).toBeDefined();
		markJobFailed(store, 0, 0, 'req-1');
		expect(findReusableJob(store, 0, 0, fingerprint, NOW)).toBeUndefined();
		recordJob(store, 0, 0, record({ requestId: 'req-3' }), NOW + 5);
		expect(findReusableJob(store, 0, 0, fingerprint, NOW + 5)?.requestId).toBe('req-3');
	});

	it('remembers a submit whose outcome is unknown for an hour, until a job is recorded for the item', () => {
		const store: JobStore = {};
		recordUnknownSubmit(store, 0, 1, fingerprint, NOW);
		expect(hasUnknownSubmit(store, 0, 1, fingerprint, NOW + 10)).toBe(true);
		expect(hasUnknownSubmit(store, 0, 1, 'changed inputs', NOW + 10)).toBe(false);
		expect(hasUnknownSubmit(store, 0, 0, fingerprint, NOW + 10)).toBe(false);
		expect(hasUnknownSubmit(store, 0, 1, fingerprint, NOW + REUSE_WINDOW_MS)).toBe(false);
		recordJob(store, 0, 1, record(), NOW + 20);
		expect(hasUnknownSubmit(store, 0, 1, fingerprint, NOW + 30)).toBe(false);
		recordUnknownSubmit(store, 2, 0, fingerprint, NOW);
		recordJob(store, 5, 0, record({ acceptedMs: NOW + REUSE_WINDOW_MS }), NOW + REUSE_WINDOW_MS);
		expect(store.unknown).toEqual({});
	});

	it('is plain JSON, as n8n saves it with the execution', () => {
		const store: JobStore = {};
		recordJob(store, 0, 0, record(), NOW);
		expect(JSON.parse(JSON.stringify(store))).toEqual(store);
	});
});
