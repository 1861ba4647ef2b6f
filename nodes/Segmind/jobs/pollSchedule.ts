/**
 * When to ask Segmind for a job's status next. Adaptive by default: few requests while the job
 * cannot be done yet, then about one a second around the moment it is expected to finish, based
 * on the model's typical duration (or what this execution's finished jobs showed), when the job
 * left the queue, and the time elapsed. A fixed interval is used when the user sets one.
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
	/** When the job was first seen PROCESSING (it left the queue before that). */
	processingSinceMs?: number;
}

/** The interval near the expected finish: about 0.5 s of overhead on average. */
export const NEAR_INTERVAL_MS = 1000;
const MAX_INTERVAL_MS = 10_000;
/** Without a typical duration: quick at first, then slower, never sparser than this. */
const UNKNOWN_DURATION_STEPS_MS = [1000, 1000, 2000, 2000, 3000, 3000, 5000];
/** Share of the remaining expected time waited before the next look. */
const APPROACH = 0.35;
/** Processing is most of a job; queue time is the rest. */
const PROCESSING_SHARE = 0.7;
/** The first look comes early anyway: fast failures (e.g. moderation) and faster-than-usual jobs. */
const FIRST_POLL_MAX_MS = 5000;

function adaptiveDelayMs(typicalMs: number, state: PollState): number {
	let expectedDoneMs = state.submittedMs + typicalMs;
	if (state.processingSinceMs !== undefined) {
		expectedDoneMs = Math.max(expectedDoneMs, state.processingSinceMs + typicalMs * PROCESSING_SHARE);
	}
	const remainingMs = expectedDoneMs - state.nowMs;
	if (remainingMs > 0) return Math.max(NEAR_INTERVAL_MS, remainingMs * APPROACH);
	// Overdue: back off slowly, relative to how long such jobs take.
	const overdueShare = -remainingMs / Math.max(typicalMs * 0.25, 1000);
	return Math.min(MAX_INTERVAL_MS, NEAR_INTERVAL_MS * (1 + overdueShare));
}

export function nextPollDelayMs(schedule: PollSchedule, state: PollState): number {
	let delayMs: number;
	if (schedule.fixedIntervalMs !== undefined) delayMs = schedule.fixedIntervalMs;
	else if (schedule.typicalMs !== undefined && schedule.typicalMs > 0) {
		delayMs = adaptiveDelayMs(schedule.typicalMs, state);
		if (state.polls === 0) delayMs = Math.min(delayMs, FIRST_POLL_MAX_MS);
	}
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
