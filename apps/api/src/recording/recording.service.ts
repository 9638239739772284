import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { RecordingStatus } from '@pressroom/protocol';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RECORDING_KEY_SECONDS, TokensService } from '../auth/tokens.service';
import { broadcastsRoot, eventDir } from '../broadcast/broadcast-dirs';
import { BroadcastService } from '../broadcast/broadcast.service';
import { readRecordingPlaylist } from '../broadcast/broadcast-playlist';
import { recordingPlaylistOf } from '../broadcast/continuous/renditions';
import { parseMediaPlaylist, type HlsRun } from '../broadcast/hls-playlist';
import { AppError, notFound } from '../common/app-error';
import { Environment } from '../config/environment';
import { EventsService } from '../events/events.service';
import type { PressEvent } from '../events/press-event.entity';
import { durationUntil, liveSegments, RECORDING_FILE, RecordingExport } from './recording-export';

/** How long a moderator's console waits before asking again while the MP4 is being made. */
export const RETRY_AFTER_SECONDS = 5;
/**
 * The longest the broadcast takes after the end to close its playlist (its "ended" slate). After that
 * the playlist holds the whole live part even if the API stopped before closing it.
 */
const PLAYLIST_CLOSED_AFTER_MS = 15_000;

/** A recording that can be downloaded. */
export interface RecordingFile {
  path: string;
  fileName: string;
}

/**
 * The recordings of ended events as MP4 files for moderators. After the end (once the broadcast closed
 * its playlist) the live part of the broadcast is made into one MP4 in the background, one event at a
 * time, and kept beside the HLS until the purge deletes both. An MP4 the API did not get to finish is
 * made again at the next request.
 */
@Injectable()
export class RecordingService implements OnModuleInit, OnModuleDestroy {
  readonly #logger = new Logger(RecordingService.name);
  readonly #root: string;
  readonly #ffmpegPath: string;
  /** Exports waiting or running, by event id. */
  readonly #exports = new Map<string, Promise<void>>();
  readonly #running = new Map<string, RecordingExport>();
  /** Why the last export of an event failed. */
  readonly #failures = new Map<string, string>();
  /** One export at a time (a remux: seconds, but many events may end together). */
  #queue: Promise<void> = Promise.resolve();
  #shuttingDown = false;
  readonly #onPlaylistClosed = (eventId: string) => this.prepare(eventId);
  #stopBeforeDeleting?: () => void;

  constructor(
    environment: Environment,
    private readonly events: EventsService,
    private readonly tokens: TokensService,
    private readonly broadcasts: BroadcastService,
  ) {
    this.#root = broadcastsRoot(environment.MEDIA_DIR);
    this.#ffmpegPath = environment.FFMPEG_PATH;
  }

