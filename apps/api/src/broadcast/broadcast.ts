import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StudioTrack } from '../media/studio-track';
import { MEDIA_DIR_MODE } from './broadcast-dirs';
import type { BroadcastInput } from './broadcast-input';
import { BroadcastPlaylist } from './broadcast-playlist';
import type { HlsSegment } from './hls-playlist';
import { layoutVideos, type VideoSource } from './layout';
import { OverlayFiles } from './overlay-files';
import type { OnAirQuestion } from './overlay-text';
import { Pipeline, specKey, WORK_FILES, type PipelineSpec, type SlateKind } from './pipeline';
import type { PortAllocator } from './port-allocator';

/** Follows the event: `soon` before the start, `live` while it runs, `ended` for the closing slate. */
export type BroadcastMode = 'soon' | 'live' | 'ended';

export type BroadcastEvents = {
  /** The ended slate ran and the playlist is closed (`#EXT-X-ENDLIST`): the recording is complete. */
  finished: [];
  /** Nobody asked for the "starting soon" slate for a while: the owner may close the broadcast. */
  idle: [];
};

export interface BroadcastOptions {
  event: { id: string; slug: string; title: string };
  /** Where the HLS files go: FFmpeg's cwd. */
  dir: string;
  mode: BroadcastMode;
  ports: PortAllocator;
  ffmpegPath: string;
  /** HLS segment length (HLS_SEGMENT_SECONDS). */
  segmentSeconds: number;
  onAir?: OnAirQuestion | null;
}

export interface BroadcastStatus {
  mode: BroadcastMode;
  /** What is on air: the composite of the speakers, a slate, or nothing yet. */
  showing: 'speakers' | SlateKind | 'nothing';
  run?: number;
  pid?: number;
  segments: number;
  restarts: number;
}

const REBUILD_DEBOUNCE_MS = 250;
const WATCHDOG_MS = 500;
/** The on-air FFmpeg made no segment for this long (and 3 segments): it is stuck (its RTP stopped); replace it. */
const STALL_MS = 3_000;
const STALL_SEGMENTS = 3;
/** A new pipeline that has no segment after this long failed. */
const START_TIMEOUT_MS = 8_000;
/** Failures in a row with the speakers before the live slate (with no RTP) stands in for them. */
const FAILURES_BEFORE_SLATE = 3;
const RETRY_DELAYS_MS = [0, 0, 500, 1_000, 2_000, 5_000];
/** How long the ended slate runs before the playlist closes, and the longest the end may take. */
const ENDED_SLATE_MS = 4_000;
const ENDED_LATEST_MS = 12_000;
/** A "starting soon" slate nobody asked for this long is stopped; the next request starts it again. */
const IDLE_MS = 30_000;

/**
 * The broadcast of one event: runs one FFmpeg pipeline at a time for what the event should show
 * (slate or speakers); its `BroadcastPlaylist` keeps `index.m3u8` as the concatenation of every run, its
 * `OverlayFiles` the texts the pipelines draw. A rebuild is made before it breaks: the new pipeline
 * starts beside the old one and takes over, after a discontinuity, with its first segment; a pipeline
 * that dies or stalls is replaced the same way.
 */
export class Broadcast extends EventEmitter<BroadcastEvents> {
  readonly eventId: string;
  readonly slug: string;
  readonly #dir: string;
  readonly #ports: PortAllocator;
  readonly #ffmpegPath: string;
  readonly #segmentSeconds: number;
  readonly #stallMs: number;
  readonly #playlist: BroadcastPlaylist;
  readonly #overlays: OverlayFiles;
  readonly #logger: Logger;
  readonly #retiring = new Set<Pipeline>();
  #mode: BroadcastMode;
  #input?: BroadcastInput;
  #unsubscribeInput?: () => void;
  #nextRun: number;
  #current?: Pipeline;
  #pending?: Pipeline;
  #failures = 0;
  #restarts = 0;
  #slateInsteadOf?: string;
  /** The microphones whose RTP flowed at the last look. */
  #audible = '';
  #lastTouch = Date.now();
  #rebuildTimer?: NodeJS.Timeout;
  #endTimers: NodeJS.Timeout[] = [];
  #watchdog?: NodeJS.Timeout;
  #reconciling: Promise<void> = Promise.resolve();
  #finishing?: Promise<void>;
  #closing?: Promise<void>;

