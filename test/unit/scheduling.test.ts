import { sleep } from 'n8n-workflow';

import { DurationEstimates, NEAR_INTERVAL_MS, nextPollDelayMs } from '../../nodes/Segmind/jobs/pollSchedule';
import type { PollSchedule } from '../../nodes/Segmind/jobs/pollSchedule';
import { mapWithConcurrency } from '../../nodes/Segmind/jobs/pool';
import { RequestThrottle } from '../../nodes/Segmind/transport/throttle';

/** A status request's round trip on loopback, as the bench sees it. */
const ROUND_TRIP_MS = 10;

/** Replays the schedule against a job that finishes at `doneMs`: polls sent and overhead. */
function simulate(schedule: PollSchedule, doneMs: number, deadlineMs = 600_000, queuedUntilMs = 0) {
	let now = 0;
	let polls = 0;
	let queuedSeenMs: number | undefined;
	for (;;) {
		now += nextPollDelayMs(schedule, { nowMs: now, submittedMs: 0, deadlineMs, polls, queuedSeenMs }) + ROUND_TRIP_MS;
		polls++;
		if (now >= doneMs || now >= deadlineMs) return { polls, overheadMs: now - doneMs };
		if (now < queuedUntilMs) queuedSeenMs = now;
	}
}

const quantile = (values: number[], share: number) => {
	const sorted = [...values].sort((x, y) => x - y);
	return sorted[Math.floor(share * (sorted.length - 1))];
};

describe('adaptive poll schedule (simulated clock)', () => {
	// gpt-image-1-edit-mini's page says ~42.46 s; real jobs take 0.7 to 1.5 times that.
	const typicalMs = 42_460;

	it('catches jobs of 0.7× to 1.5× the typical time promptly, with few requests', () => {
		const runs = Array.from({ length: 81 }, (_v, i) => simulate({ typicalMs }, (0.7 + (0.8 * i) / 80) * typicalMs));
		const overheads = runs.map((run) => run.overheadMs);
		const meanPolls = runs.reduce((sum, run) => sum + run.polls, 0) / runs.length;
		expect(quantile(overheads, 0.5)).toBeLessThanOrEqual(700);
		expect(quantile(overheads, 0.9)).toBeLessThanOrEqual(1500);
		expect(Math.max(...overheads)).toBeLessThanOrEqual(1800);
		expect(meanPolls).toBeLessThanOrEqual(15);
	});

	it('catches a 45 s job within 0.7 s using at most 10 status requests', () => {
		const { polls, overheadMs } = simulate({ typicalMs }, 45_000);
		expect(polls).toBeLessThanOrEqual(10);
		expect(overheadMs).toBeLessThanOrEqual(700);
		// The SDK's fixed 1 s poll needs a request per second for the same latency.
		expect(simulate({ fixedIntervalMs: 1000 }, 45_000).polls).toBe(45);
		// Far slower than usual still costs about half of polling every second.
		const slow = 2.5 * typicalMs;
		expect(simulate({ typicalMs }, slow).polls).toBeLessThanOrEqual(0.55 * simulate({ fixedIntervalMs: 1000 }, slow).polls);
	});

	it('does not look before 0.725× the typical time, then polls densest between 1× and 1.6×', () => {
		const state = { submittedMs: 0, deadlineMs: 600_000, polls: 0 };
		expect(nextPollDelayMs({ typicalMs: 50_000 }, { ...state, nowMs: 0 })).toBe(36_250);
		const at = (nowMs: number) => nextPollDelayMs({ typicalMs: 50_000 }, { ...state, polls: 3, nowMs });
		expect(at(40_000)).toBe(1800);
		expect(at(55_000)).toBe(NEAR_INTERVAL_MS);
		expect(at(75_000)).toBe(NEAR_INTERVAL_MS);
		expect(at(85_000)).toBeGreaterThan(NEAR_INTERVAL_MS);
	});

	it('moves the window back for a job that stays QUEUED past its usual queue time', () => {
		const queuedLong = simulate({ typicalMs }, 30_000 + 0.8 * typicalMs, 600_000, 30_000);
		expect(queuedLong.overheadMs).toBeLessThanOrEqual(1800);
		const base = { submittedMs: 0, deadlineMs: 600_000, polls: 2, nowMs: 40_000 };
		const late = nextPollDelayMs({ typicalMs: 45_000 }, { ...base, queuedSeenMs: 35_000 });
		const onTime = nextPollDelayMs({ typicalMs: 45_000 }, base);
		expect(late).toBeGreaterThan(onTime);
	});

	it('backs off slowly once a job is overdue, capped at 10 s', () => {
		const state = { submittedMs: 0, deadlineMs: 6_000_000, polls: 20 };
		const justLate = nextPollDelayMs({ typicalMs: 45_000 }, { ...state, nowMs: 75_000 });
		const veryLate = nextPollDelayMs({ typicalMs: 45_000 }, { ...state, nowMs: 500_000 });
		expect(justLate).toBeGreaterThan(NEAR_INTERVAL_MS);
		expect(justLate).toBeLessThan(3000);
		expect(veryLate).toBe(10_000);
	});

	it('polls quickly at first, then every 5 s, when the duration is unknown', () => {
		const delays = [0, 1, 2, 3, 4, 5, 6, 7, 20].map((polls) =>
			nextPollDelayMs({}, { nowMs: 0, submittedMs: 0, deadlineMs: 600_000, polls }),
		);
		expect(delays).toEqual([1000, 1000, 2000, 2000, 3000, 3000, 5000, 5000, 5000]);
	});

	it('never waits past the deadline and honours a fixed interval', () => {
		const state = { nowMs: 9_500, submittedMs: 0, deadlineMs: 10_000, polls: 3 };
		expect(nextPollDelayMs({ typicalMs: 60_000 }, state)).toBe(500);
		expect(nextPollDelayMs({ fixedIntervalMs: 2000 }, { ...state, nowMs: 0 })).toBe(2000);
	});

	it('learns the typical duration from the jobs of the same execution', () => {
		const estimates = new DurationEstimates();
		expect(estimates.typicalMs('m', 42_000)).toBe(42_000);
		estimates.record('m', 30_000);
		estimates.record('m', 31_000);
		estimates.record('m', 90_000);
		expect(estimates.typicalMs('m', 42_000)).toBe(31_000);
		expect(estimates.typicalMs('other', undefined)).toBeUndefined();
	});
});

