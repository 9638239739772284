/** One media segment as a playlist lists it. */
export interface HlsSegment {
  uri: string;
  duration: number;
  /** ISO 8601 with `Z` (FFmpeg writes `+0000`, which not every parser takes). */
  programDateTime?: string;
}

/** The segments of one FFmpeg run: they share an init segment; runs are separated by discontinuities. */
export interface HlsRun {
  id: number;
  /** Empty: segments that need none (WebVTT), no `#EXT-X-MAP`. */
  init: string;
  segments: HlsSegment[];
}

export interface ParsedPlaylist {
  runs: HlsRun[];
  ended: boolean;
  /** `#EXT-X-MEDIA-SEQUENCE`: how many segments slid out before the first one listed (absent: 0). */
  mediaSequence?: number;
  /** `#EXT-X-DISCONTINUITY-SEQUENCE`: how many discontinuities slid out with them (absent: 0). */
  discontinuitySequence?: number;
}

/**
 * The spec's floor for a live playlist that drops segments: it lists at least three target durations
 * (RFC 8216 6.2.2), whatever the window asks.
 */
const MIN_TARGET_DURATIONS = 3;

/** `r12-init.mp4`, `r12-00003.m4s`: every file of run 12. */
export const runFileName = {
  playlist: (run: number) => `r${run}.m3u8`,
  init: (run: number) => `r${run}-init.mp4`,
  segmentPattern: (run: number) => `r${run}-%05d.m4s`,
};
const RUN_OF_FILE = /^r(\d+)-/;

export function runIdOf(fileName: string): number | undefined {
  const match = RUN_OF_FILE.exec(fileName);
  return match ? Number(match[1]) : undefined;
}

/**
 * The public playlist of a broadcast (`index.m3u8`): every run of FFmpeg one after the other, each
 * with its own init segment after a discontinuity, so a rebuilt or restarted pipeline continues the
 * same stream. It holds the segments kept (the recording's); `render(windowSeconds)` lists only the
 * latest of them while live (the window), with the media and discontinuity sequence numbers of what
 * slid out; `removeFirst` forgets the oldest. `end()` closes it into the recording (a VOD playlist).
 */
export class HlsPlaylist {
  readonly #runs: HlsRun[];
  #ended: boolean;
  #targetDuration: number;
  /** The sequence number of the first segment kept. */
  #mediaSequence: number;
  /** Discontinuities before the first segment kept. */
  #discontinuitySequence: number;

  constructor(parsed: ParsedPlaylist = { runs: [], ended: false }) {
    this.#runs = parsed.runs.map((run) => ({ ...run, segments: [...run.segments] }));
    this.#ended = parsed.ended;
    this.#targetDuration = Math.max(1, ...this.#runs.flatMap((run) => run.segments.map(targetFor)));
    this.#mediaSequence = parsed.mediaSequence ?? 0;
    this.#discontinuitySequence = parsed.discontinuitySequence ?? 0;
  }

