import type { Logger } from '@nestjs/common';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HLS_PLAYLIST } from './hls-files';
import { HlsPlaylist, runFileName, runIdOf, type HlsSegment } from './hls-playlist';
import { writeFileAtomically } from './overlay-text';

/**
 * The playlist a broadcast publishes (`index.m3u8` in its directory): the runs and segments its pipelines
 * made, rewritten in one step after each change, one write after the other. It picks up the playlist an
 * earlier process left. It holds no resource: its owner waits for the writes with `flush()`.
 */
export class BroadcastPlaylist {
  /** A run number no run of the playlist or file of the directory has. */
  readonly firstFreeRun: number;
  readonly #dir: string;
  /** The playlist's file in the directory: `index.m3u8`, or a rendition's (`v720.m3u8`). */
  readonly #name: string;
  readonly #playlist: HlsPlaylist;
  readonly #logger: Logger;
  #written: boolean;
  #readyWaiters: Array<() => void> = [];
  #writing: Promise<void> = Promise.resolve();

  private constructor(
    dir: string,
    name: string,
    playlist: HlsPlaylist,
    written: boolean,
    firstFreeRun: number,
    logger: Logger,
  ) {
    this.#dir = dir;
    this.#name = name;
    this.#playlist = playlist;
    this.#written = written;
    this.firstFreeRun = firstFreeRun;
    this.#logger = logger;
  }

  /** The playlist on disk, if any; a closed one is opened again unless `keepEnded` (the event ended). */
  static async open(dir: string, keepEnded: boolean, logger: Logger, name = HLS_PLAYLIST): Promise<BroadcastPlaylist> {
    const existing = await readFile(join(dir, name), 'utf8').catch(() => undefined);
    const playlist = existing ? HlsPlaylist.parse(existing) : new HlsPlaylist();
    if (playlist.ended && !keepEnded) playlist.reopen();
    const filesRuns = (await readdir(dir)).map(runIdOf).filter((run): run is number => run !== undefined);
    const firstFreeRun = Math.max(0, ...playlist.runIds, ...filesRuns) + 1;
    return new BroadcastPlaylist(dir, name, playlist, existing !== undefined, firstFreeRun, logger);
  }

  /** Closes the playlist an ended event's broadcast did not get to close (the API stopped meanwhile). */
  static async closeOnDisk(dir: string, name = HLS_PLAYLIST): Promise<void> {
    const path = join(dir, name);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (!text) return;
    const playlist = HlsPlaylist.parse(text);
    if (playlist.ended) return;
    playlist.end();
    await writeFileAtomically(path, playlist.render());
  }

  get ended(): boolean {
    return this.#playlist.ended;
  }

  get segmentCount(): number {
    return this.#playlist.segmentCount;
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
      try {
        await writeFileAtomically(join(this.#dir, this.#name), this.#playlist.render());
      } catch (error) {
        this.#logger.error(`writing the playlist failed: ${error instanceof Error ? error.message : error}`);
        return;
      }
      if (!this.#written) {
        this.#written = true;
        for (const wake of this.#readyWaiters.splice(0)) wake();
      }
    });
    return this.#writing;
  }
}
