import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Below this a playlist gains too little from compression to be worth it (web/compression.ts's threshold). */
const COMPRESS_FROM_BYTES = 256;
/**
 * How long a playlist this process wrote is served from memory without looking at the disk: a live
 * broadcast writes it every segment, so this only matters once it stopped (an idle slate, the end).
 */
const WRITTEN_FRESH_MS = 10_000;
/** How long a playlist read from disk (another process wrote it, or this one before a restart) is reused. */
const READ_FRESH_MS = 1_000;
const MAX_ENTRIES = 2_000;
/** A blocking reload of a playlist another process writes looks at it again this often. */
const RECHECK_MS = 250;

export type PlaylistEncoding = 'br' | 'gzip' | 'identity';

/** One version of a playlist, with its compressed forms made once, when first asked for. */
export class PublishedPlaylist {
  readonly etag: string;
  readonly lastModified: string;
  readonly #bodies: Partial<Record<PlaylistEncoding, Buffer>> = {};
  #sequence?: { last: number; ended: boolean; targetSeconds: number };

  constructor(
    readonly text: Buffer,
    modifiedAt: Date,
    readonly freshUntil: number,
  ) {
    this.#bodies.identity = text;
    this.etag = `W/"${createHash('sha1').update(text).digest('base64url').slice(0, 22)}"`;
    this.lastModified = modifiedAt.toUTCString();
  }

  /**
   * A media playlist's last media sequence number (-1: none listed), whether it ended, and its target
   * duration: what a blocking reload (`_HLS_msn`) waits for. Read once per version.
   */
  get sequence(): { last: number; ended: boolean; targetSeconds: number } {
    if (this.#sequence) return this.#sequence;
    const text = this.text.toString('utf8');
    const first = Number(/^#EXT-X-MEDIA-SEQUENCE:(\d+)/m.exec(text)?.[1] ?? 0);
    const segments = text.split('\n').filter((line) => line && !line.startsWith('#')).length;
    return (this.#sequence = {
      last: first + segments - 1,
      ended: /^#EXT-X-ENDLIST/m.test(text),
      targetSeconds: Number(/^#EXT-X-TARGETDURATION:(\d+)/m.exec(text)?.[1] ?? 1),
    });
  }

  /** The body for the best encoding the client accepts: `Accept-Encoding` as sent. */
  body(acceptEncoding: string | undefined): { encoding: PlaylistEncoding; body: Buffer } {
    const encoding = this.text.length < COMPRESS_FROM_BYTES ? 'identity' : pickEncoding(acceptEncoding);
    return { encoding, body: (this.#bodies[encoding] ??= compress(this.text, encoding)) };
  }
}

/**
 * The playlists `/hls/` serves, in memory: `BroadcastPlaylist` hands over each version it writes, so a
 * request costs no disk access; a playlist this process did not write (or not lately) is read from disk,
 * once for every request of the next second. Keyed by the file's absolute path.
 */
export class PublishedPlaylists {
  readonly #entries = new Map<string, PublishedPlaylist>();
  readonly #reading = new Map<string, Promise<PublishedPlaylist | undefined>>();
  /** Blocking reloads waiting for a new version of a path. */
  readonly #waiting = new Map<string, Set<() => void>>();

  /** The playlist as just written at `path`. */
  publish(path: string, text: string): void {
    if (this.#entries.size >= MAX_ENTRIES && !this.#entries.has(path)) this.#entries.clear();
    this.#entries.set(path, new PublishedPlaylist(Buffer.from(text), new Date(), Date.now() + WRITTEN_FRESH_MS));
    const waiting = this.#waiting.get(path);
    this.#waiting.delete(path);
    for (const wake of waiting ?? []) wake();
  }

  /**
   * A blocking playlist reload (`?_HLS_msn=`): the playlist at `path` once it lists media sequence number
   * `msn` (or has ended), or as it is after `timeoutMs`. Woken by this process's writes; a playlist
   * another process writes is looked at again every `RECHECK_MS` (read from disk at most once a second).
   */
  async when(path: string, msn: number, timeoutMs: number): Promise<PublishedPlaylist | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const entry = await this.get(path);
      const left = deadline - Date.now();
      if (!entry || entry.sequence.ended || entry.sequence.last >= msn || left <= 0) return entry;
      await new Promise<void>((resolve) => {
        let waiting = this.#waiting.get(path);
        if (!waiting) this.#waiting.set(path, (waiting = new Set()));
        const wake = () => {
          clearTimeout(timer);
          this.#waiting.get(path)?.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(left, RECHECK_MS));
        waiting.add(wake);
      });
    }
  }

  /**
   * A playlist made for the requests rather than written (a scheduled event's slate, from the clock): the
   * entry under `key` while the text is the same, so each version is compressed once too.
   */
  made(key: string, text: string): PublishedPlaylist {
    const entry = this.#entries.get(key);
    if (entry?.text.equals(Buffer.from(text))) return entry;
    this.publish(key, text);
    return this.#entries.get(key)!;
  }

  /** The playlist at `path`, from memory when fresh; undefined when there is none. */
  get(path: string): PublishedPlaylist | Promise<PublishedPlaylist | undefined> {
    const entry = this.#entries.get(path);
    if (entry && entry.freshUntil > Date.now()) return entry;
    let reading = this.#reading.get(path);
    if (!reading) {
      reading = this.#read(path).finally(() => this.#reading.delete(path));
      this.#reading.set(path, reading);
    }
    return reading;
  }

  /** Forgets every playlist under `dir` (its files are being deleted). */
  forget(dir: string): void {
    for (const path of this.#entries.keys()) if (path.startsWith(`${dir}/`)) this.#entries.delete(path);
  }

  async #read(path: string): Promise<PublishedPlaylist | undefined> {
    try {
      const [text, stats] = await Promise.all([readFile(path), stat(path)]);
      const entry = new PublishedPlaylist(text, stats.mtime, Date.now() + READ_FRESH_MS);
      if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
      this.#entries.set(path, entry);
      return entry;
    } catch {
      this.#entries.delete(path);
      return undefined;
    }
  }
}

/** Every process serves the playlists it writes: one store for the process (tests run several apps in one). */
export const publishedPlaylists = new PublishedPlaylists();

/** The memory recent segments may take. */
const HOT_SEGMENT_BYTES = 64 * 1024 * 1024;
/** A file larger than this is not kept (segments are well under it: 2 s at 2.5 Mbps is about 640 KB). */
const HOT_SEGMENT_MAX_FILE_BYTES = 8 * 1024 * 1024;

/** A segment or init segment as read once from disk. */
export interface HotFile {
  body: Buffer;
  etag: string;
  lastModified: string;
}

/**
 * The segments viewers ask for now, in memory: every viewer of an event fetches the same few latest
 * segments, which never change once written (each run has its own names), so each is read from disk once
 * and then served from memory until newer ones push it out (least recently used first, `HOT_SEGMENT_BYTES`
 * in all). Reading a file per request cost ten times nginx's CPU (npm run bench:origin).
 */
export class HotSegments {
  readonly #entries = new Map<string, HotFile>();
  readonly #reading = new Map<string, Promise<HotFile | undefined>>();
  #bytes = 0;

  constructor(private readonly budget = HOT_SEGMENT_BYTES) {}

  /** The file at `path`; undefined when there is none. */
  get(path: string): HotFile | Promise<HotFile | undefined> {
    const entry = this.#entries.get(path);
    if (entry) {
      // Most recently used last.
      this.#entries.delete(path);
      this.#entries.set(path, entry);
      return entry;
    }
    let reading = this.#reading.get(path);
    if (!reading) {
      reading = this.#read(path).finally(() => this.#reading.delete(path));
      this.#reading.set(path, reading);
    }
    return reading;
  }

  /** Forgets every file under `dir` (its files are being deleted). */
  forget(dir: string): void {
    for (const path of [...this.#entries.keys()]) if (path.startsWith(`${dir}/`)) this.#remove(path);
  }

  get bytes(): number {
    return this.#bytes;
  }

  async #read(path: string): Promise<HotFile | undefined> {
    try {
      const [body, stats] = await Promise.all([readFile(path), stat(path)]);
      const file = {
        body,
        etag: `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`,
        lastModified: stats.mtime.toUTCString(),
      };
      if (body.length <= HOT_SEGMENT_MAX_FILE_BYTES) {
        this.#entries.set(path, file);
        this.#bytes += body.length;
        for (const oldest of this.#entries.keys()) {
          if (this.#bytes <= this.budget) break;
          this.#remove(oldest);
        }
      }
      return file;
    } catch {
      return undefined;
    }
  }

  #remove(path: string): void {
    const entry = this.#entries.get(path);
    if (!entry) return;
    this.#entries.delete(path);
    this.#bytes -= entry.body.length;
  }
}

export const hotSegments = new HotSegments();

/** Brotli if accepted, else gzip, else none (q=0 refuses an encoding). */
export function pickEncoding(acceptEncoding: string | undefined): PlaylistEncoding {
  if (!acceptEncoding) return 'identity';
  let gzip = false;
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (params.some((param) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(param))) continue;
    if (name === 'br') return 'br';
    if (name === 'gzip' || name === '*') gzip = true;
  }
  return gzip ? 'gzip' : 'identity';
}

function compress(text: Buffer, encoding: PlaylistEncoding): Buffer {
  if (encoding === 'br') {
    return brotliCompressSync(text, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: text.length },
    });
  }
  return encoding === 'gzip' ? gzipSync(text, { level: 6 }) : text;
}
