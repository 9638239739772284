import type { Logger } from '@nestjs/common';
import { appendFile, readdir, readFile, rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { HLS_PLAYLIST } from './hls-files';
import { HlsPlaylist, runFileName, runIdOf, type HlsSegment } from './hls-playlist';
import { writeFileAtomically } from './overlay-text';
import { publishedPlaylists } from './published-playlists';

/**
 * How long a segment stays on disk after it left the live window, seconds: a player that loaded the
 * playlist just before (or a cache that holds it a second or two) still gets the segments it lists.
 */
export const DELETE_AFTER_SECONDS = 10;

/** Segments made this long before the event went live are kept too (the recording starts at a keyframe). */
const RECORDING_MARGIN_MS = 10_000;

export interface BroadcastPlaylistOptions {
  /** The playlist's file in the broadcast's directory (each rendition has its own). Default `index.m3u8`. */
  name?: string;
  /**
   * While live, the playlist lists the latest this many seconds (HLS_WINDOW_SECONDS); older segments
   * leave it, and their files go unless the recording needs them. Absent: it lists every segment (an
   * EVENT playlist) and deletes nothing.
   */
  windowSeconds?: number;
  /**
   * The recording is made of this playlist's segments: those from the event's start on stay on disk
   * (the top rendition). False: every segment that left the window goes (a lower rendition). Default true.
   */
  keepForRecording?: boolean;
}

/**
 * The list of every segment kept for the recording, beside the windowed playlist (not served): the work
 * directory's `full-<name>`, appended to at each segment, rewritten only when segments leave it.
 */
const fullListOf = (dir: string, name: string) => join(dir, 'work', `full-${name.replace(/\//g, '-')}`);

/**
 * The playlist as the recording needs it (every segment kept): the closed playlist after the end, else the
 * full list beside a live window, else the playlist itself (an older install's, which kept everything).
 */
export async function readRecordingPlaylist(dir: string, name = HLS_PLAYLIST): Promise<string | undefined> {
  const published = await readFile(join(dir, name), 'utf8').catch(() => undefined);
  if (published && HlsPlaylist.parse(published).ended) return published;
  return (await readFile(fullListOf(dir, name), 'utf8').catch(() => undefined)) ?? published;
}

/**
 * The playlist a broadcast publishes (`index.m3u8` in its directory): the runs and segments its pipelines
 * made, rewritten in one step after each change, one write after the other. While live it lists a window
 * of the latest segments (`windowSeconds`), with the full list of the segments kept for the recording
 * beside it; once ended, all the segments kept (a VOD playlist: the recording until the purge). Segments
 * that left the window (and `DELETE_AFTER_SECONDS` more) are deleted unless the recording needs them. It
 * picks up the playlist an earlier process left. It holds no resource: its owner waits for the writes
 * with `flush()`.
 */
export class BroadcastPlaylist {
  /** A run number no run of the playlist or file of the directory has. */
  readonly firstFreeRun: number;
  readonly #dir: string;
  readonly #name: string;
  readonly #windowSeconds: number | undefined;
  readonly #keepForRecording: boolean;
  readonly #playlist: HlsPlaylist;
  readonly #logger: Logger;
  #written: boolean;
  #readyWaiters: Array<() => void> = [];
  #writing: Promise<void> = Promise.resolve();
  /** Segments ending before this (epoch ms) are not the recording's; undefined: none is yet (not live). */
  #recordingFrom?: number;
  /** The full list on disk must be written whole (first write, or segments left it). */
  #rewriteFullList = true;
  /** The sequence number of the next segment the full list on disk lacks. */
  #fullListUpTo = 0;

  private constructor(
    dir: string,
    playlist: HlsPlaylist,
    written: boolean,
    firstFreeRun: number,
    logger: Logger,
    options: BroadcastPlaylistOptions,
  ) {
    this.#dir = dir;
    this.#name = options.name ?? HLS_PLAYLIST;
    this.#windowSeconds = options.windowSeconds;
    this.#keepForRecording = options.keepForRecording ?? true;
    this.#playlist = playlist;
    this.#written = written;
    this.firstFreeRun = firstFreeRun;
    this.#logger = logger;
  }

  /** The playlist on disk, if any; a closed one is opened again unless `keepEnded` (the event ended). */
  static async open(
    dir: string,
    keepEnded: boolean,
    logger: Logger,
    options: BroadcastPlaylistOptions = {},
  ): Promise<BroadcastPlaylist> {
    const name = options.name ?? HLS_PLAYLIST;
    const existing = await readRecordingPlaylist(dir, name);
    const playlist = existing ? HlsPlaylist.parse(existing) : new HlsPlaylist();
    if (playlist.ended && !keepEnded) playlist.reopen();
    const filesRuns = (await readdir(dir)).map(runIdOf).filter((run): run is number => run !== undefined);
    const firstFreeRun = Math.max(0, ...playlist.runIds, ...filesRuns) + 1;
    return new BroadcastPlaylist(dir, playlist, existing !== undefined, firstFreeRun, logger, options);
  }

  /** Closes the playlist an ended event's broadcast did not get to close (the API stopped meanwhile). */
  static async closeOnDisk(dir: string, name = HLS_PLAYLIST): Promise<void> {
    const text = await readRecordingPlaylist(dir, name);
    if (!text) return;
    const playlist = HlsPlaylist.parse(text);
    if (playlist.ended) return;
    playlist.end();
    const closed = playlist.render();
    await writeFileAtomically(join(dir, name), closed);
    publishedPlaylists.publish(join(dir, name), closed);
  }

  get ended(): boolean {
    return this.#playlist.ended;
  }

  get segmentCount(): number {
    return this.#playlist.segmentCount;
  }

  /**
   * The event is live from now on (or was already when the broadcast started: `at` earlier): segments
   * from then on are kept for the recording. The first call counts.
   */
  recordingStartsAt(at: number): void {
    this.#recordingFrom ??= at - RECORDING_MARGIN_MS;
  }

  /** A run goes on air: its segments follow a discontinuity (and use `init`). */
  addRun(run: number, init = runFileName.init(run)): void {
    this.#playlist.addRun(run, init);
  }

  addSegments(segments: HlsSegment[]): void {
    this.#playlist.addSegments(segments);
    void this.#write();
  }

  /** `#EXT-X-ENDLIST`: the playlist is the recording now. Resolves once written. */
  end(): Promise<void> {
    this.#playlist.end();
    return this.#write();
  }

  /** Resolves true once the playlist's file exists, false after `timeoutMs`. */
  ready(timeoutMs: number): Promise<boolean> {
    if (this.#written) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.#readyWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Resolves once every write asked for so far is done. */
  flush(): Promise<void> {
    return this.#writing;
  }

  #write(): Promise<void> {
    this.#writing = this.#writing.then(async () => {
      if (this.#playlist.segmentCount === 0) return;
      const gone = this.#forgetOld();
      try {
        // The full list first: it always has what the playlist lists.
        if (this.#windowSeconds !== undefined && this.#keepForRecording) await this.#writeFullList();
        const text = this.#playlist.render(this.#windowSeconds);
        await writeFileAtomically(join(this.#dir, this.#name), text);
        // `/hls/` serves it from memory from now on.
        publishedPlaylists.publish(join(this.#dir, this.#name), text);
      } catch (error) {
        this.#logger.error(`writing the playlist failed: ${error instanceof Error ? error.message : error}`);
        return;
      }
      await this.#delete(gone);
      if (!this.#written) {
        this.#written = true;
        for (const wake of this.#readyWaiters.splice(0)) wake();
      }
    });
    return this.#writing;
  }

  /** Forgets the segments that left the window a while ago and that the recording does not need. */
  #forgetOld(): string[] {
    if (this.#windowSeconds === undefined || this.#playlist.ended) return [];
    const keepFrom = this.#playlist.windowStart(this.#windowSeconds + DELETE_AFTER_SECONDS);
    const count = this.#playlist.countFromStart(keepFrom, (segment) => !this.#needed(segment));
    if (count === 0) return [];
    this.#rewriteFullList = true;
    return this.#playlist.removeFirst(count);
  }

  #needed(segment: HlsSegment): boolean {
    if (!this.#keepForRecording || this.#recordingFrom === undefined) return false;
    if (!segment.programDateTime) return true;
    return Date.parse(segment.programDateTime) + segment.duration * 1000 >= this.#recordingFrom;
  }

  async #writeFullList(): Promise<void> {
    const path = fullListOf(this.#dir, this.#name);
    const upTo = this.#playlist.mediaSequence + this.#playlist.segmentCount;
    const rewrite = this.#rewriteFullList;
    const text = rewrite ? this.#playlist.render() : this.#playlist.renderTail(this.#fullListUpTo);
    // What is added while this is written goes in the next write.
    this.#rewriteFullList = false;
    this.#fullListUpTo = upTo;
    try {
      if (rewrite) await writeFileAtomically(path, text);
      else await appendFile(path, text);
    } catch (error) {
      this.#rewriteFullList = true;
      throw error;
    }
  }

  async #delete(files: string[]): Promise<void> {
    // Only names the broadcast wrote under its directory.
    const safe = files.filter((file) => !isAbsolute(file) && !file.split('/').includes('..'));
    await Promise.all(safe.map((file) => rm(join(this.#dir, file), { force: true }))).catch((error: unknown) =>
      this.#logger.warn(`deleting old segments failed: ${error instanceof Error ? error.message : error}`),
    );
  }
}
