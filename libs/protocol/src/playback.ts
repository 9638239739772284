/**
 * How far behind the live edge a player of the broadcast should stay, in seconds, for the length of
 * its segments (`HLS_SEGMENT_SECONDS`), as `npm run bench:latency` measured it on the event page: one
 * segment for 1 s segments (any closer stalls), two for half-second ones (one and a half stalled on a
 * busy server: a segment listed late emptied the buffer). Further behind than `max`, the player jumps
 * to its target; between the two, it plays a little faster (apps/viewer/src/player.ts).
 */
export function liveLatency(segmentSeconds: number): { target: number; max: number } {
  return segmentSeconds >= 1
    ? { target: segmentSeconds, max: 3 * segmentSeconds }
    : { target: 2 * segmentSeconds, max: 5 * segmentSeconds };
}

/**
 * How the event page keeps its distance to the live edge (apps/viewer/src/player.ts, with hls.js): the
 * stream's target (`liveLatency`) plus an extra distance that adapts to what the page sees.
 * - Playback starts `startExtra` further back: the start is when the page is busiest (it loads, hls.js
 *   picks a rendition), and one slow segment there used to stall it at once.
 * - Each stall adds `stallExtra`, at most `maxExtra` in all. The distance beyond which the player jumps
 *   to where it wants to be (`liveLatency`'s `max`) moves back as much.
 * - The extra is given back `step` at a time, after `quietMs` without a stall or another step, when the
 *   buffer never ran so low meanwhile (from `refillMs` on) that playing `step` closer would have stalled:
 *   its low point (just before each segment is appended) must keep `margin` after the step. A server or a
 *   network that delivers unevenly keeps the page where it does not stall; once even again, it comes back.
 * - A stall within `probationMs` of a step doubles the wait before the next step (up to `maxQuietMs`), so a
 *   page that the machine cannot keep closer stalls less and less often; `calmMs` without a stall resets it.
 * - More than `behind` further back than it wants to be, with at least `distance` buffered (as just after
 *   a segment arrived), it plays faster (as hls.js's own catch-up: gentle when close, at most `maxRate`),
 *   until less than `settled` behind or less than `minAhead` buffered. (It used to want `behind` more than
 *   the distance buffered, which it never has once closer than that: it stayed 0.2–0.3 s behind. A segment
 *   listed late makes the page look behind with little to play: speeding up then only brings the stall
 *   sooner.)
 */
export const LIVE_CATCH_UP = {
  startExtra: 0.5,
  stallExtra: 0.5,
  maxExtra: 1,
  step: 0.25,
  quietMs: 6_000,
  maxQuietMs: 60_000,
  probationMs: 10_000,
  calmMs: 60_000,
  refillMs: 2_000,
  margin: 0.15,
  behind: 0.1,
  settled: 0.05,
  maxRate: 1.2,
  minAhead: 0.5,
} as const;

/** The state of `LIVE_CATCH_UP` for one playback: told what happens, it says where to play and how fast. */
export class LiveDistance {
  /** How much further back than the target the player plays now, s. */
  #extra: number = LIVE_CATCH_UP.startExtra;
  /** Since when it played without a stall or a change of distance (ms, the caller's clock). */
  #quietSince: number;
  /** The least buffered ahead seen since `refillMs` after `#quietSince`, s. */
  #lowestAhead = Infinity;
  /** How long without a stall before a step back. */
  #quietMs: number = LIVE_CATCH_UP.quietMs;
  #steppedAt = -Infinity;
  #stalledAt = -Infinity;

  constructor(
    /** The stream's distances (`liveLatency(segment length)`), s. */
    readonly latency: { target: number; max: number },
    now: number,
  ) {
    this.#quietSince = now;
  }

  /** Where the player should stay, s behind the live edge. */
  get distance(): number {
    return this.latency.target + this.#extra;
  }

  /** Further behind than this, the player jumps to `distance`. */
  get maxDistance(): number {
    return this.latency.max + this.#extra;
  }

  /** Playback stalled: further back. */
  stalled(now: number): void {
    if (now - this.#steppedAt < LIVE_CATCH_UP.probationMs) {
      this.#quietMs = Math.min(LIVE_CATCH_UP.maxQuietMs, this.#quietMs * 2);
    }
    this.#stalledAt = now;
    this.#change(Math.min(LIVE_CATCH_UP.maxExtra, this.#extra + LIVE_CATCH_UP.stallExtra), now);
  }

  /** The buffer ahead of the play head (s): just before a segment is appended, and whenever else seen. */
  buffered(ahead: number, now: number): void {
    if (now - this.#quietSince > LIVE_CATCH_UP.refillMs) this.#lowestAhead = Math.min(this.#lowestAhead, ahead);
  }

  /** Looks whether some of the extra may be given back now; true when `distance` changed. */
  review(now: number): boolean {
    if (now - this.#stalledAt > LIVE_CATCH_UP.calmMs) this.#quietMs = LIVE_CATCH_UP.quietMs;
    if (this.#extra === 0 || now - this.#quietSince <= this.#quietMs) return false;
    // Nothing seen meanwhile (no segment appended): nothing to go by, nothing given back.
    if (this.#lowestAhead !== Infinity && this.#lowestAhead - LIVE_CATCH_UP.step >= LIVE_CATCH_UP.margin) {
      this.#steppedAt = now;
      this.#change(Math.max(0, this.#extra - LIVE_CATCH_UP.step), now);
      return true;
    }
    // Not yet: look again after as long.
    this.#quietSince = now - LIVE_CATCH_UP.refillMs;
    this.#lowestAhead = Infinity;
    return false;
  }

  /** The playback rate for a player `latency` s behind the live edge with `ahead` s buffered, playing at `rate`. */
  rate(latency: number, ahead: number, rate: number): number {
    const behind = latency - this.distance;
    if (behind > LIVE_CATCH_UP.behind && ahead >= Math.max(this.distance, LIVE_CATCH_UP.minAhead)) {
      return Math.min(LIVE_CATCH_UP.maxRate, Math.max(1, Math.round((2 / (1 + Math.exp(-0.75 * behind))) * 20) / 20));
    }
    if (behind < LIVE_CATCH_UP.settled || ahead < LIVE_CATCH_UP.minAhead) return 1;
    return rate;
  }

  #change(extra: number, now: number): void {
    this.#extra = extra;
    this.#quietSince = now;
    this.#lowestAhead = Infinity;
  }
}
