import {
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CAPTION_MAX_DISPLAY_MS, parseLadder, type CaptionCueView } from '@pressroom/protocol';
import { notFound } from '../common/app-error';
import { InvitesService } from '../access/invites.service';
import { CaptionsService } from '../captions/captions.service';
import { Environment } from '../config/environment';
import { EventsService } from '../events/events.service';
import { MediaPlacement } from '../media/media-placement';
import type { PressEvent } from '../events/press-event.entity';
import { QuestionsService } from '../questions/questions.service';
import { broadcastsRoot, eventDir, isEventDirName, prepareMediaDir } from './broadcast-dirs';
import type { BroadcastInput } from './broadcast-input';
import { BroadcastPlaylist } from './broadcast-playlist';
import type { BroadcastStatus } from './broadcast-types';
import { ContinuousBroadcast } from './continuous-broadcast';
import {
  endMultivariant,
  interpretationPlaylistsIn,
  mediaPlaylistsOf,
  recordingPlaylistOf,
  subtitlePlaylistsIn,
  type Ladder,
} from './continuous/renditions';
import { HLS_CONTENT_TYPES, HLS_PLAYLIST, hlsCacheControl, hlsFileKind, type HlsFileKind } from './hls-files';
import { hotSegments, publishedPlaylists } from './published-playlists';
import { killOrphanedFfmpeg } from './orphans';
import type { OnAirQuestion } from './overlay-text';
import { PortAllocator } from './port-allocator';
import { slateFileKind, slateKeyOf } from './slate/slate-loop';
import { Slates } from './slate/slates';

/** A file `/hls/:slug/:file` may send (from disk, or made for the request), and how. */
export type HlsFile = ({ path: string } | { body: string }) & {
  kind: HlsFileKind;
  contentType: string;
  cacheControl: string;
};

/** What the broadcasts tell the rest of the server. */
export interface BroadcastObserverEvents {
  /** An ended event's playlist is closed (`#EXT-X-ENDLIST`): it holds the whole recording. */
  playlistclosed: [eventId: string];
}

type EventRef = Pick<PressEvent, 'id' | 'slug' | 'title' | 'status' | 'language'>;

/** How long a first request for a playlist waits for the slate's first segment. */
const PLAYLIST_WAIT_MS = 6_000;

/**
 * The HLS broadcast of every event: follows the events' status (starting-soon slate, the speakers,
 * ended slate, then the recording), puts the question on air in the lower third, and tells the HLS
 * controller which file to send. The studio hands over its router and tracks with `attachInput`.
 *
 * A scheduled event's "starting soon" slate is a loop rendered once (slate/slates.ts): visitors start
 * no process. A live event's broadcast runs from its start (and again after a restart of the API) to
 * its end, whether or not anyone watches: it is also the recording.
 */