  static parse(text: string): HlsPlaylist {
    return new HlsPlaylist(parseMediaPlaylist(text));
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Segments kept (not those removed). */
  get segmentCount(): number {
    return this.#runs.reduce((count, run) => count + run.segments.length, 0);
  }

  /** The sequence number of the first segment kept; the next one added gets `mediaSequence + segmentCount`. */
  get mediaSequence(): number {
    return this.#mediaSequence;
  }

  get runIds(): number[] {
    return this.#runs.map((run) => run.id);
  }

  /** Starts a new run: the next segments follow a discontinuity and use `init`. */
  addRun(id: number, init: string): void {
    if (this.#ended) throw new Error('the playlist has ended');
    this.#runs.push({ id, init, segments: [] });
  }

  /** Appends to the current run. */
  addSegments(segments: readonly HlsSegment[]): void {
    const run = this.#runs[this.#runs.length - 1];
    if (!run) throw new Error('addRun first');
    if (this.#ended) throw new Error('the playlist has ended');
    run.segments.push(...segments);
    for (const segment of segments) this.#targetDuration = Math.max(this.#targetDuration, targetFor(segment));
  }

  /** Closes the playlist (`#EXT-X-ENDLIST`): players treat it as a complete recording. */
  end(): void {
    this.#ended = true;
  }

  /** Reopens a playlist left ended (a broadcast resumed after a restart). */
  reopen(): void {
    this.#ended = false;
  }

  /**
   * The index (among the segments kept) of the first segment of the latest `seconds`: the most recent
   * segments whose durations add up to at most `seconds`, but never under three target durations.
   */
  windowStart(seconds: number): number {
    // From the end, without going through the whole recording (hours of segments).
    const floor = MIN_TARGET_DURATIONS * this.#targetDuration;
    let start = this.segmentCount;
    let total = 0;
    for (let r = this.#runs.length - 1; r >= 0; r--) {
      const { segments } = this.#runs[r]!;
      for (let i = segments.length - 1; i >= 0; i--) {
        const { duration } = segments[i]!;
        if (total + duration > seconds + 1e-6 && total >= floor) return start;
        total += duration;
        start--;
      }
    }
    return start;
  }

  /** How many of the oldest segments kept, up to `limit`, pass `test` one after the other. */
  countFromStart(limit: number, test: (segment: HlsSegment) => boolean): number {
    let count = 0;
    for (const run of this.#runs) {
      for (const segment of run.segments) {
        if (count >= limit || !test(segment)) return count;
        count++;
      }
    }
    return count;
  }

  /**
   * Forgets the `count` oldest segments kept (their files may go); the sequence numbers move on. Runs left
   * empty go, but the last one. Returns the files no longer listed: the segments, and the init segments
   * of the runs that went.
   */
  removeFirst(count: number): string[] {
    const files: string[] = [];
    let left = Math.min(count, this.segmentCount);
    this.#mediaSequence += left;
    while (left > 0 && this.#runs.length > 0) {
      const run = this.#runs[0]!;
      const removed = run.segments.splice(0, left);
      left -= removed.length;
      files.push(...removed.map((segment) => segment.uri));
      if (run.segments.length > 0 || this.#runs.length === 1) break;
      this.#runs.shift();
      if (run.init) files.push(run.init);
      // The discontinuity before the next run with segments slid out with this one.
      if (removed.length > 0) this.#discontinuitySequence++;
    }
    // Runs that never made a segment, now first, go too (nothing to list; a discontinuity only counts
    // between runs with segments).
    while (this.#runs.length > 1 && this.#runs[0]!.segments.length === 0) {
      const { init } = this.#runs.shift()!;
      if (init) files.push(init);
    }
    return files;
  }

  /**
   * The playlist: while live, the latest `windowSeconds` of it when given (a sliding window, no
   * playlist type) or all of it (an EVENT playlist); once ended, all of it as a VOD playlist.
   */
  render(windowSeconds?: number): string {
    const windowed = !this.#ended && windowSeconds !== undefined;
    const start = windowed ? this.windowStart(windowSeconds) : 0;
    return this.#render(start, true, windowed);
  }

  /** The lines of the segments from sequence number `from` on (to append to a playlist that has the others). */
  renderTail(from: number): string {
    return this.#render(Math.max(0, from - this.#mediaSequence), false, false);
  }

  /** From the `start`-th segment kept; `header`: a whole playlist, else the lines to append to one. */
  #render(start: number, header: boolean, windowed: boolean): string {
    const lines: string[] = [];
    const body: string[] = [];
    let discontinuities = this.#discontinuitySequence;
    let index = 0;
    let withSegments = 0;
    let listed = false;
    for (const run of this.#runs) {
      if (run.segments.length === 0) continue;
      const nth = withSegments++;
      const runStart = index;
      index += run.segments.length;
      if (index <= start) continue;
      const from = Math.max(0, start - runStart);
      const map = run.init ? [`#EXT-X-MAP:URI="${run.init}"`] : [];
      if (listed) body.push('#EXT-X-DISCONTINUITY', ...map);
      else if (header) {
        // The discontinuities before the first segment listed are counted, not listed.
        discontinuities += nth;
        body.push(...map);
      } else if (from === 0) {
        if (nth > 0) body.push('#EXT-X-DISCONTINUITY');
        body.push(...map);
      }
      listed = true;
      for (const segment of run.segments.slice(from)) {
        if (segment.programDateTime) body.push(`#EXT-X-PROGRAM-DATE-TIME:${segment.programDateTime}`);
        body.push(`#EXTINF:${segment.duration.toFixed(6)},`, segment.uri);
      }
    }
    if (header) {
      lines.push(
        '#EXTM3U',
        '#EXT-X-VERSION:7',
        `#EXT-X-TARGETDURATION:${this.#targetDuration}`,
        `#EXT-X-MEDIA-SEQUENCE:${this.#mediaSequence + start}`,
      );
      if (discontinuities > 0) lines.push(`#EXT-X-DISCONTINUITY-SEQUENCE:${discontinuities}`);
      if (this.#ended) lines.push('#EXT-X-PLAYLIST-TYPE:VOD');
      else if (!windowed) lines.push('#EXT-X-PLAYLIST-TYPE:EVENT');
      lines.push('#EXT-X-INDEPENDENT-SEGMENTS');
      // Live: a player may ask for the next segment's playlist (`?_HLS_msn=`) and get it the moment it is
      // listed (hls-origin.ts), instead of polling every half segment and learning of it up to that late.
      if (!this.#ended) lines.push(`#EXT-X-SERVER-CONTROL:${SERVER_CONTROL}`);
    }
    lines.push(...body);
    if (header && this.#ended) lines.push('#EXT-X-ENDLIST');
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }
}

/**
 * Reads a media playlist: FFmpeg's playlist of one run, or our own `index.m3u8` when a broadcast
 * resumes. Each `#EXT-X-MAP` starts a run; in a playlist without any (WebVTT), the first segment and each
 * `#EXT-X-DISCONTINUITY` do. Only complete entries count (a URI after its `#EXTINF`).
 */
export function parseMediaPlaylist(text: string): ParsedPlaylist {
  const runs: HlsRun[] = [];
  const sequences: Pick<ParsedPlaylist, 'mediaSequence' | 'discontinuitySequence'> = {};
  let ended = false;
  let duration: number | undefined;
  let programDateTime: string | undefined;
  /** A discontinuity without a map after it: the next segment starts a run of its own. */
  let discontinuity = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('#EXT-X-MAP:')) {
      const init = /URI="([^"]+)"/.exec(line)?.[1];
      if (init) runs.push({ id: runIdOf(init) ?? runs.length, init, segments: [] });
      discontinuity = false;
    } else if (line === '#EXT-X-DISCONTINUITY') {
      discontinuity = true;
    } else if (line.startsWith('#EXTINF:')) {
      duration = Number.parseFloat(line.slice('#EXTINF:'.length));
    } else if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) {
      const date = new Date(line.slice('#EXT-X-PROGRAM-DATE-TIME:'.length));
      programDateTime = Number.isNaN(date.getTime()) ? undefined : date.toISOString();
    } else if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) {
      const value = Number.parseInt(line.slice('#EXT-X-MEDIA-SEQUENCE:'.length), 10);
      if (value > 0) sequences.mediaSequence = value;
    } else if (line.startsWith('#EXT-X-DISCONTINUITY-SEQUENCE:')) {
      const value = Number.parseInt(line.slice('#EXT-X-DISCONTINUITY-SEQUENCE:'.length), 10);
      if (value > 0) sequences.discontinuitySequence = value;
    } else if (line === '#EXT-X-ENDLIST') {
      ended = true;
    } else if (!line.startsWith('#')) {
      if (runs.length === 0 || discontinuity) {
        if (runs.every((r) => !r.init)) runs.push({ id: runIdOf(line) ?? runs.length, init: '', segments: [] });
        discontinuity = false;
      }
      const run = runs[runs.length - 1];
      if (run && duration !== undefined && Number.isFinite(duration)) {
        run.segments.push({ uri: line, duration, ...(programDateTime ? { programDateTime } : {}) });
      }
      duration = undefined;
      programDateTime = undefined;
    }
  }
  return { runs, ended, ...sequences };
}

/** A live media playlist's `#EXT-X-SERVER-CONTROL` (RFC 8216bis 4.4.3.8): blocking playlist reload. */
export const SERVER_CONTROL = 'CAN-BLOCK-RELOAD=YES';

/** The spec: each EXTINF, rounded to the nearest integer, is at most the target duration. */
const targetFor = (segment: HlsSegment) => Math.max(1, Math.round(segment.duration));