  private constructor(options: BroadcastOptions, playlist: BroadcastPlaylist, overlays: OverlayFiles, logger: Logger) {
    super();
    this.eventId = options.event.id;
    this.slug = options.event.slug;
    this.#dir = options.dir;
    this.#ports = options.ports;
    this.#ffmpegPath = options.ffmpegPath;
    this.#segmentSeconds = options.segmentSeconds;
    this.#stallMs = Math.max(STALL_MS, STALL_SEGMENTS * options.segmentSeconds * 1000);
    this.#mode = options.mode;
    this.#playlist = playlist;
    this.#overlays = overlays;
    this.#nextRun = playlist.firstFreeRun;
    this.#logger = logger;
  }

  /** Prepares the directory and texts, picks up the playlist a previous run left, and starts. */
  static async create(options: BroadcastOptions): Promise<Broadcast> {
    const { dir } = options;
    const logger = new Logger(`Broadcast ${options.event.slug}`);
    await mkdir(join(dir, WORK_FILES.dir), { recursive: true, mode: MEDIA_DIR_MODE });
    const overlays = await OverlayFiles.create(dir, options.event.title, options.onAir ?? null, logger);
    const playlist = await BroadcastPlaylist.open(dir, options.mode === 'ended', logger);
    const broadcast = new Broadcast(options, playlist, overlays, logger);
    broadcast.#watchdog = setInterval(() => broadcast.#watch(), WATCHDOG_MS);
    broadcast.#scheduleReconcile(0);
    return broadcast;
  }

  get mode(): BroadcastMode {
    return this.#mode;
  }

  get closed(): boolean {
    return this.#closing !== undefined;
  }

  get status(): BroadcastStatus {
    const current = this.#current;
    return {
      mode: this.#mode,
      showing: !current ? 'nothing' : current.spec.video.length > 0 ? 'speakers' : current.spec.slate,
      run: current?.run,
      pid: current?.pid,
      segments: this.#playlist.segmentCount,
      restarts: this.#restarts,
    };
  }

