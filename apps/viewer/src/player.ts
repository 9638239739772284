/**
 * The broadcast player: hls.js with the low-latency settings measured by `npm run bench:latency` where
 * the browser has Media Source Extensions (hls.js is loaded only then), the browser's own HLS elsewhere
 * (older iPhones). Comes back by itself after network and media errors, and offers a jump to the live
 * edge when playback fell behind.
 */
import type Hls from 'hls.js';
import type { HlsConfig } from 'hls.js';
import { liveLatency } from '@pressroom/protocol';

export type PlayerState =
  | 'loading'
  | 'playing'
  | 'buffering'
  /** The stream failed: trying again. */
  | 'reconnecting'
  /** The browser would not start playing by itself: it needs a click. */
  | 'paused'
  | 'ended'
  | 'unsupported'
  /** The server wants this browser to join first (password-protected event). */
  | 'refused';

export interface PlayerCallbacks {
  state(state: PlayerState): void;
  behindLive(behind: boolean): void;
  /** hls.js is created for the source (the quality menu follows its renditions: quality.ts). */
  hls?(hls: Hls, HlsPlayer: typeof Hls): void;
  /** What `hls` needs loaded first (chunks fetched beside hls.js): hls.js is made once both are here. */
  ready?: Promise<unknown>;
}

/** Where the build put hls.js's worker (apps/viewer/build.ts). */
declare const HLS_WORKER_PATH: string;

/**
 * Set for the default half-second segments, adapted to the stream's once its playlist is read (see
 * `liveLatency`). Measured with `npm run bench:latency` on this page. hls.js's own catch-up is off
 * (`lowLatencyMode: false`: it only speeds up with more than 1 s buffered, which half-second segments
 * never have): `CATCH_UP` below does it. The server allows blocking playlist reloads
 * (`CAN-BLOCK-RELOAD`), which hls.js uses without `lowLatencyMode`: it learns of each segment the moment
 * it is listed, so two segments behind leave a whole segment to fetch it in.
 */
const LOW_LATENCY: Partial<HlsConfig> = {
  lowLatencyMode: false,
  liveSyncDuration: liveLatency(0.5).target,
  liveMaxLatencyDuration: liveLatency(0.5).max,
  // A stall moves hls.js's target this much further back (at most one target duration), until `CATCH_UP`
  // gives it back after a while without stalls.
  liveSyncOnStallIncrease: 0.5,
  // Phones keep little memory for media: played segments are dropped soon.
  backBufferLength: 30,
  // Segments are parsed in a worker, so the page stays responsive on a slow phone.
  enableWorker: true,
  workerPath: HLS_WORKER_PATH,
};
const BEHIND_LIVE_S = 8;

/**
 * Back to the target after a stall: a little faster (pitch kept) while the play head is behind its target
 * AND the picture it is late on is already buffered (a server that lists segments late makes the page
 * look behind with nothing to play: speeding up then only brings the next stall); normal speed once back
 * or when the buffer runs low. The extra distance hls.js adds at each stall is given back after
 * `forgiveStallMs` without another one, and only if the buffer never ran so low meanwhile that playing
 * that much closer would have stalled (a busy server that lists segments unevenly keeps it: giving it
 * back there only brought the next stall); otherwise it is looked at again `forgiveStallMs` later.
 */
const CATCH_UP = {
  /** Behind the target by more than this (s), with that much more than the target buffered: speed up. */
  behind: 0.2,
  /** Behind by less than this, or less than the target buffered ahead: normal speed. */
  settled: 0.05,
  maxRate: 1.2,
  forgiveStallMs: 15_000,
  /** The buffer's low point is watched from this long after a stall (while it fills again). */
  refillMs: 3_000,
  /** Giving the extra back must leave at least this much buffered at the low point, s. */
  margin: 0.15,
} as const;
const MAX_RETRY_DELAY_MS = 10_000;
/** Two media errors closer than this: recovering in place does not help, start over. */
const MEDIA_RECOVERY_WINDOW_MS = 5_000;

