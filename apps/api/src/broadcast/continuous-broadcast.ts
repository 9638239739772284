import { Logger } from '@nestjs/common';
import { AUDIO_ONLY_RENDITION, PROGRAM_INFO_FILE, type ProgramInfo } from '@pressroom/protocol';
import { EventEmitter } from 'node:events';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import type { CaptionCueView } from '@pressroom/protocol';
import { join } from 'node:path';
import type { StudioTrack } from '../media/studio-track';
import { MEDIA_DIR_MODE, WORK_FILES } from './broadcast-dirs';
import type { BroadcastInput } from './broadcast-input';
import { BroadcastPlaylist } from './broadcast-playlist';
import { CaptionRenditions } from './captions/caption-renditions';
import type { BroadcastEvents, BroadcastMode, BroadcastOptions, BroadcastStatus } from './broadcast-types';
import { AudioFeed } from './continuous/audio-feed';
import { compositeFiles, DEFAULT_LADDER } from './continuous/composite-command';
import { assignSlots } from './continuous/composite-layout';
import {
  ContinuousComposite,
  type ProgramTile,
  type SlateText,
  type TileTarget,
} from './continuous/continuous-composite';
import {
  endedMultivariant,
  endMultivariant,
  isInterpretationRendition,
  multivariantPlaylist,
  renditionFileName,
  renditionNames,
  renditionPlaylist,
  type Ladder,
  type RenditionName,
} from './continuous/renditions';
import { SlotFeed } from './continuous/slot-feed';
import { HLS_PLAYLIST } from './hls-files';
import { parseMediaPlaylist } from './hls-playlist';
import { layoutVideos, type VideoSource } from './layout';
import { lowerThirdText, slateStatus, writeFileAtomically, type OnAirQuestion } from './overlay-text';
import { COMPOSITE_RESTART_DELAYS_MS, FEED_RESTART_DELAYS_MS, RestartBackoff } from './restart-backoff';
import { closeInput, consume, resume, sdpStreamOf, type RtpInput } from './rtp-input';
import { buildSdp } from './sdp';

const RECONCILE_DEBOUNCE_MS = 100;
/**
 * Segments FFmpeg's own playlists list: polled every POLL_MS, a whole run's list would be parsed 20 times
 * a second and grow all event; this many cover any pause of the poll (at 0.5 s segments, 30 s).
 */
const RUN_LIST_SIZE = 60;
const WATCHDOG_MS = 500;
/** How often the composite's playlist is looked at: a new segment waits half of this on average. */
const POLL_MS = 50;
/** The composite made no segment and no progress for this long (and 3 segments): it is stuck; replace it. */
const STALL_MS = 3_000;
const STALL_SEGMENTS = 3;
/** A new composite's first segment may take this long on a busy machine before it counts as stuck. */
const FIRST_SEGMENT_MS = 8_000;
/** FFmpeg's RTP input never asks for keyframes: we do, often at first (its sockets take a moment). */
const KEYFRAME_WARMUP_MS = [0, 300, 800, 1_500];
const KEYFRAME_INTERVAL_MS = 2_000;
/** A speaker joining: the change waits this long at most for their first picture (no empty tile shown). */
const FIRST_PICTURE_WAIT_MS = 1_500;
/** How long the ended slate runs before the playlist closes, and the longest the end may take. */
const ENDED_SLATE_MS = 4_000;
const ENDED_LATEST_MS = 12_000;
/** The end waits this long at most for a change still being applied before it stops the composite. */
const FINISH_WAIT_MS = 5_000;
/** A "starting soon" slate nobody asked for this long is stopped; the next request starts it again. */
const IDLE_MS = 30_000;

interface VideoIn {
  id: string;
  input: RtpInput;
  feed?: SlotFeed;
  target?: TileTarget;
}

/** A speaker's feed that stopped: when it may start again. */
interface FeedRestart {
  backoff: RestartBackoff;
  retryAt?: number;
}

interface AudioIn {
  id: string;
  input: RtpInput;
  feed: AudioFeed;
  /** An interpreter's voice: into this language's rendition, not the floor's mix. */
  language?: string;
}

/** One rendition's public media playlist (`v720.m3u8`, `audio.m3u8`). */
interface Rendition {
  name: RenditionName;
  playlist: BroadcastPlaylist;
}

/** How far the public playlist of a rendition has taken the composite's own playlist of it. */
interface RenditionProgress {
  /** The public playlist lists this run (from its first segment). */
  listed: boolean;
  segmentsTaken: number;
  playlistStamp: string;
}

export interface ContinuousBroadcastOptions extends BroadcastOptions {
  /** The video renditions (HLS_LADDER); all of composite-command.ts's DEFAULT_LADDER when absent. */
  ladder?: Ladder;
  /** How much each live media playlist lists (HLS_WINDOW_SECONDS); absent, all of it. */
  windowSeconds?: number;
  /** Interpretation languages (the event's interpreters'): an alternate audio rendition each, for this broadcast. */
  interpretations?: readonly string[];
}

