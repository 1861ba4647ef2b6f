import { abortableSleep } from './abortableSleep';

/**
 * One per execution, shared by every job of that execution: when Segmind answers 429, all
 * in-flight jobs slow down together (and wait out `Retry-After`), so a key with a small rate
 * limit finishes a batch instead of failing it. Spacing doubles once per burst of 429s (the
 * requests that were already in flight count once) and shrinks quickly on success.
 */
export class RequestThrottle {
	private pausedUntilMs = 0;

	private spacingMs = 0;

	private nextSlotMs = 0;

	private lastIncreaseMs = 0;

	private static readonly MIN_SPACING_MS = 500;

	private static readonly MAX_SPACING_MS = 15_000;

	/** Waits until this execution may send its next Segmind request. */
	async acquire(signal: AbortSignal | undefined): Promise<void> {
		for (;;) {
			const now = Date.now();
			const readyAt = Math.max(this.pausedUntilMs, this.nextSlotMs);
			if (readyAt <= now) {
				this.nextSlotMs = now + this.spacingMs;
				return;
			}
			await abortableSleep(readyAt - now, signal);
		}
	}

	/** Segmind said 429: pause everyone, for `retryAfterMs` when Segmind said how long. */
	rateLimited(retryAfterMs: number | undefined): void {
		const now = Date.now();
		if (now - this.lastIncreaseMs >= this.spacingMs) {
			this.spacingMs = Math.min(
				RequestThrottle.MAX_SPACING_MS,
				Math.max(RequestThrottle.MIN_SPACING_MS, this.spacingMs * 2),
			);
			this.lastIncreaseMs = now;
		}
		this.pausedUntilMs = Math.max(this.pausedUntilMs, now + (retryAfterMs ?? this.spacingMs));
	}

	succeeded(): void {
		this.spacingMs = this.spacingMs * 0.7 < 50 ? 0 : this.spacingMs * 0.7;
	}

	/** Current spacing between requests, for tests and figures. */
	get currentSpacingMs(): number {
		return this.spacingMs;
	}
}
