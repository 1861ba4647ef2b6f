import { createHash } from 'crypto';

import type { IDataObject } from 'n8n-workflow';

/**
 * The node's memory of the jobs it has bought, so that a re-run of the node in the same
 * execution (Retry On Fail) or in a retry of it (n8n's executions list) never pays twice: pure
 * functions over a plain JSON object that lives in the node's execution context (see
 * jobReuse.ts). Nothing here knows n8n or HTTP; nothing here holds the API key (the key is never
 * part of a job's body).
 */

/** Segmind keeps a job's status and result for 1 hour: an older job is not fetched again. */
export const REUSE_WINDOW_MS = 60 * 60 * 1000;

/** One job Segmind accepted for one item of one run of the node. */
export interface JobRecord {
	requestId: string;
	model: string;
	/** When Segmind accepted it (ms since the epoch). */
	acceptedMs: number;
	/** The job spec's fingerprint (see jobFingerprint), computable before uploading: what a re-run matches. */
	fingerprint: string;
	/** Fingerprint of exactly what was sent: the body after uploads (uploaded asset URLs included). */
	sentFingerprint: string;
	/** The body that was sent, shown again as `parameters` when the job is reused. */
	sentBody: IDataObject;
	/** What Segmind answered to the submit (Submit Only shows it again). */
	response: IDataObject;
	/** Segmind reported the job FAILED: a re-run submits anew. */
	failed?: boolean;
}

/** A submit whose outcome is unknown (the connection broke after sending, a 5xx…): Segmind may have the job. */
export interface UnknownSubmit {
	fingerprint: string;
	/** When it was sent (ms since the epoch). */
	sentMs: number;
}

/**
 * What the node keeps in its context: per run index, per item index, the last job recorded, and
 * the submits whose outcome is unknown (never sent again by a re-run).
 */
export interface JobStore {
	runs?: { [runIndex: string]: { [itemIndex: string]: JobRecord } };
	unknown?: { [runIndex: string]: { [itemIndex: string]: UnknownSubmit } };
}

/** A binary input to be uploaded, by content: the uploaded URL changes on every upload, the bytes do not. */
export interface UploadFingerprint {
	field: string;
	list: boolean;
	mimeType: string;
	sha256: string;
}

/** What defines a job before its uploads: the model, the body as prepared, the binary inputs' content. */
export interface FingerprintInput {
	model: string;
	body: IDataObject;
	uploads?: UploadFingerprint[];
}

export function sha256Hex(data: Buffer | string): string {
	return createHash('sha256').update(data).digest('hex');
}

/** JSON with object keys sorted at every level, so equal bodies give equal text whatever their key order. */
export function stableJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map((entry) => stableJson(entry === undefined ? null : entry)).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.keys(value)
			.sort()
			.filter((key) => (value as IDataObject)[key] !== undefined)
			.map((key) => `${JSON.stringify(key)}:${stableJson((value as IDataObject)[key])}`);
		return `{${entries.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/** The fingerprint of a job: equal exactly when model, body and binary inputs are equal. */
export function jobFingerprint(input: FingerprintInput): string {
	return sha256Hex(stableJson({ model: input.model, body: input.body, uploads: input.uploads ?? [] }));
}

function isUsable(record: JobRecord | undefined, nowMs: number): record is JobRecord {
	return record !== undefined && record.failed !== true && nowMs - record.acceptedMs < REUSE_WINDOW_MS && record.acceptedMs <= nowMs;
}

/**
 * The job recorded for this item of this run, when a re-run may use it instead of buying a new
 * one: same fingerprint, accepted under an hour ago, not FAILED.
 */
export function findReusableJob(
	store: JobStore,
	runIndex: number,
	itemIndex: number,
	fingerprint: string,
	nowMs: number,
): JobRecord | undefined {
	const record = store.runs?.[String(runIndex)]?.[String(itemIndex)];
	return isUsable(record, nowMs) && record.fingerprint === fingerprint ? record : undefined;
}

/** Drops entries too old to matter (Segmind forgets jobs after an hour), so the context does not grow with every run of a loop. */
function pruneExpired(store: JobStore, nowMs: number): void {
	const prune = <T>(runs: { [runIndex: string]: { [itemIndex: string]: T } } | undefined, sinceMs: (entry: T) => number) => {
		for (const [runIndex, items] of Object.entries(runs ?? {})) {
			for (const [itemIndex, entry] of Object.entries(items)) {
				if (nowMs - sinceMs(entry) >= REUSE_WINDOW_MS) delete items[itemIndex];
			}
			if (runs && Object.keys(items).length === 0) delete runs[runIndex];
		}
	};
	prune(store.runs, (record) => record.acceptedMs);
	prune(store.unknown, (entry) => entry.sentMs);
}

/** Records an accepted job for this item of this run (replacing an older one), in place. */
export function recordJob(store: JobStore, runIndex: number, itemIndex: number, record: JobRecord, nowMs: number): void {
	pruneExpired(store, nowMs);
	store.runs ??= {};
	const items = (store.runs[String(runIndex)] ??= {});
	items[String(itemIndex)] = record;
	delete store.unknown?.[String(runIndex)]?.[String(itemIndex)];
}

/** Records a submit whose outcome is unknown for this item of this run, in place. */
export function recordUnknownSubmit(store: JobStore, runIndex: number, itemIndex: number, fingerprint: string, nowMs: number): void {
	pruneExpired(store, nowMs);
	store.unknown ??= {};
	const items = (store.unknown[String(runIndex)] ??= {});
	items[String(itemIndex)] = { fingerprint, sentMs: nowMs };
}

/** Whether this item's same job was sent with an unknown outcome under an hour ago: a re-run must not send it again. */
export function hasUnknownSubmit(store: JobStore, runIndex: number, itemIndex: number, fingerprint: string, nowMs: number): boolean {
	const entry = store.unknown?.[String(runIndex)]?.[String(itemIndex)];
	return entry !== undefined && entry.fingerprint === fingerprint && nowMs - entry.sentMs < REUSE_WINDOW_MS;
}

/** Marks the recorded job FAILED (when it is still the one recorded), so a re-run submits anew. */
export function markJobFailed(store: JobStore, runIndex: number, itemIndex: number, requestId: string): void {
	const record = store.runs?.[String(runIndex)]?.[String(itemIndex)];
	if (record?.requestId === requestId) record.failed = true;
}