/** The composite on air (or starting) and what was last applied to it. */
interface OnAir {
  composite: ContinuousComposite;
  run: number;
  startedAt: number;
  renditions: Map<RenditionName, RenditionProgress>;
  /** When the top rendition last got a segment. */
  lastSegmentAt?: number;
  /** FFmpeg's media time at the last look, and when it last moved: a slow encode is not a stuck one. */
  mediaSeconds: number;
  movedAt?: number;
  /** What the composite shows, as last applied: JSON keys. */
  program?: string;
  lowerThird?: string;
  ended: boolean;
  /** Each video's slot, as the composite assigned it. */
  slotOf: Map<string, number>;
}

/**
 * The broadcast of one event (issue 9): ONE FFmpeg composite
 * (continuous/continuous-composite.ts) from the first slate to the ended slate, one run of the public
 * playlist, so no discontinuity and no lost second when speakers come and go. Per camera or screen a
 * PlainTransport consumer and a `SlotFeed` writing into the tile the composite gives it; per microphone a
 * consumer and an `AudioFeed` whose sound the composite mixes. Only a composite that dies or stalls is
 * replaced: a new run, after one discontinuity.
 */
export class ContinuousBroadcast extends EventEmitter<BroadcastEvents> {
  readonly eventId: string;
  readonly slug: string;
  readonly #options: ContinuousBroadcastOptions;
  readonly #stallMs: number;
  /** Every rendition's playlist, the top video one first (the recording is made from it). */
  readonly #renditions: Rendition[];
  readonly #ladder: Ladder;
  /** The caption languages' WebVTT renditions, in step with the top rendition. */
  readonly #captions: CaptionRenditions;
  #indexWriting: Promise<void> = Promise.resolve();
  readonly #logger: Logger;
  /** The event's, as the slate and the lower third show them (a rename follows: `rename`). */
  #title: string;
  #language: string | null;
  readonly #videos = new Map<string, VideoIn>();
  readonly #audios = new Map<string, AudioIn>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #mode: BroadcastMode;
  #onAirQuestion: OnAirQuestion | null;
  #input?: BroadcastInput;
  #unsubscribeInput?: () => void;
  #nextRun: number;
  #nextFeed = 1;
  #onAir?: OnAir;
  /** Runs whose composite died: their work files go once their feeds are closed. */
  #staleRuns: number[] = [];
  /** The composite: restarted at once, then less and less often while it keeps failing. */
  readonly #compositeRestarts = new RestartBackoff(COMPOSITE_RESTART_DELAYS_MS);
  /** A change that threw is tried again the same way. */
  readonly #changeRetries = new RestartBackoff(COMPOSITE_RESTART_DELAYS_MS);
  /** Speakers' feeds that stopped, by producer id. */
  readonly #feedRestarts = new Map<string, FeedRestart>();
  #restarts = 0;
  #lastTouch = Date.now();
  #reconcileTimer?: NodeJS.Timeout;
  #watchdog?: NodeJS.Timeout;
  #pollTimer?: NodeJS.Timeout;
  #keyframeTimer?: NodeJS.Timeout;
  #polling?: Promise<void>;
  #reconciling: Promise<void> = Promise.resolve();
  #finishing?: Promise<void>;
  #closing?: Promise<void>;

  private constructor(
    options: ContinuousBroadcastOptions,
    renditions: Rendition[],
    captions: CaptionRenditions,
    logger: Logger,
  ) {
    super();
    this.eventId = options.event.id;
    this.slug = options.event.slug;
    this.#options = options;
    this.#title = options.event.title;
    this.#language = options.event.language;
    this.#stallMs = Math.max(STALL_MS, STALL_SEGMENTS * options.segmentSeconds * 1000);
    this.#mode = options.mode;
    this.#onAirQuestion = options.onAir ?? null;
    this.#renditions = renditions;
    this.#captions = captions;
    this.#ladder = options.ladder ?? DEFAULT_LADDER;
    this.#nextRun = Math.max(...renditions.map((rendition) => rendition.playlist.firstFreeRun));
    this.#logger = logger;
  }

