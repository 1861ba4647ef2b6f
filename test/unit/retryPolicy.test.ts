import {
	backoffMs,
	MAX_DELAY_MS,
	NOT_SENT_SUBMIT_ATTEMPTS,
	parseRetryAfter,
	retryDecision,
} from '../../nodes/Segmind/transport/retryPolicy';
import type { Fault } from '../../nodes/Segmind/transport/retryPolicy';

const serverError: Fault = { kind: 'server-error', statusCode: 502 };
const reset: Fault = { kind: 'connection', reason: 'socket hang up, ECONNRESET' };
const refused: Fault = { kind: 'not-sent', reason: 'connect ECONNREFUSED' };
const rateLimited: Fault = { kind: 'rate-limited' };
const unreadable: Fault = { kind: 'unreadable', reason: 'the body is not valid JSON' };
const hour = 3_600_000;

describe('retry decision (pure)', () => {
	it('repeats a repeatable call on every kind of fault, however often, while time is left', () => {
		for (const fault of [serverError, reset, refused, rateLimited, unreadable]) {
			for (const attempt of [1, 2, 8, 50, 500]) {
				const decision = retryDecision({ attempt, fault, repeatable: true, timeLeftMs: hour });
				expect(decision.retry).toBe(true);
			}
		}
	});

	it('stops a repeatable call when the next wait would pass the deadline', () => {
		const max = () => 0.999;
		expect(retryDecision({ attempt: 10, fault: serverError, repeatable: true, timeLeftMs: 1000 }, max)).toEqual({
			retry: false,
			why: 'deadline',
		});
		expect(retryDecision({ attempt: 1, fault: reset, repeatable: true, timeLeftMs: 0 })).toEqual({ retry: false, why: 'deadline' });
	});

	it('re-sends a submit only when Segmind certainly did not create a job', () => {
		for (const fault of [serverError, reset, unreadable]) {
			expect(retryDecision({ attempt: 1, fault, repeatable: false, timeLeftMs: hour })).toEqual({
				retry: false,
				why: 'not-repeatable',
			});
		}
		expect(retryDecision({ attempt: 1, fault: rateLimited, repeatable: false, timeLeftMs: hour }).retry).toBe(true);
		expect(retryDecision({ attempt: 40, fault: rateLimited, repeatable: false, timeLeftMs: hour }).retry).toBe(true);
		expect(retryDecision({ attempt: 1, fault: refused, repeatable: false, timeLeftMs: hour }).retry).toBe(true);
		// A connection that never opens is usually a wrong base URL: a few tries, then the error.
		expect(retryDecision({ attempt: NOT_SENT_SUBMIT_ATTEMPTS, fault: refused, repeatable: false, timeLeftMs: hour })).toEqual({
			retry: false,
			why: 'not-sent-attempts',
		});
		// A 429 at the deadline ends the submit too: the user asked for no longer.
		expect(retryDecision({ attempt: 1, fault: { kind: 'rate-limited', retryAfterMs: 5000 }, repeatable: false, timeLeftMs: 4000 })).toEqual({
			retry: false,
			why: 'deadline',
		});
	});

	it('backs off exponentially with full jitter, capped', () => {
		expect(backoffMs(1, () => 0)).toBe(0);
		expect(backoffMs(1, () => 0.5)).toBe(125);
		expect(backoffMs(3, () => 0.5)).toBe(500);
		expect(backoffMs(30, () => 0.999_999)).toBeLessThanOrEqual(MAX_DELAY_MS);
		expect(backoffMs(30, () => 0.999_999)).toBeGreaterThan(MAX_DELAY_MS * 0.99);
		const delays = Array.from({ length: 200 }, () => backoffMs(6));
		expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_DELAY_MS);
	});

	it('waits at least as long as Retry-After asks, in seconds or as a date', () => {
		const now = Date.UTC(2026, 10, 24, 12, 0, 0);
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter(new Date(now + 5000).toUTCString(), now)).toBe(5000);
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter('100000', now)).toBe(60000);
		const decision = retryDecision(
			{ attempt: 1, fault: { kind: 'server-error', statusCode: 503, retryAfterMs: 3000 }, repeatable: true, timeLeftMs: hour },
			() => 0,
		);
		expect(decision).toEqual({ retry: true, delayMs: 3000 });
	});
});
