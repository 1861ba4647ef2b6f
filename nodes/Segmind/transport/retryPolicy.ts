/**
 * The one retry rule for every HTTP call the node makes, as a pure function: given what went
 * wrong, whether the call is safe to repeat and how much of the item's time is left, retry (after
 * how long) or give up (and why). Capped exponential backoff with full jitter, stretched to a
 * `Retry-After` the server sends.
 *
 * Calls that are safe to repeat (status, result, download, upload: free, and they create nothing)
 * are retried on every transient fault until the deadline, however often. A call that may create
 * a billed job (a submit) is repeated only when Segmind certainly did not see it: a 429 (waited
 * out until the deadline) or a connection that never opened (a few times: that is usually a wrong
 * base URL, not a blip).
 */

/** What went wrong with one attempt. HTTP answers that are not transient are not faults. */
export type Fault =
	/** 429: Segmind turned the request away; nothing happened. */
	| { kind: 'rate-limited'; retryAfterMs?: number }
	/** 500, 502, 503, 504: a server error; for a submit, a job may exist. */
	| { kind: 'server-error'; statusCode: number; retryAfterMs?: number }
	/** The connection never opened (refused, unknown host): the server cannot have seen the request. */
	| { kind: 'not-sent'; reason: string }
	/** The connection broke or timed out after the request may have left. */
	| { kind: 'connection'; reason: string }
	/** A 2xx answer that cannot be read (bad JSON, a transfer cut short). */
	| { kind: 'unreadable'; reason: string };

export interface RetryQuestion {
	/** Attempts made so far, this one included (1 after the first). */
	attempt: number;
	fault: Fault;
	/** Whether sending the call again cannot create (or bill) anything twice. */
	repeatable: boolean;
	/** Until the deadline; nothing is retried past it. */
	timeLeftMs: number;
}

export type RetryDecision =
	| { retry: true; delayMs: number }
	| { retry: false; why: 'not-repeatable' | 'deadline' | 'not-sent-attempts' };

export const BASE_DELAY_MS = 250;
export const MAX_DELAY_MS = 5000;
/** Attempts for a submit whose connection never opened. */
export const NOT_SENT_SUBMIT_ATTEMPTS = 4;
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

/** Full jitter: uniformly between 0 and the capped exponential ceiling for this retry. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
	const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(attempt - 1, 20));
	return random() * ceiling;
}

/** Whether a fault leaves the server certainly untouched, so even a submit may be sent again. */
function certainlyNotCreated(fault: Fault): boolean {
	return fault.kind === 'rate-limited' || fault.kind === 'not-sent';
}

export function retryDecision(question: RetryQuestion, random: () => number = Math.random): RetryDecision {
	const { attempt, fault, repeatable, timeLeftMs } = question;
	if (!repeatable && !certainlyNotCreated(fault)) return { retry: false, why: 'not-repeatable' };
	if (!repeatable && fault.kind === 'not-sent' && attempt >= NOT_SENT_SUBMIT_ATTEMPTS) {
		return { retry: false, why: 'not-sent-attempts' };
	}
	const retryAfterMs = 'retryAfterMs' in fault ? (fault.retryAfterMs ?? 0) : 0;
	const delayMs = Math.max(backoffMs(attempt, random), retryAfterMs);
	if (delayMs >= timeLeftMs) return { retry: false, why: 'deadline' };
	return { retry: true, delayMs };
}

/** How an error message names a fault, e.g. "HTTP 502" or "connection reset (ECONNRESET)". */
export function describeFault(fault: Fault): string {
	switch (fault.kind) {
		case 'rate-limited':
			return 'HTTP 429 (rate limit)';
		case 'server-error':
			return `HTTP ${fault.statusCode}`;
		default:
			return fault.reason;
	}
}
