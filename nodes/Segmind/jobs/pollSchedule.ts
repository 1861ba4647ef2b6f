/**
 * When to ask Segmind for a job's status next: a pure function of the schedule and the job's state,
 * so it can be checked against a simulated clock (test/unit/scheduling.test.ts).
 *
 * Adaptive by default, from the model's typical duration T (or what this execution's finished jobs
 * showed). Real jobs take from about 0.7 T to 1.5 T, so the schedule does not look before 0.725 T
 * (nothing is done yet; this is most of the saving), then polls every 1.8 s up to T, every 0.9 s
 * up to 1.6 T, and backs off slowly after that.
 * The time counts from when the job left the queue, as far as polls saw it: a job still QUEUED
 * late pushes the window back. A fixed interval is used when the user sets one.
 */
export interface PollSchedule {
	/** Poll at this fixed interval instead of adaptively. */
	fixedIntervalMs?: number;
	/** How long a job of this model usually takes, submit to done. */
	typicalMs?: number;
}

export interface PollState {
	nowMs: number;
	submittedMs: number;
	deadlineMs: number;
	polls: number;
	/** The last time a poll saw the job still QUEUED. */
	queuedSeenMs?: number;
}

/** Before this share of the typical time, no job is expected to be done: no poll. */
export const FIRST_LOOK_SHARE = 0.725;
/**
 * The adaptive intervals after the first look, by elapsed share of the typical time: sparser
 * before T, where fewer jobs end, denser from T to 1.6 T. Chosen on a simulated clock (see the
 * unit test) for jobs of 0.7–1.5 T: median overhead about 0.65 s, 90th percentile about 1.4 s,
 * about 14 requests per job.
 */
export const ADAPTIVE_STEPS: ReadonlyArray<{ untilShare: number; intervalMs: number }> = [
	{ untilShare: 1.0, intervalMs: 1800 },
	{ untilShare: 1.6, intervalMs: 900 },
];
/** The interval near the expected finish. */
export const NEAR_INTERVAL_MS = 900;
const MAX_INTERVAL_MS = 10_000;
/** Queue time a typical job has anyway; a job seen QUEUED longer than this is late to start. */
const TYPICAL_QUEUE_SHARE = 0.3;
/** Without a typical duration: quick at first, then slower, never sparser than this. */
const UNKNOWN_DURATION_STEPS_MS = [1000, 1000, 2000, 2000, 3000, 3000, 5000];

function adaptiveDelayMs(typicalMs: number, state: PollState): number {
	// A job still queued after its usual queue time starts late: its window moves back as much.
	const queuedLateMs =
		state.queuedSeenMs === undefined ? 0 : Math.max(0, state.queuedSeenMs - state.submittedMs - typicalMs * TYPICAL_QUEUE_SHARE);
	const elapsedMs = state.nowMs - state.submittedMs - queuedLateMs;
	const firstLookMs = typicalMs * FIRST_LOOK_SHARE;
	if (elapsedMs < firstLookMs) return firstLookMs - elapsedMs;
	const share = elapsedMs / typicalMs;
	const step = ADAPTIVE_STEPS.find((entry) => share < entry.untilShare);
	if (step) return step.intervalMs;
	// Overdue: back off slowly, relative to how long such jobs take.
	const last = ADAPTIVE_STEPS[ADAPTIVE_STEPS.length - 1];
	const overdueShare = (share - last.untilShare) / 0.25;
	return Math.min(MAX_INTERVAL_MS, last.intervalMs * (1 + overdueShare));
}

export function nextPollDelayMs(schedule: PollSchedule, state: PollState): number {
	let delayMs: number;
	if (schedule.fixedIntervalMs !== undefined) delayMs = schedule.fixedIntervalMs;
	else if (schedule.typicalMs !== undefined && schedule.typicalMs > 0) delayMs = adaptiveDelayMs(schedule.typicalMs, state);
	else delayMs = UNKNOWN_DURATION_STEPS_MS[Math.min(state.polls, UNKNOWN_DURATION_STEPS_MS.length - 1)];
	return Math.max(0, Math.min(delayMs, state.deadlineMs - state.nowMs));
}

/**
 * What one execution learns about how long jobs take: after the first jobs of a model finish,
 * their median duration replaces the model page's figure for the rest of the batch.
 */
export class DurationEstimates {
	private readonly observed = new Map<string, number[]>();

	record(model: string, durationMs: number): void {
		const list = this.observed.get(model) ?? [];
		list.push(durationMs);
		this.observed.set(model, list);
	}

	typicalMs(model: string, fallbackMs: number | undefined): number | undefined {
		const list = this.observed.get(model);
		if (!list || list.length === 0) return fallbackMs;
		const sorted = [...list].sort((a, b) => a - b);
		return sorted[Math.floor(sorted.length / 2)];
	}
}