@Injectable()
export class BroadcastService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  /** Listeners must not throw: they run inside the change that emits. */
  readonly observer = new EventEmitter<BroadcastObserverEvents>();
  readonly #logger = new Logger(BroadcastService.name);
  /** Work on an event's files beside the broadcast (the recording's export), stopped before they are deleted. */
  readonly #stopBeforeDeleting = new Set<(eventId: string) => Promise<void>>();
  readonly #broadcasts = new Map<string, ContinuousBroadcast>();
  readonly #creating = new Map<string, Promise<ContinuousBroadcast>>();
  readonly #inputs = new Map<string, BroadcastInput>();
  readonly #bySlug = new Map<string, ContinuousBroadcast>();
  /** Ended events whose playlist this process made sure is closed. */
  readonly #closedOnDisk = new Map<string, Promise<void>>();
  /** The last on-air change per event, so a broadcast being created meanwhile does not miss it. */
  readonly #onAir = new Map<string, OnAirQuestion | null>();
  /** Caption languages per event (its captioners'), so a broadcast created later has them from the start. */
  readonly #captionLanguages = new Map<string, Set<string>>();
  readonly #ports: PortAllocator;
  readonly #slates: Slates;
  readonly #mediaDir: string;
  readonly #root: string;
  readonly #ffmpegPath: string;
  readonly #segmentSeconds: number;
  readonly #windowSeconds: number;
  readonly #ladder: Ladder;
  readonly #sweepIntervalMs: number;
  /**
   * Work started by a change (a status, a lost event, the sweep) that nobody awaits: the API stopping waits
   * for it, so no purge's deletion or playlist write runs on after the process said it had stopped.
   */
  readonly #background = new Set<Promise<void>>();
  readonly #onStatusChange = (event: PressEvent) => this.#inBackground(this.#statusChanged(event));
  /**
   * A scheduled event's loop follows by itself (its key holds the title); a running broadcast is told, one
   * being created once it is (it reads the title afresh as it starts: a rename just before is not missed).
   */
  readonly #onDetailsChange = (event: PressEvent) => this.#inBackground(this.#renamed(event));
  readonly #onAirChange = (eventId: string, question: OnAirQuestion | null) => {
    this.#onAir.set(eventId, question);
    this.#broadcasts.get(eventId)?.setLowerThird(question);
  };
  readonly #onCue = (eventId: string, cue: CaptionCueView) => this.addCaption(eventId, cue);
  /** Another node holds the event now (cluster/): its encoder here stops; what it wrote stays on this disk. */
  readonly #onLost = (eventId: string) => this.#inBackground(this.#stopHere(eventId));
  readonly #onInvitesChanged = (eventId: string) => {
    if (this.#broadcasts.has(eventId)) this.#inBackground(this.#captionersChanged(eventId));
  };
  #sweepTimer?: NodeJS.Timeout;
  #shuttingDown = false;

  constructor(
    environment: Environment,
    private readonly events: EventsService,
    private readonly questions: QuestionsService,
    private readonly captions: CaptionsService,
    private readonly invites: InvitesService,
    /** Several API nodes: only the node that holds an event runs its broadcast (cluster/). */
    @Optional() private readonly placement?: MediaPlacement,
  ) {
    this.#ports = new PortAllocator(environment.BROADCAST_MIN_PORT, environment.BROADCAST_MAX_PORT);
    this.#mediaDir = environment.MEDIA_DIR;
    this.#root = broadcastsRoot(environment.MEDIA_DIR);
    this.#ffmpegPath = environment.FFMPEG_PATH;
    this.#segmentSeconds = environment.HLS_SEGMENT_SECONDS;
    this.#windowSeconds = environment.HLS_WINDOW_SECONDS;
    this.#ladder = parseLadder(environment.HLS_LADDER)!;
    this.#sweepIntervalMs = environment.PURGE_INTERVAL_SECONDS * 1000;
    this.#slates = new Slates({
      dirOf: (eventId) => this.#dirOf(eventId),
      ffmpegPath: this.#ffmpegPath,
      segmentSeconds: this.#segmentSeconds,
      logger: this.#logger,
    });
  }

  onModuleInit(): void {
    this.events.observer.on('statuschange', this.#onStatusChange);
    this.events.observer.on('detailschange', this.#onDetailsChange);
    this.questions.observer.on('onair', this.#onAirChange);
    this.captions.observer.on('cue', this.#onCue);
    this.invites.observer.on('changed', this.#onInvitesChanged);
    this.placement?.observer.on('lost', this.#onLost);
  }

  async onApplicationBootstrap(): Promise<void> {
    await prepareMediaDir(this.#mediaDir);
    const killed = await killOrphanedFfmpeg(this.#root, this.#ffmpegPath);
    if (killed.length > 0) this.#logger.warn(`killed ${killed.length} FFmpeg process(es) left by an earlier run`);
    for (const event of await this.events.list()) {
      if (event.status !== 'live') continue;
      this.#inBackground(
        this.#isHere(event.id).then(async (here) => {
          if (here) await this.#ensure({ ...event, status: 'live' });
        }),
      );
    }
    this.#inBackground(this.#sweep());
    this.#sweepTimer = setInterval(() => this.#inBackground(this.#sweep()), this.#sweepIntervalMs);
  }

  /** Stops every FFmpeg before the studio and the mediasoup workers go (their RTP still flows). */
  async onModuleDestroy(): Promise<void> {
    this.#shuttingDown = true;
    this.events.observer.off('statuschange', this.#onStatusChange);
    this.events.observer.off('detailschange', this.#onDetailsChange);
    this.questions.observer.off('onair', this.#onAirChange);
    this.captions.observer.off('cue', this.#onCue);
    this.invites.observer.off('changed', this.#onInvitesChanged);
    this.placement?.observer.off('lost', this.#onLost);
    clearInterval(this.#sweepTimer);
    await Promise.allSettled(this.#background);
    await Promise.allSettled(this.#creating.values());
    await Promise.all([...this.#broadcasts.values()].map((broadcast) => broadcast.close()));
    this.#broadcasts.clear();
    await this.#slates.settled();
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

  /** These languages get a captions rendition in the event's broadcast (its captioners' languages). */
  addCaptionLanguages(eventId: string, languages: readonly string[]): void {
    let known = this.#captionLanguages.get(eventId);
    if (!known) this.#captionLanguages.set(eventId, (known = new Set()));
    for (const language of languages) known.add(language);
    this.#broadcasts.get(eventId)?.addCaptionLanguages(languages);
  }

  /** A caption line a captioner sent: into the broadcast's rendition of its language, timed by `sentAt`. */
  addCaption(eventId: string, cue: CaptionCueView): void {
    this.addCaptionLanguages(eventId, [cue.language]);
    this.#broadcasts.get(eventId)?.addCaption(cue);
  }

  /** The caption languages the event's multivariant playlist lists now. */
  captionLanguages(eventId: string): string[] {
    return this.#broadcasts.get(eventId)?.captionLanguages ?? [];
  }

  /**
   * Whoever works on an event's files beside the broadcast (the recording) gives how to stop that work:
   * the purge awaits it before deleting the files. Returns the function that takes it back.
   */
  stopBeforeDeleting(stop: (eventId: string) => Promise<void>): () => void {
    this.#stopBeforeDeleting.add(stop);
    return () => this.#stopBeforeDeleting.delete(stop);
  }

  /**
   * The program as it leaves the encoder, for work beside the HLS that must never disturb it (a restream
   * reads it with its own FFmpeg): the local HLS media playlist of the best rendition, absolute, once it
   * exists; undefined when the event has no running broadcast (or none wrote its playlist yet).
   */
  async programSource(eventId: string): Promise<{ playlist: string } | undefined> {
    const broadcast = this.#broadcasts.get(eventId) ?? (await this.#creating.get(eventId)?.catch(() => undefined));
    if (!broadcast || broadcast.closed || !(await broadcast.ready(PLAYLIST_WAIT_MS))) return undefined;
    // The top rendition's media playlist (the recording's): a platform gets the best picture.
    const dir = this.#dirOf(eventId);
    return { playlist: join(dir, await recordingPlaylistOf(dir)) };
  }

  status(eventId: string): BroadcastStatus | undefined {
    return this.#broadcasts.get(eventId)?.status;
  }

  /**
   * Resolves a request under `/hls/:slug/`: unknown names, events and files are not found; a purged
   * event is gone. A scheduled event's playlist is its slate's (rendered once, waited for at first);
   * nothing else it is asked for starts anything.
   */
  async hlsFile(
    slug: string,
    name: string,
    known?: { eventId: string; status: PressEvent['status'] },
  ): Promise<HlsFile> {
    const kind = hlsFileKind(name);
    const slateKey = slateKeyOf(name);
    if (!kind && !slateKey) throw notFound('File');
    let broadcast = this.#broadcastOf(slug);
    let eventId = broadcast?.eventId;
    if (!broadcast && known?.status === 'ended') {
      // An ended event's recording (`known`: the status as the access check just read it): no query.
      eventId = known.eventId;
      if (kind === 'playlist') await this.#closePlaylistOnDiskOnce(eventId);
    } else if (!broadcast) {
      const event = await this.events.findOpen(slug);
      eventId = event.id;
      if (event.status === 'scheduled' && kind === 'playlist') return this.#slatePlaylist(event);
      if (event.status === 'live') {
        // Several API nodes: only the node that holds the event encodes it (the others proxy /hls/ to it).
        if (!(await this.#isHere(event.id))) throw notFound('Stream');
        broadcast = await this.#ensure(event);
      } else if (kind === 'playlist') await this.#closePlaylistOnDiskOnce(event.id);
    }
    if (!kind) {
      const slateKind = slateFileKind(name)!;
      return {
        kind: slateKind,
        path: this.#slates.pathOf(eventId!, slateKey!, name),
        contentType: HLS_CONTENT_TYPES[slateKind],
        cacheControl: hlsCacheControl('segment', false),
      };
    }
    if (broadcast) {
      broadcast.touch();
      if (kind === 'playlist' && !(await broadcast.ready(PLAYLIST_WAIT_MS))) throw notFound('Stream');
    }
    return {
      kind,
      path: join(this.#dirOf(eventId!), name),
      contentType: HLS_CONTENT_TYPES[kind],
      cacheControl: hlsCacheControl(kind, !broadcast),
    };
  }

  async #slatePlaylist(event: EventRef): Promise<HlsFile> {
    const body = await this.#slates.playlist(event, PLAYLIST_WAIT_MS).catch(() => undefined);
    if (body === undefined) throw notFound('Stream');
    return {
      kind: 'playlist',
      body,
      contentType: HLS_CONTENT_TYPES.playlist,
      cacheControl: hlsCacheControl('playlist', false),
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
    this.#closedOnDisk.delete(eventId);
    publishedPlaylists.forget(this.#dirOf(eventId));
    hotSegments.forget(this.#dirOf(eventId));
    await rm(this.#dirOf(eventId), { recursive: true, force: true });
  }

  async #statusChanged(event: PressEvent): Promise<void> {
    if (this.#shuttingDown) return;
    if (event.status !== 'scheduled') await this.#slates.forget(event.id);
    if ((event.status === 'live' || event.status === 'ended') && !(await this.#isHere(event.id))) return;
    if (event.status === 'live') {
      (await this.#ensure(event)).setMode('live');
      await this.#captionersChanged(event.id);
    }
    if (event.status === 'ended') {
      this.#onAir.delete(event.id);
      this.#captionLanguages.delete(event.id);
      const broadcast = this.#broadcasts.get(event.id) ?? (await this.#creating.get(event.id));
      if (broadcast && !broadcast.closed) broadcast.setMode('ended');
      else {
        await this.#closePlaylistOnDisk(event.id);
        this.observer.emit('playlistclosed', event.id);
      }
    }
    if (event.status === 'purged') await this.#deleteRecording(event.id);
  }

  async #renamed(event: PressEvent): Promise<void> {
    const broadcast = this.#broadcasts.get(event.id) ?? (await this.#creating.get(event.id)?.catch(() => undefined));
    broadcast?.rename(event.title, event.language);
  }

  async #stopHere(eventId: string): Promise<void> {
    const broadcast = this.#broadcasts.get(eventId) ?? (await this.#creating.get(eventId)?.catch(() => undefined));
    this.#broadcasts.delete(eventId);
    this.#inputs.delete(eventId);
    await broadcast?.close();
  }

  /** The event's broadcast, created once however many callers ask at the same time. */
  #ensure(event: EventRef): Promise<ContinuousBroadcast> {
    const existing = this.#broadcasts.get(event.id);
    if (existing) return Promise.resolve(existing);
    const creating = this.#creating.get(event.id);
    if (creating) return creating;
    const created = this.#create(event).finally(() => this.#creating.delete(event.id));
    this.#creating.set(event.id, created);
    return created;
  }

  async #create(stale: EventRef): Promise<ContinuousBroadcast> {
    if (this.#shuttingDown) throw new Error('shutting down');
    // The caller's copy may predate a rename (a status relayed from another node, say).
    const fresh = await this.events.findById(stale.id).catch(() => undefined);
    const event = fresh ? { ...stale, title: fresh.title, language: fresh.language } : stale;
    const broadcast = await ContinuousBroadcast.create({
      event,
      dir: this.#dirOf(event.id),
      mode: event.status === 'live' ? 'live' : 'soon',
      ports: this.#ports,
      ffmpegPath: this.#ffmpegPath,
      segmentSeconds: this.#segmentSeconds,
      windowSeconds: this.#windowSeconds,
      ladder: this.#ladder,
      interpretations: event.status === 'live' ? await this.#interpretationsOf(event.id) : [],
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
      this.#inBackground(broadcast.close());
    });
    this.#broadcasts.set(event.id, broadcast);
    // What changed while it was being created.
    broadcast.setInput(this.#inputs.get(event.id));
    if (this.#onAir.has(event.id)) broadcast.setLowerThird(this.#onAir.get(event.id) ?? null);
    const languages = this.#captionLanguages.get(event.id);
    if (languages) broadcast.addCaptionLanguages([...languages]);
    if (event.status === 'live') this.#inBackground(this.#captionsSoFar(event.id, broadcast));
    return broadcast;
  }

  /**
   * The interpreters' languages: an audio rendition each, fixed for the broadcast's composite (an
   * interpreter invited in a new language later is heard from the broadcast's next start).
   */
  async #interpretationsOf(eventId: string): Promise<string[]> {
    const crew = await this.invites.crewOf(eventId).catch(() => []);
    const languages = crew.flatMap((invite) =>
      invite.role === 'interpreter' && invite.language ? [invite.language] : [],
    );
    return [...new Set(languages)].sort();
  }

  /** The captioners' languages get a rendition before their first line (so index.m3u8 lists them early). */
  async #captionersChanged(eventId: string): Promise<void> {
    const crew = await this.invites.crewOf(eventId);
    const languages = crew.flatMap((invite) =>
      invite.role === 'captioner' && invite.language ? [invite.language] : [],
    );
    if (languages.length > 0) this.addCaptionLanguages(eventId, languages);
  }

  /** A broadcast (re)started: its captioners' languages, and the lines still on screen. */
  async #captionsSoFar(eventId: string, broadcast: ContinuousBroadcast): Promise<void> {
    await this.#captionersChanged(eventId);
    const now = Date.now();
    const recent = await this.captions.between(eventId, new Date(now - CAPTION_MAX_DISPLAY_MS), new Date(now));
    for (const cue of recent) broadcast.addCaption(cue);
  }

  async #onAirNow(eventId: string): Promise<OnAirQuestion | null> {
    const questions = await this.questions.visibleTo(eventId, 'viewer');
    return questions.find((question) => question.onAir) ?? null;
  }

  /** An ended event whose broadcast did not get to close its playlists (the API stopped meanwhile). */
  async #closePlaylistOnDisk(eventId: string): Promise<void> {
    const dir = this.#dirOf(eventId);
    for (const name of await mediaPlaylistsOf(dir)) await BroadcastPlaylist.closeOnDisk(dir, name);
    const multivariant = await readFile(join(dir, HLS_PLAYLIST), 'utf8').catch(() => '');
    for (const name of subtitlePlaylistsIn(multivariant)) await BroadcastPlaylist.closeOnDisk(dir, name);
    for (const { playlist } of interpretationPlaylistsIn(multivariant))
      await BroadcastPlaylist.closeOnDisk(dir, playlist);
    await endMultivariant(dir);
  }

  /** The same, once per ended event and process (every viewer of the recording asks for its playlist). */
  #closePlaylistOnDiskOnce(eventId: string): Promise<void> {
    let closing = this.#closedOnDisk.get(eventId);
    if (!closing) {
      if (this.#closedOnDisk.size > 1000) this.#closedOnDisk.clear();
      closing = this.#closePlaylistOnDisk(eventId).catch((error: unknown) => {
        this.#closedOnDisk.delete(eventId);
        throw error;
      });
      this.#closedOnDisk.set(eventId, closing);
    }
    return closing;
  }

  /** The broadcast of an event by its slug, kept by slug as long as it runs. */
  #broadcastOf(slug: string): ContinuousBroadcast | undefined {
    const cached = this.#bySlug.get(slug);
    if (cached && this.#broadcasts.get(cached.eventId) === cached) return cached;
    const found = [...this.#broadcasts.values()].find((b) => b.slug === slug);
    if (found) this.#bySlug.set(slug, found);
    else this.#bySlug.delete(slug);
    return found;
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

  #inBackground(work: Promise<void>): void {
    const tracked = work.catch(this.#logError).finally(() => this.#background.delete(tracked));
    this.#background.add(tracked);
  }

  #isHere(eventId: string): Promise<boolean> {
    return this.placement ? this.placement.isHere(eventId) : Promise.resolve(true);
  }

  #dirOf(eventId: string): string {
    return eventDir(this.#root, eventId);
  }

  readonly #logError = (error: unknown) =>
    this.#logger.error(`broadcast: ${error instanceof Error ? error.message : String(error)}`);
}
