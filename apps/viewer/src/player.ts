/**
 * The broadcast player: hls.js with the low-latency settings measured by `npm run bench:latency` where
 * the browser has Media Source Extensions (hls.js is loaded only then), the browser's own HLS elsewhere
 * (older iPhones). Comes back by itself after network and media errors, and offers a jump to the live
 * edge when playback fell behind.
 */
import type Hls from 'hls.js';
import type { HlsConfig } from 'hls.js';
import { LIVE_CATCH_UP, LiveDistance, liveLatency } from '@pressroom/protocol';

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
/** Where the build put hls.js's light build, as hls.js publishes it (apps/viewer/build.ts): its address, not a bundled chunk. */
declare const HLS_PATH: string;

/**
 * Set for the default half-second segments, adapted to the stream's once its playlist is read (see
 * `liveLatency`). Measured with `npm run bench:latency` on this page. hls.js's own catch-up is off
 * (`lowLatencyMode: false`: it only speeds up with more than 1 s buffered, which half-second segments
 * never have) and so is its stall increase: `LiveDistance` (`LIVE_CATCH_UP`) does both. The server allows blocking
 * playlist reloads (`CAN-BLOCK-RELOAD`), which hls.js uses without `lowLatencyMode`: it learns of each
 * segment the moment it is listed, so two segments behind leave a whole segment to fetch it in.
 */
const LOW_LATENCY: Partial<HlsConfig> = {
  lowLatencyMode: false,
  // Where playback starts (`LIVE_CATCH_UP.startExtra` further back), until the playlist is read.
  liveSyncDuration: liveLatency(0.5).target + LIVE_CATCH_UP.startExtra,
  liveMaxLatencyDuration: liveLatency(0.5).max + LIVE_CATCH_UP.startExtra,
  liveSyncOnStallIncrease: 0,
  // Phones keep little memory for media: played segments are dropped soon.
  backBufferLength: 30,
  // Segments are parsed in a worker, so the page stays responsive on a slow phone.
  enableWorker: true,
  workerPath: HLS_WORKER_PATH,
};
const BEHIND_LIVE_S = 8;

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
  /** How far behind the live edge hls.js plays, from when the stream's playlist is read. */
  #distance: LiveDistance | null = null;
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
      const [{ default: HlsPlayer }] = await Promise.all([
        import(HLS_PATH) as Promise<typeof import('hls.js')>,
        this.callbacks.ready,
      ]);
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
    this.#distance = null;
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
      this.#distance = new LiveDistance(
        liveLatency(details.averagetargetduration ?? details.targetduration),
        Date.now(),
      );
      this.#keepDistance(hls);
    });
    hls.on(HlsPlayer.Events.BUFFER_APPENDING, (_event, { parent }) => {
      if (parent === 'main') this.#distance?.buffered(bufferedAhead(this.video), Date.now());
    });
    hls.on(HlsPlayer.Events.ERROR, (_event, data) => {
      if (data.details === HlsPlayer.ErrorDetails.BUFFER_STALLED_ERROR && this.#distance) {
        this.#distance.stalled(Date.now());
        this.#keepDistance(hls);
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

  /** hls.js plays where `LiveDistance` says, and jumps there when further behind than it allows. */
  #keepDistance(hls: Hls): void {
    hls.config.liveMaxLatencyDuration = this.#distance!.maxDistance;
    hls.targetLatency = this.#distance!.distance;
  }

  /** See `LiveDistance`. hls.js leaves the playback rate alone (`lowLatencyMode: false`). */
  #catchUp(): void {
    const hls = this.#hls;
    const distance = this.#distance;
    const { video } = this;
    if (!hls?.latestLevelDetails?.live || !distance || video.paused || video.playbackRate === 0) return;
    const now = Date.now();
    const ahead = bufferedAhead(video);
    distance.buffered(ahead, now);
    if (distance.review(now)) this.#keepDistance(hls);
    const rate = distance.rate(hls.latency, ahead, video.playbackRate);
    if (rate !== video.playbackRate) video.playbackRate = rate;
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