  onModuleInit(): void {
    this.broadcasts.observer.on('playlistclosed', this.#onPlaylistClosed);
    // The purge deletes the event's files through the broadcast: an export stops first.
    this.#stopBeforeDeleting = this.broadcasts.stopBeforeDeleting((eventId) => this.cancel(eventId));
  }

  async onModuleDestroy(): Promise<void> {
    this.#shuttingDown = true;
    this.broadcasts.observer.off('playlistclosed', this.#onPlaylistClosed);
    this.#stopBeforeDeleting?.();
    await Promise.all([...this.#running.values()].map((running) => running.cancel()));
  }

  /** Starts making the MP4 of an ended event unless it is there or on its way (the broadcast finished). */
  prepare(eventId: string): void {
    void this.events
      .findById(eventId)
      .then((event) => this.#stateOf(event, true))
      .catch((error: unknown) => this.#logger.error(`recording: ${error instanceof Error ? error.message : error}`));
  }

  /**
   * What became of the recording, with a download link for `moderatorId`; an ended event's MP4 that is
   * neither there nor on its way is started.
   */
  async status(slug: string, moderatorId: string): Promise<RecordingStatus> {
    const event = await this.#event(slug);
    return this.#statusOf(event, await this.#stateOf(event, false), moderatorId);
  }

  /**
   * The MP4 when it is ready; otherwise why not: 409 before the end or when nothing was recorded, the
   * status (to answer 202) while it is being made. A failed one is tried again.
   */
  async download(slug: string, moderatorId: string): Promise<RecordingFile | RecordingStatus> {
    const event = await this.#event(slug);
    const state = await this.#stateOf(event, true);
    if (state.state === 'not_ended') {
      throw new AppError('invalid_state', 'The recording can be downloaded once the event has ended');
    }
    if (state.state === 'empty') {
      throw new AppError('invalid_state', 'Nothing was recorded: the event was never on air');
    }
    if (state.state !== 'ready') return this.#statusOf(event, state, moderatorId);
    return { path: join(this.#dirOf(event.id), RECORDING_FILE), fileName: `${event.slug}-recording.mp4` };
  }

  /** Stops the export of an event, running or waiting, if any (its files are about to be deleted). */
  async cancel(eventId: string): Promise<void> {
    const waiting = this.#exports.get(eventId);
    this.#exports.delete(eventId);
    this.#failures.delete(eventId);
    await this.#running.get(eventId)?.cancel();
    await waiting;
  }

  async #event(slug: string): Promise<PressEvent> {
    const event = await this.events.findBySlug(slug);
    // Its recording went with the rest at the purge.
    if (event.status === 'purged') throw notFound('Recording');
    return event;
  }

  /** Where the recording stands; an MP4 neither there nor on its way is started (a failed one if `retry`). */
  async #stateOf(event: PressEvent, retry: boolean): Promise<State> {
    if (event.status !== 'ended' || !event.startedAt || !event.endedAt) {
      return { state: event.status === 'ended' ? 'empty' : 'not_ended' };
    }
    const dir = this.#dirOf(event.id);
    // The top video rendition's playlist (index.m3u8 itself in a recording made before the ladder).
    const playlist = (await readRecordingPlaylist(dir, await recordingPlaylistOf(dir))) ?? '';
    const parsed = parseMediaPlaylist(playlist);
    const runs = liveSegments(parsed, event.startedAt, event.endedAt);
    const durationSeconds = durationUntil(runs, event.endedAt.getTime());
    if (runs.length === 0) return { state: 'empty' };
    const file = await stat(join(dir, RECORDING_FILE)).catch(() => undefined);
    if (file) return { state: 'ready', sizeBytes: file.size, durationSeconds };
    if (this.#exports.has(event.id)) return { state: 'preparing', durationSeconds };
    const closed = parsed.ended || Date.now() - event.endedAt.getTime() > PLAYLIST_CLOSED_AFTER_MS;
    if (!closed) return { state: 'preparing', durationSeconds };
    if (this.#failures.has(event.id) && !retry) return { state: 'failed', durationSeconds };
    this.#export(event.id, dir, runs, event.endedAt.getTime());
    return { state: 'preparing', durationSeconds };
  }

  #export(eventId: string, dir: string, runs: HlsRun[], endsAt: number): void {
    if (this.#shuttingDown) return;
    this.#failures.delete(eventId);
    const made: Promise<void> = this.#queue.then(async () => {
      if (this.#shuttingDown || this.#exports.get(eventId) !== made) return; // cancelled while waiting
      const started = Date.now();
      const running = new RecordingExport({
        dir,
        runs,
        ffmpegPath: this.#ffmpegPath,
        endsAt,
      });
      this.#running.set(eventId, running);
      try {
        await running.done;
        this.#logger.log(`recording of event ${eventId} made in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (!this.#shuttingDown && reason !== 'cancelled') {
          this.#failures.set(eventId, reason);
          this.#logger.error(`recording of event ${eventId} failed: ${reason}`);
        }
      } finally {
        this.#running.delete(eventId);
      }
    });
    this.#exports.set(eventId, made);
    this.#queue = made.finally(() => {
      if (this.#exports.get(eventId) === made) this.#exports.delete(eventId);
    });
  }

  async #statusOf(event: PressEvent, state: State, moderatorId: string): Promise<RecordingStatus> {
    const key = await this.tokens.signRecordingKey(moderatorId, event.id);
    return {
      ...state,
      downloadUrl: `/api/events/${encodeURIComponent(event.slug)}/recording.mp4?key=${encodeURIComponent(key.token)}`,
      downloadUrlExpiresInSeconds: RECORDING_KEY_SECONDS,
      ...(state.state === 'preparing' ? { retryAfterSeconds: RETRY_AFTER_SECONDS } : {}),
    };
  }

  #dirOf(eventId: string): string {
    return eventDir(this.#root, eventId);
  }
}

type State = Omit<RecordingStatus, 'downloadUrl' | 'downloadUrlExpiresInSeconds' | 'retryAfterSeconds'>;
