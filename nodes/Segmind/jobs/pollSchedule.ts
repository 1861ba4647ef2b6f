/**
 * When to ask Segmind for a job's status next. For now a fixed interval, like Segmind's SDK
 * (1 s by default); never past the deadline, so the last check lands on it.
 */
export interface PollSchedule {
	intervalMs: number;
}

export function nextPollDelayMs(schedule: PollSchedule, nowMs: number, deadlineMs: number): number {
	return Math.max(0, Math.min(schedule.intervalMs, deadlineMs - nowMs));
}