export class Player {
  #hls: Hls | null = null;
  /** Playing with the browser's own HLS. */
  #native = false;
  /** Counts starts and stops: a start still loading hls.js when another begins gives way. */
  #generation = 0;
  #retries = 0;
  #retryTimer = 0;
  #lastMediaRecovery = 0;
  #behind = false;
  /** The target for this stream's segments (hls.js's before any stall), and when it last stalled. */
  #target = 0;
  #lastStall = 0;
  /** The least buffered ahead since `refillMs` after the last stall (or the last look at giving it back). */
  #lowestAhead = Infinity;
  #source: string;
  /** The page started it (a source set before then waits for the start). */
  #started = false;

  constructor(
    private readonly video: HTMLVideoElement,
    source: string,
    private readonly callbacks: PlayerCallbacks,
  ) {
    this.#source = source;
    video.addEventListener('playing', () => {
      this.#retries = 0;
      callbacks.state('playing');
    });
    video.addEventListener('waiting', () => callbacks.state('buffering'));
    video.addEventListener('ended', () => callbacks.state('ended'));
    video.addEventListener('timeupdate', () => {
      this.#checkBehind();
      this.#catchUp();
    });
    video.addEventListener('error', () => this.#native && void this.#nativeFailed());
  }

  async start(): Promise<void> {
    this.stop();
    this.#started = true;
    const generation = this.#generation;
    this.callbacks.state('loading');
    if ('MediaSource' in window || 'ManagedMediaSource' in window) {
      const [{ default: HlsPlayer }] = await Promise.all([import('hls.js'), this.callbacks.ready]);
      if (generation !== this.#generation) return;
      if (HlsPlayer.isSupported()) return this.#startHls(HlsPlayer);
    }
    if (this.video.canPlayType('application/vnd.apple.mpegurl')) return this.#startNative();
    this.callbacks.state('unsupported');
  }

  /** Plays another playlist of the broadcast (a rendition, audio only) from now on. */
  setSource(source: string): void {
    if (source === this.#source) return;
    this.#source = source;
    if (this.#started) void this.start();
  }

  /** After a click, when the browser did not start playing by itself. */
  play(): void {
    this.video.play().catch(() => this.callbacks.state('paused'));
  }

  goLive(): void {
    const edge = this.#liveEdge();
    if (edge !== null) this.video.currentTime = edge;
    if (this.video.paused) this.play();
  }

  stop(): void {
    this.#generation++;
    window.clearTimeout(this.#retryTimer);
    this.#hls?.destroy();
    this.#hls = null;
    if (this.#native) {
      this.video.removeAttribute('src');
      this.video.load();
    }
    this.#native = false;
  }

  #startHls(HlsPlayer: typeof Hls): void {
    const hls = new HlsPlayer(LOW_LATENCY);
    this.#hls = hls;
    this.callbacks.hls?.(hls, HlsPlayer);
    hls.on(HlsPlayer.Events.MANIFEST_PARSED, () => this.play());
    hls.once(HlsPlayer.Events.LEVEL_LOADED, (_event, { details }) => {
      const latency = liveLatency(details.averagetargetduration ?? details.targetduration);
      hls.config.liveMaxLatencyDuration = latency.max;
      hls.targetLatency = this.#target = latency.target;
    });
    hls.on(HlsPlayer.Events.ERROR, (_event, data) => {
      if (data.details === HlsPlayer.ErrorDetails.BUFFER_STALLED_ERROR) {
        this.#lastStall = Date.now();
        this.#lowestAhead = Infinity;
      }
      if (!data.fatal) return;
      const status = data.response?.code;
      if (status === 401 || status === 403) return this.#refused();
      const now = Date.now();
      if (data.type === HlsPlayer.ErrorTypes.MEDIA_ERROR && now - this.#lastMediaRecovery > MEDIA_RECOVERY_WINDOW_MS) {
        this.#lastMediaRecovery = now;
        hls.recoverMediaError();
        return;
      }
      // The playlist is not there yet (the slate starts with the first request), the server restarts,
      // the network drops: start over, waiting longer each time.
      this.#retry(() => this.#startHls(HlsPlayer));
    });
    hls.attachMedia(this.video);
    hls.loadSource(this.#source);
  }

  #startNative(): void {
    this.#native = true;
    this.video.src = this.#source;
    this.play();
  }

  /** The browser's player does not tell why: ask the server whether this browser may watch. */
  async #nativeFailed(): Promise<void> {
    this.#native = false;
    const answer = await fetch(this.#source, { credentials: 'same-origin' }).catch(() => null);
    if (answer?.status === 401 || answer?.status === 403) return this.#refused();
    this.#retry(() => this.#startNative());
  }

  #retry(again: () => void): void {
    this.stop();
    this.callbacks.state('reconnecting');
    const delay = Math.min(1000 * 2 ** this.#retries, MAX_RETRY_DELAY_MS);
    this.#retries++;
    this.#retryTimer = window.setTimeout(again, delay);
  }

  #refused(): void {
    this.stop();
    this.callbacks.state('refused');
  }

  /** Where a live stream's edge is: hls.js's target, or (native) a few seconds before the end. */
  #liveEdge(): number | null {
    if (this.#hls) return this.#hls.latestLevelDetails?.live ? this.#hls.liveSyncPosition : null;
    const { seekable, duration } = this.video;
    return duration === Infinity && seekable.length > 0 ? Math.max(0, seekable.end(seekable.length - 1) - 3) : null;
  }

  /** See `CATCH_UP`. hls.js leaves the playback rate alone (`lowLatencyMode: false`). */
  #catchUp(): void {
    const hls = this.#hls;
    const { video } = this;
    if (!hls?.latestLevelDetails?.live || video.paused || this.#target === 0) return;
    const ahead = bufferedAhead(video);
    const now = Date.now();
    if (this.#lastStall > 0 && now - this.#lastStall > CATCH_UP.refillMs) {
      this.#lowestAhead = Math.min(this.#lowestAhead, ahead);
    }
    if (this.#lastStall > 0 && now - this.#lastStall > CATCH_UP.forgiveStallMs) {
      const extra = (hls.targetLatency ?? this.#target) - this.#target;
      if (this.#lowestAhead - extra >= CATCH_UP.margin) {
        this.#lastStall = 0;
        hls.targetLatency = this.#target;
      } else {
        // Not yet: look again after as long without a stall.
        this.#lastStall = now - CATCH_UP.refillMs;
      }
      this.#lowestAhead = Infinity;
    }
    const target = hls.targetLatency ?? this.#target;
    const behind = hls.latency - target;
    let rate = video.playbackRate;
    if (behind > CATCH_UP.behind && ahead > target + CATCH_UP.behind) {
      // As hls.js's own: gentle when close, at most `maxRate`.
      rate = Math.min(CATCH_UP.maxRate, Math.round((2 / (1 + Math.exp(-0.75 * behind))) * 20) / 20);
    } else if (behind < CATCH_UP.settled || ahead < target) {
      rate = 1;
    }
    if (rate !== video.playbackRate && video.playbackRate !== 0) video.playbackRate = Math.max(1, rate);
  }

  #checkBehind(): void {
    const edge = this.#liveEdge();
    const behind = edge !== null && edge - this.video.currentTime > BEHIND_LIVE_S;
    if (behind !== this.#behind) {
      this.#behind = behind;
      this.callbacks.behindLive(behind);
    }
  }
}

/** Seconds buffered ahead of the play head. */
function bufferedAhead(video: HTMLVideoElement): number {
  const { buffered, currentTime } = video;
  for (let index = 0; index < buffered.length; index++) {
    if (buffered.start(index) <= currentTime + 0.1 && currentTime < buffered.end(index)) {
      return buffered.end(index) - currentTime;
    }
  }
  return 0;
}