describe('request throttle', () => {
	it('lets requests through at once until Segmind rate-limits', async () => {
		const throttle = new RequestThrottle();
		const started = Date.now();
		for (let i = 0; i < 5; i++) await throttle.acquire(undefined);
		expect(Date.now() - started).toBeLessThan(50);
	});

	it('pauses everyone for Retry-After, then spaces requests out and recovers', async () => {
		const throttle = new RequestThrottle();
		throttle.rateLimited(300);
		// Requests already in flight when the limit hit count once.
		throttle.rateLimited(300);
		const spacing = throttle.currentSpacingMs;
		expect(spacing).toBe(500);
		const started = Date.now();
		await Promise.all([throttle.acquire(undefined), throttle.acquire(undefined)]);
		// Both waited out the pause; the second also waited one spacing after the first.
		expect(Date.now() - started).toBeGreaterThanOrEqual(290 + 450);
		// A 429 after a full spacing has passed doubles it.
		throttle.rateLimited(undefined);
		expect(throttle.currentSpacingMs).toBe(spacing * 2);
		for (let i = 0; i < 20; i++) throttle.succeeded();
		expect(throttle.currentSpacingMs).toBe(0);
	});

	it('stops waiting when the execution is cancelled', async () => {
		const throttle = new RequestThrottle();
		throttle.rateLimited(10_000);
		const controller = new AbortController();
		const waiting = throttle.acquire(controller.signal);
		await sleep(20);
		controller.abort();
		await expect(waiting).rejects.toThrow('cancelled');
	});
});

describe('concurrency pool', () => {
	it('keeps result order and never runs more than the limit at once', async () => {
		let running = 0;
		let peak = 0;
		const results = await mapWithConcurrency(12, 4, async (index) => {
			running++;
			peak = Math.max(peak, running);
			await sleep(((index * 7) % 5) * 10);
			running--;
			return index * 2;
		});
		expect(results).toEqual(Array.from({ length: 12 }, (_v, i) => i * 2));
		expect(peak).toBe(4);
	});
});