  static async create(options: ContinuousBroadcastOptions): Promise<ContinuousBroadcast> {
    const logger = new Logger(`Broadcast ${options.event.slug}`);
    await mkdir(join(options.dir, WORK_FILES.dir), { recursive: true, mode: MEDIA_DIR_MODE });
    const ladder = options.ladder ?? DEFAULT_LADDER;
    const renditions = await Promise.all(
      renditionNames(ladder, options.interpretations).map(async (name, index) => ({
        name,
        playlist: await BroadcastPlaylist.open(options.dir, options.mode === 'ended', logger, {
          name: renditionPlaylist(name),
          windowSeconds: options.windowSeconds,
          // The recording is a remux of the top rendition, kept whole; so is the audio-only one (64 kbit/s,
          // 30 MB for two hours), so "Audio only" plays the whole event after the end; so is each interpretation
          // language's (the recording's audio tracks, the ended index.m3u8's). The others keep their window.
          keepForRecording: index === 0 || name === AUDIO_ONLY_RENDITION || isInterpretationRendition(name),
        }),
      })),
    );
    const owner: { broadcast?: ContinuousBroadcast } = {};
    const captions = await CaptionRenditions.open({
      dir: options.dir,
      windowSeconds: options.windowSeconds,
      keepEnded: options.mode === 'ended',
      logger,
      onLanguages: (languages) => {
        if (owner.broadcast) void owner.broadcast.#writeMultivariant(languages);
      },
    });
    // Served once every rendition's playlist exists (ready()).
    await writeMultivariant(
      options.dir,
      ladder,
      captions.languages,
      options.interpretations ?? [],
      options.mode === 'ended',
    );
    // Already live (a restart): every segment it made is the recording's.
    if (options.mode !== 'soon') {
      for (const { playlist } of renditions) playlist.recordingStartsAt(0);
      captions.recordingStartsAt(0);
    }
    const broadcast = (owner.broadcast = new ContinuousBroadcast(options, renditions, captions, logger));
    broadcast.#watchdog = setInterval(() => broadcast.#watch(), WATCHDOG_MS);
    broadcast.#pollTimer = setInterval(() => void broadcast.#poll(), POLL_MS);
    broadcast.#keyframeTimer = setInterval(() => broadcast.#requestKeyFrames(), KEYFRAME_INTERVAL_MS);
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
    const onAir = this.#onAir;
    const speakers = this.#videos.size > 0 && !onAir?.ended;
    const slate = this.#mode === 'live' ? 'waiting' : this.#mode;
    return {
      mode: this.#mode,
      showing: !onAir ? 'nothing' : speakers ? 'speakers' : slate,
      run: onAir?.run,
      pid: onAir?.composite.pid,
      segments: this.#top.segmentCount,
      restarts: this.#restarts,
    };
  }

