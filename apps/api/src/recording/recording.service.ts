import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  isLanguageTag,
  type CaptionCueView,
  type RecordingCaptionFile,
  type RecordingStatus,
} from '@pressroom/protocol';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RECORDING_KEY_SECONDS, TokensService } from '../auth/tokens.service';
import { broadcastsRoot, eventDir } from '../broadcast/broadcast-dirs';
import { BroadcastService } from '../broadcast/broadcast.service';
import { readRecordingPlaylist } from '../broadcast/broadcast-playlist';
import { recordingPlaylistOf } from '../broadcast/continuous/renditions';
import { parseMediaPlaylist, type HlsRun } from '../broadcast/hls-playlist';
import { CaptionsService } from '../captions/captions.service';
import { AppError, notFound } from '../common/app-error';
import { Environment } from '../config/environment';
import { EventsService } from '../events/events.service';
import type { PressEvent } from '../events/press-event.entity';
import { recordingInterpretations } from './recording-audio';
import {
  CAPTION_FILE_PATTERN,
  captionFileOf,
  mp4LanguageOf,
  recordingTimeline,
  recordingWebVtt,
} from './recording-captions';
import {
  durationUntil,
  liveSegments,
  RECORDING_FILE,
  RecordingExport,
  type RecordingCaptions,
} from './recording-export';

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
    private readonly captions: CaptionsService,
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
    // One being set up now checks again before it starts FFmpeg: none writes on after the API stopped.
    await this.#queue.catch(() => undefined);
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

  /**
   * A caption language's WebVTT file of a ready recording (404 for a language without one); otherwise as
   * `download`: 409 before the end or when nothing was recorded, the status while the MP4 is being made.
   */
  async captionsFile(slug: string, language: string, moderatorId: string): Promise<RecordingFile | RecordingStatus> {
    const recording = await this.download(slug, moderatorId);
    if (!('path' in recording)) return recording;
    const event = await this.#event(slug);
    const file = captionFileOf(language);
    if (!isLanguageTag(language) || !(await stat(join(this.#dirOf(event.id), file)).catch(() => undefined))) {
      throw notFound('Caption file');
    }
    return { path: join(this.#dirOf(event.id), file), fileName: `${event.slug}-recording.${language}.vtt` };
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
    this.#export(event, dir, runs, event.endedAt.getTime());
    return { state: 'preparing', durationSeconds };
  }

  #export(event: PressEvent, dir: string, runs: HlsRun[], endsAt: number): void {
    if (this.#shuttingDown) return;
    const eventId = event.id;
    this.#failures.delete(eventId);
    const made: Promise<void> = this.#queue.then(async () => {
      if (this.#shuttingDown || this.#exports.get(eventId) !== made) return; // cancelled while waiting
      const started = Date.now();
      let running: RecordingExport;
      try {
        const cues = await this.captions.between(eventId, event.startedAt!, event.endedAt!);
        const interpretations = await recordingInterpretations(dir);
        if (this.#shuttingDown || this.#exports.get(eventId) !== made) return;
        running = new RecordingExport({
          dir,
          runs,
          ffmpegPath: this.#ffmpegPath,
          endsAt,
          captions: captionsOf(cues, runs, endsAt),
          interpretations,
        });
      } catch (error) {
        this.#failures.set(eventId, error instanceof Error ? error.message : String(error));
        return;
      }
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
    const key = encodeURIComponent((await this.tokens.signRecordingKey(moderatorId, event.id)).token);
    const base = `/api/events/${encodeURIComponent(event.slug)}`;
    const captions =
      state.state === 'ready'
        ? (await this.#captionLanguages(event.id)).map((language): RecordingCaptionFile => ({
            language,
            mp4Language: mp4LanguageOf(language),
            url: `${base}/recording/captions/${language}.vtt?key=${key}`,
          }))
        : [];
    return {
      ...state,
      downloadUrl: `${base}/recording.mp4?key=${key}`,
      downloadUrlExpiresInSeconds: RECORDING_KEY_SECONDS,
      ...(state.state === 'preparing' ? { retryAfterSeconds: RETRY_AFTER_SECONDS } : {}),
      ...(captions.length > 0 ? { captions } : {}),
    };
  }

  /** The languages of a ready recording's caption files, in the order of its subtitle streams (by name). */
  async #captionLanguages(eventId: string): Promise<string[]> {
    const files = await readdir(this.#dirOf(eventId)).catch(() => [] as string[]);
    return files
      .map((file) => CAPTION_FILE_PATTERN.exec(file)?.[1])
      .filter((language): language is string => language !== undefined)
      .sort();
  }

  #dirOf(eventId: string): string {
    return eventDir(this.#root, eventId);
  }
}

type State = Omit<RecordingStatus, 'downloadUrl' | 'downloadUrlExpiresInSeconds' | 'retryAfterSeconds' | 'captions'>;

/** One WebVTT file per language the captioners sent lines in while live, by language (the streams' order). */
function captionsOf(cues: readonly CaptionCueView[], runs: readonly HlsRun[], endsAt: number): RecordingCaptions[] {
  const at = recordingTimeline(runs, endsAt);
  const durationSeconds = durationUntil(runs, endsAt);
  const languages = [...new Set(cues.map((cue) => cue.language))].sort();
  return languages
    .map((language) => ({
      file: captionFileOf(language),
      mp4Language: mp4LanguageOf(language),
      webVtt: recordingWebVtt(
        cues.filter((cue) => cue.language === language),
        at,
        durationSeconds,
      ),
    }))
    .filter((captions) => captions.webVtt.includes('-->'));
}
