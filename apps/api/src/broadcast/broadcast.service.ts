import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseLadder } from '@pressroom/protocol';
import { notFound } from '../common/app-error';
import { Environment } from '../config/environment';
import { EventsService } from '../events/events.service';
import type { PressEvent } from '../events/press-event.entity';
import { QuestionsService } from '../questions/questions.service';
import { Broadcast, type BroadcastStatus } from './broadcast';
import { broadcastsRoot, eventDir, isEventDirName, prepareMediaDir } from './broadcast-dirs';
import type { BroadcastInput } from './broadcast-input';
import { BroadcastPlaylist } from './broadcast-playlist';
import { ContinuousBroadcast } from './continuous-broadcast';
import { mediaPlaylistsOf, type Ladder } from './continuous/renditions';
import { HLS_CONTENT_TYPES, hlsCacheControl, hlsFileKind } from './hls-files';
import { killOrphanedFfmpeg } from './orphans';
import type { OnAirQuestion } from './overlay-text';
import { PortAllocator } from './port-allocator';

/** A file `/hls/:slug/:file` may send, and how. */
export interface HlsFile {
  path: string;
  contentType: string;
  cacheControl: string;
}

/** What the broadcasts tell the rest of the server. */
export interface BroadcastObserverEvents {
  /** An ended event's playlist is closed (`#EXT-X-ENDLIST`): it holds the whole recording. */
  playlistclosed: [eventId: string];
}

type EventRef = Pick<PressEvent, 'id' | 'slug' | 'title' | 'status'>;

/** One event's broadcast, by the engine BROADCAST_ENGINE picks (the same public face). */
type AnyBroadcast = Broadcast | ContinuousBroadcast;

/** How long a first request for a playlist waits for the slate's first segment. */
const PLAYLIST_WAIT_MS = 6_000;

/**
 * The HLS broadcast of every event: follows the events' status (starting-soon slate, the speakers,
 * ended slate, then the recording), puts the question on air in the lower third, and tells the HLS
 * controller which file to send. The studio hands over its router and tracks with `attachInput`.
 *
 * A scheduled event's slate starts with the first request for its playlist and stops when nobody
 * asks for a while; a live event's broadcast runs from its start (and again after a restart of the
 * API) to its end, whether or not anyone watches: it is also the recording.
 */