  setMode(mode: BroadcastMode): void {
    if (this.closed || this.#finishing || mode === this.#mode) return;
    this.#mode = mode;
    if (mode === 'ended') this.#endTimers.push(setTimeout(() => void this.#finish(), ENDED_LATEST_MS));
    this.#scheduleReconcile(0);
  }

  setInput(input: BroadcastInput | undefined): void {
    if (this.closed || input === this.#input) return;
    this.#unsubscribeInput?.();
    this.#unsubscribeInput = undefined;
    this.#input = input;
    if (input) this.#unsubscribeInput = input.onTracksChanged(() => this.#tracksChanged());
    this.#tracksChanged();
  }

  setLowerThird(question: OnAirQuestion | null): void {
    if (this.closed) return;
    void this.#overlays.setLowerThird(question);
  }

  /** A viewer asked for the stream: a stopped "starting soon" slate starts again. */
  touch(): void {
    this.#lastTouch = Date.now();
    if (this.#mode === 'soon' && !this.#current && !this.#pending) this.#scheduleReconcile(0);
  }

  /** Resolves true once `index.m3u8` exists, false after `timeoutMs`. */
  ready(timeoutMs: number): Promise<boolean> {
    return this.#playlist.ready(timeoutMs);
  }

  /** Stops FFmpeg and leaves the playlist open (a live event resumes on the next start). Safe twice. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#stopTimers();
      this.#unsubscribeInput?.();
      await this.#reconciling;
      const pipelines = [this.#current, this.#pending, ...this.#retiring].filter((p): p is Pipeline => !!p);
      await Promise.all(pipelines.map((pipeline) => pipeline.close()));
      this.#current = this.#pending = undefined;
      await Promise.all([this.#playlist.flush(), this.#overlays.close()]);
    })();
    return this.#closing;
  }

  #tracksChanged(): void {
    this.#failures = 0;
    this.#slateInsteadOf = undefined;
    this.#scheduleReconcile(REBUILD_DEBOUNCE_MS);
  }

  #desiredSpec(): PipelineSpec | undefined {
    const slate = (kind: SlateKind, lowerThird: boolean): PipelineSpec => ({
      slate: kind,
      video: [],
      tiles: [],
      audio: [],
      lowerThird,
    });
    switch (this.#mode) {
      case 'soon':
        return Date.now() - this.#lastTouch > IDLE_MS ? undefined : slate('soon', false);
      case 'ended':
        return slate('ended', false);
      case 'live': {
        const tracks = this.#usableTracks();
        const { shown, tiles } = layoutVideos(
          tracks.filter((t) => t.kind === 'video'),
          videoSourceOf,
        );
        const spec: PipelineSpec = {
          slate: 'waiting',
          video: shown,
          tiles,
          audio: tracks.filter((t) => t.kind === 'audio'),
          lowerThird: true,
        };
        return this.#slateInsteadOf === specKey(spec) ? slate('waiting', true) : spec;
      }
    }
  }

  /**
   * Live, unpaused tracks; a microphone only while its RTP flows (mediasoup scores a producer it gets no
   * RTP from 0, or not at all): FFmpeg starts mixing only once every audio input has sent something, so
   * one that sends nothing (a page whose AudioContext never started) would hold the broadcast up.
   * Videos need no such care: their tile shows the background until their first picture.
   */
  #usableTracks(): StudioTrack[] {
    const input = this.#input;
    if (!input || input.router.closed) return [];
    return input
      .tracks()
      .filter((t) => !t.producer.closed && !t.producer.paused && (t.kind === 'video' || receiving(t.producer)));
  }

  #scheduleReconcile(delayMs: number): void {
    if (this.closed || this.#finishing) return;
    clearTimeout(this.#rebuildTimer);
    this.#rebuildTimer = setTimeout(() => {
      this.#reconciling = this.#reconciling.then(() => this.#reconcile());
    }, delayMs);
  }

  /** Starts a pipeline for what should be on air, unless the one on air (or starting) already shows it. */
  async #reconcile(): Promise<void> {
    if (this.closed || this.#finishing) return;
    const spec = this.#desiredSpec();
    if (!spec) {
      if (this.#current || this.#pending) this.emit('idle');
      return;
    }
    const key = specKey(spec);
    if (this.#pending?.key === key) return;
    if (this.#pending) this.#retire(this.#pending);
    this.#pending = undefined;
    if (this.#current?.key === key && this.#current.running) return;

    const run = this.#nextRun++;
    try {
      const pipeline = await Pipeline.create({
        run,
        dir: this.#dir,
        spec,
        router: this.#input?.router,
        ports: this.#ports,
        ffmpegPath: this.#ffmpegPath,
        segmentSeconds: this.#segmentSeconds,
      });
      pipeline.on('segments', (segments) => this.#onSegments(pipeline, segments));
      pipeline.on('exit', () => this.#onFailure(pipeline, 'FFmpeg exited'));
      pipeline.on('inputchange', () => this.#scheduleReconcile(REBUILD_DEBOUNCE_MS));
      if (this.closed || this.#finishing) return void pipeline.close();
      this.#pending = pipeline;
      this.#logger.log(`run ${run} started (pid ${pipeline.pid}): ${describe(spec)}`);
    } catch (error) {
      this.#logger.warn(`run ${run} could not start: ${error instanceof Error ? error.message : error}`);
      this.#failed(spec);
    }
  }

  #onSegments(pipeline: Pipeline, segments: HlsSegment[]): void {
    // A run being stopped by close() may still report segments: no timer may start after close().
    if (this.closed || this.#playlist.ended) return;
    if (pipeline === this.#pending) {
      const previous = this.#current;
      this.#current = pipeline;
      this.#pending = undefined;
      if (previous) this.#retire(previous);
      this.#playlist.addRun(pipeline.run);
      this.#failures = 0;
      this.#logger.log(`run ${pipeline.run} on air ${Date.now() - pipeline.startedAt} ms after its start`);
      if (this.#mode === 'ended' && pipeline.spec.slate === 'ended' && pipeline.spec.video.length === 0) {
        this.#endTimers.push(setTimeout(() => void this.#finish(), ENDED_SLATE_MS));
      }
    }
    if (pipeline !== this.#current) return;
    this.#playlist.addSegments(segments);
  }

  #onFailure(pipeline: Pipeline, reason: string): void {
    if (pipeline !== this.#current && pipeline !== this.#pending) return;
    this.#logger.warn(`run ${pipeline.run} failed: ${reason}; FFmpeg said: ${pipeline.stderrTail || 'nothing'}`);
    if (pipeline === this.#current) this.#current = undefined;
    if (pipeline === this.#pending) this.#pending = undefined;
    this.#retire(pipeline);
    this.#restarts++;
    this.#failed(pipeline.spec);
  }

  #failed(spec: PipelineSpec): void {
    this.#failures++;
    if (this.#failures >= FAILURES_BEFORE_SLATE && spec.video.length + spec.audio.length > 0) {
      this.#logger.warn(`the speakers' pipeline keeps failing: showing the slate until the tracks change`);
      this.#slateInsteadOf = specKey(spec);
    }
    const delay = RETRY_DELAYS_MS[Math.min(this.#failures, RETRY_DELAYS_MS.length - 1)]!;
    this.#scheduleReconcile(delay);
  }

  /** Catches FFmpeg that still runs but makes nothing (its RTP stopped), an idle slate, audio that starts or stops. */
  #watch(): void {
    const now = Date.now();
    const current = this.#current;
    if (current && !this.#pending && now - (current.lastSegmentAt ?? current.startedAt) > this.#stallMs) {
      this.#onFailure(current, `no segment for ${this.#stallMs / 1000} s`);
    }
    const pending = this.#pending;
    if (pending && now - pending.startedAt > START_TIMEOUT_MS) this.#onFailure(pending, 'no first segment');
    if (this.#mode === 'soon' && now - this.#lastTouch > IDLE_MS && (this.#current || this.#pending)) {
      this.emit('idle');
    }
    if (this.#mode === 'live') {
      const audible = this.#usableTracks()
        .flatMap((t) => (t.kind === 'audio' ? [t.producer.id] : []))
        .join();
      if (audible !== this.#audible) this.#scheduleReconcile(REBUILD_DEBOUNCE_MS);
      this.#audible = audible;
    }
  }

  #retire(pipeline: Pipeline): void {
    this.#retiring.add(pipeline);
    void pipeline.close().finally(() => this.#retiring.delete(pipeline));
  }

  /** After the ended slate: stop it (its last segments count), close the playlist, report. */
  #finish(): Promise<void> {
    this.#finishing ??= (async () => {
      this.#stopTimers();
      await this.#reconciling;
      if (this.#pending) this.#retire(this.#pending);
      this.#pending = undefined;
      await this.#current?.close();
      this.#current = undefined;
      await Promise.all([...this.#retiring].map((pipeline) => pipeline.close()));
      await this.#playlist.end();
      this.#unsubscribeInput?.();
      this.#closing = Promise.resolve();
      this.emit('finished');
    })();
    return this.#finishing;
  }

  #stopTimers(): void {
    clearTimeout(this.#rebuildTimer);
    clearInterval(this.#watchdog);
    for (const timer of this.#endTimers) clearTimeout(timer);
  }
}

const videoSourceOf = (track: StudioTrack): VideoSource => (track.source === 'screen' ? 'screen' : 'camera');
const receiving = (producer: StudioTrack['producer']) => producer.score.some((s) => s.score > 0);

function describe(spec: PipelineSpec): string {
  if (spec.video.length === 0) return `slate "${spec.slate}" with ${spec.audio.length} audio track(s)`;
  return `${spec.video.length} video and ${spec.audio.length} audio track(s)`;
}
