/** A speaker's feed (a SlotFeed or an AudioFeed) that stopped: tried again after 0.5 s, 1 s, 2 s, then every 5 s. */
export const FEED_RESTART_DELAYS_MS: readonly number[] = [500, 1_000, 2_000, 5_000];
/** The composite: the first restart at once (the stream resumes within 3 s), then as a feed. */
export const COMPOSITE_RESTART_DELAYS_MS: readonly number[] = [0, ...FEED_RESTART_DELAYS_MS];
/** A process that ran this long before it failed ends its failure streak: the next failure is a first one. */
export const STABLE_RUN_MS = 10_000;

export interface RestartDecision {
  /** How long to wait before the next try. */
  delayMs: number;
  /** Failures in a row, this one included. */
  failures: number;
  /** The first failure of a streak: the one to log (the others of the streak stay quiet). */
  first: boolean;
}

/**
 * When to start again something that keeps failing (an FFmpeg that exits, a change that throws): a
 * growing delay, capped, so a broken input costs a try every few seconds instead of a busy loop and a log
 * line every half second. The streak ends with `succeeded()`, or when a start ran `stableMs` without failing.
 */
export class RestartBackoff {
  readonly #delaysMs: readonly number[];
  readonly #stableMs: number;
  readonly #now: () => number;
  #failures = 0;
  #startedAt?: number;

  constructor(delaysMs: readonly number[], stableMs = STABLE_RUN_MS, now: () => number = Date.now) {
    if (delaysMs.length === 0) throw new Error('a backoff needs at least one delay');
    this.#delaysMs = delaysMs;
    this.#stableMs = stableMs;
    this.#now = now;
  }

  /** In a failure streak: it failed, and has not run `stableMs` since. */
  get failing(): boolean {
    return this.#failures > 0 && !this.#ranStable();
  }

  /** It was (re)started now. */
  started(): void {
    this.#startedAt = this.#now();
  }

  /** It works: the streak is over. */
  succeeded(): void {
    this.#failures = 0;
  }

  failed(): RestartDecision {
    if (this.#ranStable()) this.#failures = 0;
    this.#startedAt = undefined;
    this.#failures++;
    const delayMs = this.#delaysMs[Math.min(this.#failures, this.#delaysMs.length) - 1]!;
    return { delayMs, failures: this.#failures, first: this.#failures === 1 };
  }

  #ranStable(): boolean {
    return this.#startedAt !== undefined && this.#now() - this.#startedAt >= this.#stableMs;
  }
}
