import type { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MEDIA_DIR_MODE } from '../broadcast-dirs';
import { hotSegments } from '../published-playlists';
import { oneLine, slateStatus } from '../overlay-text';
import { slateTitleTexts } from '../slate-title';
import { slateSegmentsPerLoop, slatePlaylist, type SlateLoop } from './slate-loop';
import { renderSlate, SLATE_TEXT_FILES } from './slate-render';

/** At most this many slates are rendered at the same time, over all events (one FFmpeg each, ~1 s). */
export const SLATE_RENDERS_AT_ONCE = 2;
/** An event's slates, under its broadcast directory: one folder per loop, named by its key. */
export const SLATE_DIR = 'slate';
/** A render that failed is not tried again for this long (each request would start one). */
const RETRY_AFTER_FAILURE_MS = 5_000;
/** Bump when the loop's look or format changes: every slate is rendered again. */
const SLATE_VERSION = 2;

export interface SlateEvent {
  id: string;
  title: string;
  /** The slate's language (null: English). */
  language: string | null;
}

export interface SlatesOptions {
  /** The event's broadcast directory. */
  dirOf(eventId: string): string;
  ffmpegPath: string;
  segmentSeconds: number;
  logger: Logger;
}

/**
 * The "starting soon" slates of scheduled events: each rendered ONCE into a short loop (again when the
 * title changes), by at most `SLATE_RENDERS_AT_ONCE` FFmpeg at a time over all events, and served as a
 * live playlist computed from the clock. A visitor costs a playlist string and file reads: no process,
 * no file written. On disk: one loop per scheduled event (~100 KB), deleted when the event starts.
 */
export class Slates {
  readonly #options: SlatesOptions;
  /** Each event's loop, once rendered. */
  readonly #ready = new Map<string, SlateLoop>();
  /** Renders asked for or running, by event and key: asked again, the same promise. */
  readonly #rendering = new Map<string, Promise<SlateLoop>>();
  readonly #failedAt = new Map<string, number>();
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(options: SlatesOptions) {
    this.#options = options;
  }

  /** Every render asked for has ended (the API stopping: no FFmpeg of ours writes on after it). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#rendering.values()]);
  }

  /** How many slate renders run now (never more than `SLATE_RENDERS_AT_ONCE`). */
  get rendering(): number {
    return this.#running;
  }

  /** The event's slate playlist now, once its loop is rendered (waiting for it at most `timeoutMs`). */
  async playlist(event: SlateEvent, timeoutMs: number): Promise<string | undefined> {
    const loop = await withTimeout(this.#loop(event), timeoutMs);
    return loop && slatePlaylist(loop, Date.now());
  }

  /** Where one of the event's slate files would be: a name of a loop `key`. */
  pathOf(eventId: string, key: string, name: string): string {
    return join(this.#options.dirOf(eventId), SLATE_DIR, key, name);
  }

  /** The event is no longer scheduled: its slates go. */
  async forget(eventId: string): Promise<void> {
    this.#ready.delete(eventId);
    const root = join(this.#options.dirOf(eventId), SLATE_DIR);
    await rm(root, { recursive: true, force: true });
    hotSegments.forget(root);
  }

  #loop(event: SlateEvent): Promise<SlateLoop> {
    const { segmentSeconds } = this.#options;
    // Wrapped into lines only when rendered (slate-title.ts): this runs on every playlist request.
    const title = oneLine(event.title);
    const status = slateStatus('soon', event.language);
    const key = createHash('sha256')
      .update(JSON.stringify([SLATE_VERSION, title, status, segmentSeconds]))
      .digest('hex')
      .slice(0, 16);
    const ready = this.#ready.get(event.id);
    if (ready?.key === key) return Promise.resolve(ready);
    const id = `${event.id}/${key}`;
    let rendering = this.#rendering.get(id);
    if (!rendering) {
      const loop = { key, segmentSeconds, segments: slateSegmentsPerLoop(segmentSeconds) };
      rendering = this.#render(event.id, loop, { title, status }).finally(() => this.#rendering.delete(id));
      this.#rendering.set(id, rendering);
    }
    return rendering;
  }

  async #render(eventId: string, loop: SlateLoop, text: { title: string; status: string }): Promise<SlateLoop> {
    const id = `${eventId}/${loop.key}`;
    const root = join(this.#options.dirOf(eventId), SLATE_DIR);
    const done = join(root, loop.key);
    if (!(await exists(done))) {
      if (Date.now() - (this.#failedAt.get(id) ?? 0) < RETRY_AFTER_FAILURE_MS) throw new Error('slate render failed');
      const release = await this.#turn();
      const work = join(root, `.rendering-${loop.key}`);
      try {
        await rm(work, { recursive: true, force: true });
        await mkdir(work, { recursive: true, mode: MEDIA_DIR_MODE });
        for (const [line, words] of slateTitleTexts(text.title).entries())
          await writeFile(join(work, SLATE_TEXT_FILES.title(line)), words);
        await writeFile(join(work, SLATE_TEXT_FILES.status), text.status);
        await renderSlate(this.#options.ffmpegPath, loop, work);
        await rename(work, done);
        this.#failedAt.delete(id);
      } catch (error) {
        this.#failedAt.set(id, Date.now());
        await rm(work, { recursive: true, force: true }).catch(() => undefined);
        this.#options.logger.warn(`slate of ${eventId}: ${error instanceof Error ? error.message : error}`);
        throw error;
      } finally {
        release();
      }
    }
    this.#ready.set(eventId, loop);
    // The loops of earlier titles go (a viewer still on one gets the new playlist within a second).
    const names = await readdir(root).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((name) => name !== loop.key && !name.startsWith('.'))
        .map(async (name) => {
          await rm(join(root, name), { recursive: true, force: true });
          // Served from memory once read: gone from there too.
          hotSegments.forget(join(root, name));
        }),
    );
    return loop;
  }

  /** Waits for one of the `SLATE_RENDERS_AT_ONCE` places; returns what gives it back. */
  async #turn(): Promise<() => void> {
    if (this.#running >= SLATE_RENDERS_AT_ONCE) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    };
  }
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