  setMode(mode: BroadcastMode): void {
    if (this.closed || this.#finishing || mode === this.#mode) return;
    this.#mode = mode;
    if (mode !== 'soon') {
      for (const { playlist } of this.#renditions) playlist.recordingStartsAt(Date.now());
      this.#captions.recordingStartsAt(Date.now());
    }
    if (mode === 'ended') this.#later(() => void this.#finish(), ENDED_LATEST_MS);
    this.#scheduleReconcile(0);
  }

  setInput(input: BroadcastInput | undefined): void {
    if (this.closed || input === this.#input) return;
    this.#unsubscribeInput?.();
    this.#unsubscribeInput = undefined;
    this.#input = input;
    if (input) this.#unsubscribeInput = input.onTracksChanged(() => this.#scheduleReconcile(RECONCILE_DEBOUNCE_MS));
    this.#scheduleReconcile(RECONCILE_DEBOUNCE_MS);
  }

  /**
   * The moderators renamed the event or changed its language: the slate shown now (and the lower third's
   * heading) change in the running encode, within a frame of the text files' writing; no restart.
   */
  rename(title: string, language: string | null): void {
    if (this.closed || (title === this.#title && language === this.#language)) return;
    this.#title = title;
    this.#language = language;
    const onAir = this.#onAir;
    if (onAir) {
      onAir.composite
        .setSlateText(this.#slate(onAir.ended ? 'ended' : this.#mode))
        .catch((error: unknown) =>
          this.#logger.warn(`renaming the slate failed: ${error instanceof Error ? error.message : error}`),
        );
    }
    this.#scheduleReconcile(0);
  }

  setLowerThird(question: OnAirQuestion | null): void {
    if (this.closed) return;
    this.#onAirQuestion = question;
    this.#scheduleReconcile(0);
  }

  /** Caption languages with a rendition from the next segment on (even before their first line). */
  addCaptionLanguages(languages: readonly string[]): void {
    if (this.closed) return;
    void this.#captions.addLanguages(languages);
  }

  /** A caption line: in its language's WebVTT rendition, at the time it was sent. */
  addCaption(cue: CaptionCueView): void {
    if (this.closed) return;
    void this.#captions.addCue(cue);
  }

  /** The caption languages the multivariant playlist lists. */
  get captionLanguages(): string[] {
    return this.#captions.languages;
  }

  /** A viewer asked for the stream: a stopped "starting soon" slate starts again. */
  touch(): void {
    this.#lastTouch = Date.now();
    if (this.#mode === 'soon' && !this.#onAir) this.#scheduleReconcile(0);
  }

  /** Resolves true once every rendition's playlist exists (index.m3u8 lists them all), false after `timeoutMs`. */
  async ready(timeoutMs: number): Promise<boolean> {
    const ready = await Promise.all(this.#renditions.map(({ playlist }) => playlist.ready(timeoutMs)));
    return ready.every(Boolean);
  }

  get #top(): BroadcastPlaylist {
    return this.#renditions[0]!.playlist;
  }

  /** Stops FFmpeg and leaves the playlist open (a live event resumes on the next start). Safe twice. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#stopTimers();
      this.#unsubscribeInput?.();
      await this.#reconciling;
      await this.#closeFeeds();
      await this.#stopComposite();
      await Promise.all(this.#renditions.map(({ playlist }) => playlist.flush()));
      await this.#captions.flush();
      await this.#indexWriting;
    })();
    return this.#closing;
  }

  #scheduleReconcile(delayMs: number): void {
    if (this.closed || this.#finishing) return;
    clearTimeout(this.#reconcileTimer);
    this.#reconcileTimer = setTimeout(() => {
      this.#reconciling = this.#reconciling.then(() =>
        this.#reconcile().catch((error: unknown) => {
          const { delayMs, first } = this.#changeRetries.failed();
          const message = `applying a change failed: ${error instanceof Error ? error.message : error}`;
          if (first) this.#logger.warn(`${message}; trying again, less often while it keeps failing`);
          this.#scheduleReconcile(delayMs);
        }),
      );
    }, delayMs);
  }

  /** Brings the composite (started if needed) and the feeds to what the event should show now. */
  async #reconcile(): Promise<void> {
    if (this.closed || this.#finishing) return;
    if (this.#mode === 'soon' && Date.now() - this.#lastTouch > IDLE_MS) {
      if (this.#onAir) this.emit('idle');
      return;
    }
    if (!this.#onAir) await this.#startComposite();
    const onAir = this.#onAir;
    if (!onAir || this.closed || this.#finishing) return;
    const { composite } = onAir;

    if (this.#mode === 'ended') {
      if (onAir.ended) return;
      await this.#closeFeeds();
      await composite.end(this.#slate('ended'));
      await this.#writeProgramInfo([]);
      onAir.ended = true;
      onAir.program = undefined;
      this.#later(() => void this.#finish(), ENDED_SLATE_MS);
      return;
    }

    const live = this.#mode === 'live';
    const tracks = live ? this.#usableTracks() : [];
    const { shown } = layoutVideos(
      tracks.filter((t) => t.kind === 'video'),
      videoSourceOf,
    );
    const speakerTiles: ProgramTile[] = shown.map((track) => ({
      id: track.producer.id,
      source: videoSourceOf(track),
      ...(track.source === 'camera' ? { label: track.speakerName } : {}),
    }));
    // The sign-language interpreter: in their fixed place whenever they are on camera, speakers or not.
    const signer = live ? this.#signerTrack() : undefined;
    const tiles: ProgramTile[] = signer
      ? [...speakerTiles, { id: signer.producer.id, source: 'camera', signer: true, label: signer.speakerName }]
      : speakerTiles;
    const program = JSON.stringify({ tiles, slate: speakerTiles.length > 0 ? null : this.#mode });
    if (program !== onAir.program) {
      await this.#applyProgram(onAir, signer ? [...shown, signer] : shown, tiles);
      await this.#writeProgramInfo(speakerTiles.flatMap((tile) => (tile.label ? [tile.label] : [])));
    }
    onAir.program = program;

    await this.#applyAudio(onAir, [
      ...tracks.filter((t) => t.kind === 'audio'),
      ...(live ? this.#interpreterTracks(onAir) : []),
    ]);

    const question = live ? this.#onAirQuestion : null;
    const text = question ? lowerThirdText(question, signer !== undefined, this.#language) : null;
    const lowerThird = text ? JSON.stringify(text) : '';
    if (lowerThird !== onAir.lowerThird) {
      await composite.setLowerThird(text);
      onAir.lowerThird = lowerThird;
    }
    this.#changeRetries.succeeded();
  }

  /**
   * The speakers' tiles: departing videos' feeds stop BEFORE the composite blanks their slot (a feed still
   * running would write its speaker into the next one's tile); a video that changes slot restarts its feed
   * on the new picture file.
   */
  async #applyProgram(onAir: OnAir, shown: StudioTrack[], tiles: ProgramTile[]): Promise<void> {
    const { composite } = onAir;
    const wanted = new Set(tiles.map((tile) => tile.id));
    const { assignments } = assignSlots(tiles, onAir.slotOf);
    const nextSlot = new Map(assignments.map(({ id, slot }) => [id, slot.index]));
    for (const video of [...this.#videos.values()]) {
      if (!wanted.has(video.id)) {
        this.#videos.delete(video.id);
        this.#feedRestarts.delete(video.id);
        await video.feed?.close();
        closeInput(video.input, this.#options.ports);
      } else if (video.target && video.target.slot !== nextSlot.get(video.id)) {
        await video.feed?.close();
        video.feed = video.target = undefined;
      }
    }
    for (const track of shown) {
      if (this.#videos.has(track.producer.id) || !this.#input) continue;
      const input = await consume(this.#input.router, track.producer, this.#options.ports);
      this.#watchConsumer(input);
      this.#videos.set(track.producer.id, { id: track.producer.id, input });
    }
    if (tiles.length === 0) {
      await composite.showSlate(this.#slate(this.#mode));
      onAir.slotOf = new Map();
      return;
    }
    // A joining speaker whose slot is hidden now: their feed starts first, the tile shows with a picture.
    const visible = new Set(onAir.slotOf.values());
    const files = compositeFiles(onAir.run);
    const early = new Map<string, Promise<boolean>>();
    for (const { id, slot } of assignments) {
      const video = this.#videos.get(id);
      if (!video || video.feed || visible.has(slot.index)) continue;
      const screen = tiles.find((tile) => tile.id === id)?.source === 'screen';
      await this.#startFeed(onAir, video, {
        id,
        slot: slot.index,
        pictureFile: files.picture(slot.index),
        width: slot.width,
        height: slot.height,
        fit: screen ? 'contain' : slot.fit,
      });
      early.set(id, video.feed!.firstPicture(FIRST_PICTURE_WAIT_MS));
    }
    await Promise.all(early.values());
    const targets = await composite.setProgram(
      tiles.map((tile) => (early.has(tile.id) ? { ...tile, keepPicture: true } : tile)),
    );
    onAir.slotOf = new Map(targets.map((target) => [target.id, target.slot]));
    for (const target of targets) {
      const video = this.#videos.get(target.id);
      if (!video) continue;
      const current = video.feed && video.target && sameTarget(video.target, target);
      // A feed that stopped waits for its backoff (#watchFeeds).
      if (current && (video.feed!.process.running || !this.#feedDue(video.id))) continue;
      await this.#startFeed(onAir, video, target);
    }
  }

  /** Who is on air, for audio-only listeners (PROGRAM_INFO_FILE): the names the tiles show. */
  async #writeProgramInfo(speakers: string[]): Promise<void> {
    const info: ProgramInfo = { speakers };
    await writeFileAtomically(join(this.#options.dir, PROGRAM_INFO_FILE), JSON.stringify(info));
  }

  /** The video's feed (a new one) writes into `target`; its consumer flows, keyframes asked for. */
  async #startFeed(onAir: OnAir, video: VideoIn, target: TileTarget): Promise<void> {
    await video.feed?.close();
    video.feed = video.target = undefined;
    const n = this.#nextFeed++;
    video.feed = await SlotFeed.start({
      dir: this.#options.dir,
      target,
      sdpFile: `work/c${onAir.run}-feed-${n}.sdp`,
      sdp: buildSdp([sdpStreamOf(video.input)]),
      ffmpegPath: this.#options.ffmpegPath,
    });
    video.target = target;
    this.#feedStarted(video.id);
    resume([video.input]);
    for (const at of KEYFRAME_WARMUP_MS) this.#later(() => requestKeyFrame(video.input), at);
  }

  async #applyAudio(onAir: OnAir, tracks: StudioTrack[]): Promise<void> {
    const { composite } = onAir;
    const wanted = new Set(tracks.map((track) => track.producer.id));
    for (const audio of [...this.#audios.values()]) {
      // A feed whose FFmpeg stopped leaves once its backoff is over (#watchFeeds), and comes back below.
      if (wanted.has(audio.id) && (audio.feed.running || !this.#feedDue(audio.id))) continue;
      if (!wanted.has(audio.id)) this.#feedRestarts.delete(audio.id);
      this.#audios.delete(audio.id);
      if (audio.language) composite.removeVoice(audio.language, audio.id);
      else composite.removeAudio(audio.id);
      await audio.feed.close();
      closeInput(audio.input, this.#options.ports);
    }
    for (const track of tracks) {
      const id = track.producer.id;
      if (this.#audios.has(id) || !this.#input) continue;
      const input = await consume(this.#input.router, track.producer, this.#options.ports);
      this.#watchConsumer(input);
      const n = this.#nextFeed++;
      const language = track.role === 'interpreter' ? (track.language ?? undefined) : undefined;
      let feed: AudioFeed;
      try {
        if (language) composite.addVoice(language, id);
        else composite.addAudio(id);
        feed = await AudioFeed.start({
          dir: this.#options.dir,
          sdpFile: `work/c${onAir.run}-feed-${n}.sdp`,
          sdp: buildSdp([sdpStreamOf(input)]),
          ffmpegPath: this.#options.ffmpegPath,
          onPcm: (pcm) => {
            if (this.#onAir?.composite !== composite) return;
            if (language) composite.pushVoice(language, id, pcm);
            else composite.pushAudio(id, pcm);
          },
        });
      } catch (error) {
        if (language) composite.removeVoice(language, id);
        else composite.removeAudio(id);
        closeInput(input, this.#options.ports);
        throw error;
      }
      this.#audios.set(id, { id, input, feed, ...(language ? { language } : {}) });
      this.#feedStarted(id);
      resume([input]);
    }
  }

  async #startComposite(): Promise<void> {
    await this.#closeFeeds();
    for (const stale of this.#staleRuns.splice(0)) await this.#removeRunFiles(stale);
    const run = this.#nextRun++;
    const composite = await ContinuousComposite.create({
      ffmpegPath: this.#options.ffmpegPath,
      dir: this.#options.dir,
      run,
      slate: this.#slate(this.#mode),
      segmentSeconds: this.#options.segmentSeconds,
      ladder: this.#ladder,
      runListSize: RUN_LIST_SIZE,
      interpretations: this.#options.interpretations,
    });
    if (this.closed || this.#finishing) {
      await composite.close();
      return;
    }
    composite.on('exit', () => void this.#exited(composite));
    composite.on('slotLost', (slot) => this.#logger.warn(`run ${run}: slot ${slot} lost its picture file`));
    this.#onAir = {
      composite,
      run,
      startedAt: Date.now(),
      renditions: new Map(
        this.#renditions.map(({ name }) => [name, { listed: false, segmentsTaken: 0, playlistStamp: '' }]),
      ),
      ended: false,
      mediaSeconds: 0,
      slotOf: new Map(),
    };
    this.#compositeRestarts.started();
    this.#quietWhileFailing(`run ${run} started (pid ${composite.pid}): one composite for the event`);
  }

  /** The composite ended without being asked to: its last segments are listed, a new one takes over. */
  async #exited(composite: ContinuousComposite): Promise<void> {
    const onAir = this.#onAir;
    if (onAir?.composite !== composite || this.closed || this.#finishing) return;
    const { delayMs, first, failures } = this.#compositeRestarts.failed();
    const message = `run ${onAir.run} failed: FFmpeg exited; it said: ${composite.stderrTail || 'nothing'}`;
    if (first) this.#logger.warn(`${message}; starting a new run, less often while it keeps failing`);
    else this.#logger.debug(`${message} (${failures} failures in a row; next try in ${delayMs} ms)`);
    await this.#poll();
    if (this.#onAir !== onAir) return;
    this.#onAir = undefined;
    this.#staleRuns.push(onAir.run);
    this.#restarts++;
    this.#scheduleReconcile(delayMs);
  }

  /** Catches a composite that still runs but makes nothing, a feed that stopped, an idle "starting soon" slate. */
  #watch(): void {
    const onAir = this.#onAir;
    if (onAir && this.#watchFeeds(onAir.run)) {
      onAir.program = undefined;
      this.#scheduleReconcile(0);
    }
    if (onAir && onAir.composite.mediaSeconds !== onAir.mediaSeconds) {
      onAir.mediaSeconds = onAir.composite.mediaSeconds;
      onAir.movedAt = Date.now();
    }
    const lastSign = Math.max(onAir?.startedAt ?? 0, onAir?.lastSegmentAt ?? 0, onAir?.movedAt ?? 0);
    const silentMs = Date.now() - lastSign;
    if (onAir?.composite.running && silentMs > (onAir.lastSegmentAt ? this.#stallMs : FIRST_SEGMENT_MS)) {
      this.#quietWhileFailing(
        `run ${onAir.run}: no segment and no progress for ${(silentMs / 1000).toFixed(1)} s; stopping it`,
        'warn',
      );
      // Its exit replaces it.
      try {
        if (onAir.composite.pid) process.kill(-onAir.composite.pid, 'SIGKILL');
      } catch {
        // gone meanwhile: its exit is on its way
      }
    }
    if (this.#mode === 'soon' && Date.now() - this.#lastTouch > IDLE_MS && this.#onAir) this.emit('idle');
  }

  /**
   * Speakers' feeds whose FFmpeg stopped: each starts again after its backoff (0.5 s, 1 s, 2 s, then every
   * 5 s while it keeps failing), and is logged once per failure streak. True when one is due now.
   */
  #watchFeeds(run: number): boolean {
    const stopped = [
      ...[...this.#videos.values()].flatMap(({ id, feed }) =>
        feed && !feed.process.running ? [{ id, said: feed.process.stderrTail }] : [],
      ),
      ...[...this.#audios.values()].flatMap(({ id, feed }) => (feed.running ? [] : [{ id, said: feed.stderrTail }])),
    ];
    const now = Date.now();
    let due = false;
    for (const { id, said } of stopped) {
      let restart = this.#feedRestarts.get(id);
      if (!restart) this.#feedRestarts.set(id, (restart = { backoff: new RestartBackoff(FEED_RESTART_DELAYS_MS) }));
      if (restart.retryAt === undefined) {
        const { delayMs, first } = restart.backoff.failed();
        restart.retryAt = now + delayMs;
        if (!first) continue;
        this.#logger.warn(
          `run ${run}: the feed of ${id} stopped; starting it again, less often while it keeps failing; ` +
            `FFmpeg said: ${said || 'nothing'}`,
        );
      } else if (now >= restart.retryAt) due = true;
    }
    return due;
  }

  /** A stopped feed's backoff is over: it may start again. */
  #feedDue(id: string): boolean {
    const retryAt = this.#feedRestarts.get(id)?.retryAt;
    return retryAt !== undefined && Date.now() >= retryAt;
  }

  #feedStarted(id: string): void {
    const restart = this.#feedRestarts.get(id);
    if (!restart) return;
    restart.backoff.started();
    restart.retryAt = undefined;
  }

  /** Logged as `level`, or at debug level while the composite keeps failing (its first failure was logged). */
  #quietWhileFailing(message: string, level: 'log' | 'warn' = 'log'): void {
    if (this.#compositeRestarts.failing) this.#logger.debug(message);
    else this.#logger[level](message);
  }

  /** Reads the composite's playlists when they changed and lists the new segments, rendition by rendition. */
  #poll(): Promise<void> {
    if (this.#polling) return this.#polling;
    const onAir = this.#onAir;
    if (!onAir) return Promise.resolve();
    this.#polling = (async () => {
      for (const rendition of this.#renditions) await this.#pollRendition(onAir, rendition);
    })().finally(() => (this.#polling = undefined));
    return this.#polling;
  }

  async #pollRendition(onAir: OnAir, { name, playlist }: Rendition): Promise<void> {
    const progress = onAir.renditions.get(name);
    if (!progress) return;
    const path = onAir.composite.playlistFileOf(name);
    try {
      const stats = await stat(path);
      const stamp = `${stats.mtimeMs}:${stats.size}`;
      if (stamp === progress.playlistStamp) return;
      progress.playlistStamp = stamp;
      const parsed = parseMediaPlaylist(await readFile(path, 'utf8'));
      const segments = parsed.runs.flatMap((run) => run.segments);
      // FFmpeg lists the last RUN_LIST_SIZE segments: the first one listed is number `mediaSequence` of the run.
      const fresh = segments.slice(Math.max(0, progress.segmentsTaken - (parsed.mediaSequence ?? 0)));
      if (fresh.length === 0 || playlist.ended) return;
      progress.segmentsTaken = (parsed.mediaSequence ?? 0) + segments.length;
      if (playlist === this.#top) onAir.lastSegmentAt = Date.now();
      if (!progress.listed) {
        progress.listed = true;
        playlist.addRun(onAir.run, renditionFileName.init(onAir.run, name));
        if (playlist === this.#top) {
          this.#quietWhileFailing(`run ${onAir.run} on air ${Date.now() - onAir.startedAt} ms after its start`);
        }
      }
      playlist.addSegments(fresh);
      if (playlist === this.#top)
        void this.#captions.videoSegments(onAir.run, renditionFileName.init(onAir.run, name), fresh);
    } catch {
      // no playlist yet
    }
  }

  /** Interpreters' microphones whose language this composite makes a rendition of. */
  #interpreterTracks(onAir: OnAir): StudioTrack[] {
    const input = this.#input;
    if (!input?.crewTracks || input.router.closed) return [];
    const languages = onAir.composite.interpretations;
    return input
      .crewTracks()
      .filter(
        (t) =>
          t.role === 'interpreter' &&
          t.kind === 'audio' &&
          !!t.language &&
          languages.includes(t.language) &&
          !t.producer.closed &&
          !t.producer.paused,
      );
  }

  /** The first signer's camera, live and not paused. */
  #signerTrack(): StudioTrack | undefined {
    const input = this.#input;
    if (!input?.crewTracks || input.router.closed) return undefined;
    return input
      .crewTracks()
      .find((t) => t.role === 'signer' && t.kind === 'video' && !t.producer.closed && !t.producer.paused);
  }

  /** Usable tracks: live and not paused (a silent microphone is only silence in the mix). */
  #usableTracks(): StudioTrack[] {
    const input = this.#input;
    if (!input || input.router.closed) return [];
    return input.tracks().filter((t) => !t.producer.closed && !t.producer.paused);
  }

  #watchConsumer({ consumer }: RtpInput): void {
    for (const event of ['producerclose', 'producerpause', 'producerresume', 'transportclose'] as const) {
      consumer.on(event, () => this.#scheduleReconcile(RECONCILE_DEBOUNCE_MS));
    }
  }

  #requestKeyFrames(): void {
    for (const video of this.#videos.values()) if (video.feed) requestKeyFrame(video.input);
  }

  #slate(mode: BroadcastMode | 'waiting'): SlateText {
    return {
      title: this.#title,
      status: slateStatus(mode === 'live' ? 'waiting' : mode, this.#language),
    };
  }

  async #closeFeeds(): Promise<void> {
    const videos = [...this.#videos.values()];
    const audios = [...this.#audios.values()];
    this.#videos.clear();
    this.#audios.clear();
    this.#feedRestarts.clear();
    for (const audio of audios) {
      if (audio.language) this.#onAir?.composite.removeVoice(audio.language, audio.id);
      else this.#onAir?.composite.removeAudio(audio.id);
    }
    await Promise.all([...videos.map((v) => v.feed?.close()), ...audios.map((a) => a.feed.close())]);
    for (const { input } of [...videos, ...audios]) closeInput(input, this.#options.ports);
  }

  /** Stops the composite (it catches up with the wall clock first) and lists its last segments. */
  async #stopComposite(): Promise<void> {
    const onAir = this.#onAir;
    if (!onAir) return;
    await onAir.composite.close();
    await this.#polling;
    await this.#poll();
    this.#onAir = undefined;
    await this.#removeRunFiles(onAir.run);
  }

  /** A composite's work files (its slots' pictures, texts): the HLS files stay, they are the broadcast. */
  async #removeRunFiles(run: number): Promise<void> {
    const work = join(this.#options.dir, WORK_FILES.dir);
    const names = await readdir(work).catch(() => [] as string[]);
    await Promise.all(
      names.filter((name) => name.startsWith(`c${run}-`)).map((name) => rm(join(work, name), { force: true })),
    );
  }

  /** After the ended slate: stop it (its last segments count), close the playlist, report. */
  #finish(): Promise<void> {
    this.#finishing ??= (async () => {
      this.#stopTimers();
      // A change still being applied (a composite starting after a crash, say) may take long: the playlist
      // closes in bounded time anyway, and stopping the composite ends that change.
      const settled = await Promise.race([
        this.#reconciling.then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), FINISH_WAIT_MS).unref()),
      ]);
      if (!settled) this.#logger.warn(`the end did not wait for a change still running after ${FINISH_WAIT_MS} ms`);
      try {
        await this.#closeFeeds();
        await this.#stopComposite();
      } finally {
        await Promise.all(this.#renditions.map(({ playlist }) => playlist.end()));
        await this.#captions.end();
        await this.#indexWriting;
        await endMultivariant(this.#options.dir);
      }
      this.#unsubscribeInput?.();
      this.#closing = Promise.resolve();
      this.emit('finished');
    })();
    return this.#finishing;
  }

  /** index.m3u8 again, with these caption languages (one write after the other). */
  #writeMultivariant(languages: string[]): Promise<void> {
    this.#indexWriting = this.#indexWriting
      .then(() =>
        writeMultivariant(
          this.#options.dir,
          this.#ladder,
          languages,
          this.#options.interpretations ?? [],
          this.#mode === 'ended',
        ),
      )
      .catch((error: unknown) =>
        this.#logger.warn(`writing index.m3u8 failed: ${error instanceof Error ? error.message : error}`),
      );
    return this.#indexWriting;
  }

  #later(run: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, ms);
    this.#timers.add(timer);
  }

  #stopTimers(): void {
    clearTimeout(this.#reconcileTimer);
    clearInterval(this.#watchdog);
    clearInterval(this.#pollTimer);
    clearInterval(this.#keyframeTimer);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}

/** The multivariant playlist (`/hls/` reads it again each second: a language added shows within one). */
async function writeMultivariant(
  dir: string,
  ladder: Ladder,
  subtitles: string[],
  interpretations: readonly string[],
  ended: boolean,
): Promise<void> {
  const multivariant = multivariantPlaylist(ladder, { subtitles, interpretations });
  await writeFileAtomically(join(dir, HLS_PLAYLIST), ended ? endedMultivariant(multivariant) : multivariant);
}

const videoSourceOf = (track: StudioTrack): VideoSource => (track.source === 'screen' ? 'screen' : 'camera');

const sameTarget = (a: TileTarget, b: TileTarget) =>
  a.pictureFile === b.pictureFile && a.width === b.width && a.height === b.height && a.fit === b.fit;

function requestKeyFrame({ consumer }: RtpInput): void {
  if (!consumer.closed) consumer.requestKeyFrame().catch(() => undefined);
}