@Injectable()
export class BroadcastService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  /** Listeners must not throw: they run inside the change that emits. */
  readonly observer = new EventEmitter<BroadcastObserverEvents>();
  readonly #logger = new Logger(BroadcastService.name);
  /** Work on an event's files beside the broadcast (the recording's export), stopped before they are deleted. */
  readonly #stopBeforeDeleting = new Set<(eventId: string) => Promise<void>>();
  readonly #broadcasts = new Map<string, AnyBroadcast>();
  readonly #creating = new Map<string, Promise<AnyBroadcast>>();
  readonly #inputs = new Map<string, BroadcastInput>();
  /** The last on-air change per event, so a broadcast being created meanwhile does not miss it. */
  readonly #onAir = new Map<string, OnAirQuestion | null>();
  readonly #ports: PortAllocator;
  readonly #mediaDir: string;
  readonly #root: string;
  readonly #ffmpegPath: string;
  readonly #segmentSeconds: number;
  readonly #ladder: Ladder;
  readonly #engine: Environment['BROADCAST_ENGINE'];
  readonly #sweepIntervalMs: number;
  readonly #onStatusChange = (event: PressEvent) => void this.#statusChanged(event).catch(this.#logError);
  readonly #onAirChange = (eventId: string, question: OnAirQuestion | null) => {
    this.#onAir.set(eventId, question);
    this.#broadcasts.get(eventId)?.setLowerThird(question);
  };
  #sweepTimer?: NodeJS.Timeout;
  #shuttingDown = false;

  constructor(
    environment: Environment,
    private readonly events: EventsService,
    private readonly questions: QuestionsService,
  ) {
    this.#ports = new PortAllocator(environment.BROADCAST_MIN_PORT, environment.BROADCAST_MAX_PORT);
    this.#mediaDir = environment.MEDIA_DIR;
    this.#root = broadcastsRoot(environment.MEDIA_DIR);
    this.#ffmpegPath = environment.FFMPEG_PATH;
    this.#segmentSeconds = environment.HLS_SEGMENT_SECONDS;
    this.#ladder = parseLadder(environment.HLS_LADDER)!;
    this.#engine = environment.BROADCAST_ENGINE;
    this.#sweepIntervalMs = environment.PURGE_INTERVAL_SECONDS * 1000;
  }

  onModuleInit(): void {
    this.events.observer.on('statuschange', this.#onStatusChange);
    this.questions.observer.on('onair', this.#onAirChange);
  }

  async onApplicationBootstrap(): Promise<void> {
    await prepareMediaDir(this.#mediaDir);
    const killed = await killOrphanedFfmpeg(this.#root, this.#ffmpegPath);
    if (killed.length > 0) this.#logger.warn(`killed ${killed.length} FFmpeg process(es) left by an earlier run`);
    for (const event of await this.events.list()) {
      if (event.status === 'live') void this.#ensure({ ...event, status: 'live' }).catch(this.#logError);
    }
    void this.#sweep();
    this.#sweepTimer = setInterval(() => void this.#sweep(), this.#sweepIntervalMs);
  }

  /** Stops every FFmpeg before the studio and the mediasoup workers go (their RTP still flows). */
  async onModuleDestroy(): Promise<void> {
    this.#shuttingDown = true;
    this.events.observer.off('statuschange', this.#onStatusChange);
    this.questions.observer.off('onair', this.#onAirChange);
    clearInterval(this.#sweepTimer);
    await Promise.allSettled(this.#creating.values());
    await Promise.all([...this.#broadcasts.values()].map((broadcast) => broadcast.close()));
    this.#broadcasts.clear();
  }

  /** The studio's tracks for an event; shown while the event is live (not before its start). */
  attachInput(eventId: string, input: BroadcastInput): void {
    this.#inputs.set(eventId, input);
    this.#broadcasts.get(eventId)?.setInput(input);
  }

  detachInput(eventId: string): void {
    this.#inputs.delete(eventId);
    this.#broadcasts.get(eventId)?.setInput(undefined);
  }

  /**
   * Whoever works on an event's files beside the broadcast (the recording) gives how to stop that work:
   * the purge awaits it before deleting the files. Returns the function that takes it back.
   */
  stopBeforeDeleting(stop: (eventId: string) => Promise<void>): () => void {
    this.#stopBeforeDeleting.add(stop);
    return () => this.#stopBeforeDeleting.delete(stop);
  }

  status(eventId: string): BroadcastStatus | undefined {
    return this.#broadcasts.get(eventId)?.status;
  }

  /**
   * Resolves a request under `/hls/:slug/`: unknown names, events and files are not found; a purged
   * event is gone. The first request for a scheduled event's playlist starts its slate and waits for it.
   */
  async hlsFile(slug: string, name: string): Promise<HlsFile> {
    const kind = hlsFileKind(name);
    if (!kind) throw notFound('File');
    let broadcast = [...this.#broadcasts.values()].find((b) => b.slug === slug);
    let eventId = broadcast?.eventId;
    if (!broadcast) {
      const event = await this.events.findOpen(slug);
      eventId = event.id;
      // Who is on air says nothing before the broadcast starts: it starts no slate.
      const starts = kind !== 'program' && (event.status === 'scheduled' || event.status === 'live');
      if (starts) broadcast = await this.#ensure(event);
      else if (kind === 'playlist') await this.#closePlaylistOnDisk(event.id);
    }
    if (broadcast) {
      broadcast.touch();
      if (kind === 'playlist' && !(await broadcast.ready(PLAYLIST_WAIT_MS))) throw notFound('Stream');
    }
    return {
      path: join(this.#dirOf(eventId!), name),
      contentType: HLS_CONTENT_TYPES[kind],
      cacheControl: hlsCacheControl(kind, !broadcast),
    };
  }

  /**
   * Deletes an event's broadcast files, its MP4 included: the broadcast's part of the purge, when the
   * event turns `purged`; the periodic sweep deletes what an API stopped meanwhile left behind.
   */
  async #deleteRecording(eventId: string): Promise<void> {
    const broadcast = this.#broadcasts.get(eventId);
    this.#broadcasts.delete(eventId);
    await broadcast?.close();
    for (const stop of this.#stopBeforeDeleting) await stop(eventId);
    await rm(this.#dirOf(eventId), { recursive: true, force: true });
  }

  async #statusChanged(event: PressEvent): Promise<void> {
    if (this.#shuttingDown) return;
    if (event.status === 'live') (await this.#ensure(event)).setMode('live');
    if (event.status === 'ended') {
      this.#onAir.delete(event.id);
      const broadcast = this.#broadcasts.get(event.id) ?? (await this.#creating.get(event.id));
      if (broadcast && !broadcast.closed) broadcast.setMode('ended');
      else {
        await this.#closePlaylistOnDisk(event.id);
        this.observer.emit('playlistclosed', event.id);
      }
    }
    if (event.status === 'purged') await this.#deleteRecording(event.id);
  }

  /** The event's broadcast, created once however many callers ask at the same time. */
  #ensure(event: EventRef): Promise<AnyBroadcast> {
    const existing = this.#broadcasts.get(event.id);
    if (existing) return Promise.resolve(existing);
    const creating = this.#creating.get(event.id);
    if (creating) return creating;
    const created = this.#create(event).finally(() => this.#creating.delete(event.id));
    this.#creating.set(event.id, created);
    return created;
  }

  async #create(event: EventRef): Promise<AnyBroadcast> {
    if (this.#shuttingDown) throw new Error('shutting down');
    const engine = this.#engine === 'continuous' ? ContinuousBroadcast : Broadcast;
    const broadcast: AnyBroadcast = await engine.create({
      event,
      dir: this.#dirOf(event.id),
      mode: event.status === 'live' ? 'live' : 'soon',
      ports: this.#ports,
      ffmpegPath: this.#ffmpegPath,
      segmentSeconds: this.#segmentSeconds,
      ladder: this.#ladder,
      onAir: this.#onAir.has(event.id) ? this.#onAir.get(event.id) : await this.#onAirNow(event.id),
    });
    const forget = () => {
      if (this.#broadcasts.get(event.id) === broadcast) this.#broadcasts.delete(event.id);
    };
    broadcast.on('finished', () => {
      forget();
      this.observer.emit('playlistclosed', event.id);
    });
    broadcast.on('idle', () => {
      forget();
      void broadcast.close();
    });
    this.#broadcasts.set(event.id, broadcast);
    // What changed while it was being created.
    broadcast.setInput(this.#inputs.get(event.id));
    if (this.#onAir.has(event.id)) broadcast.setLowerThird(this.#onAir.get(event.id) ?? null);
    return broadcast;
  }

  async #onAirNow(eventId: string): Promise<OnAirQuestion | null> {
    const questions = await this.questions.visibleTo(eventId, 'viewer');
    return questions.find((question) => question.onAir) ?? null;
  }

  /** An ended event whose broadcast did not get to close its playlists (the API stopped meanwhile). */
  async #closePlaylistOnDisk(eventId: string): Promise<void> {
    const dir = this.#dirOf(eventId);
    for (const name of await mediaPlaylistsOf(dir)) await BroadcastPlaylist.closeOnDisk(dir, name);
  }

  /**
   * Deletes the files of purged events (the recording shows journalists' names in the lower third).
   * A directory of an event this database does not know is left alone: another server may own it.
   */
  async #sweep(): Promise<void> {
    const ids = await readdir(this.#root).catch(() => [] as string[]);
    for (const id of ids) {
      if (this.#broadcasts.has(id) || this.#creating.has(id) || !isEventDirName(id)) continue;
      const event = await this.events.findById(id).catch(() => undefined);
      if (event?.status === 'purged') await this.#deleteRecording(id).catch(this.#logError);
    }
  }

  #dirOf(eventId: string): string {
    return eventDir(this.#root, eventId);
  }

  readonly #logError = (error: unknown) =>
    this.#logger.error(`broadcast: ${error instanceof Error ? error.message : String(error)}`);
}
