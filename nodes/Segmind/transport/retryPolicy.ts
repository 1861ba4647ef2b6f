/**
 * The one retry policy for every Segmind call: capped exponential backoff with full jitter,
 * stretched to Segmind's `Retry-After` when it sends one.
 */
export interface RetryPolicy {
	/** Attempts in all, the first included. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 400, maxDelayMs: 8000 };

/** The longest `Retry-After` honoured; a longer one is treated as this. */
const MAX_RETRY_AFTER_MS = 60_000;

/** Statuses worth another try on a request that is safe to repeat. */
export function isTransientStatus(statusCode: number): boolean {
	return statusCode === 429 || statusCode === 500 || statusCode === 502 || statusCode === 503 || statusCode === 504;
}

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date), if it is usable. */
export function parseRetryAfter(value: unknown, nowMs: number): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string' || text.trim() === '') return undefined;
	const seconds = Number(text);
	const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(text) - nowMs;
	if (!Number.isFinite(ms) || ms < 0) return undefined;
	return Math.min(ms, MAX_RETRY_AFTER_MS);
}

/** Delay before retry number `retry` (1 = the first retry). */
export function retryDelayMs(retry: number, policy: RetryPolicy, retryAfterMs?: number): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
	const jittered = ceiling / 2 + Math.random() * (ceiling / 2);
	return Math.max(jittered, retryAfterMs ?? 0);
}
