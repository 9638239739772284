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
  init: string;
  segments: HlsSegment[];
}

export interface ParsedPlaylist {
  runs: HlsRun[];
  ended: boolean;
}

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
 * same stream. An EVENT playlist: it only grows, and `end()` closes it into the recording.
 */
export class HlsPlaylist {
  readonly #runs: HlsRun[];
  #ended: boolean;
  #targetDuration: number;

  constructor(parsed: ParsedPlaylist = { runs: [], ended: false }) {
    this.#runs = parsed.runs.map((run) => ({ ...run, segments: [...run.segments] }));
    this.#ended = parsed.ended;
    this.#targetDuration = Math.max(1, ...this.#runs.flatMap((run) => run.segments.map(targetFor)));
  }

  static parse(text: string): HlsPlaylist {
    return new HlsPlaylist(parseMediaPlaylist(text));
  }

  get ended(): boolean {
    return this.#ended;
  }

  get segmentCount(): number {
    return this.#runs.reduce((count, run) => count + run.segments.length, 0);
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

  render(): string {
    const lines = [
      '#EXTM3U',
      '#EXT-X-VERSION:7',
      `#EXT-X-TARGETDURATION:${this.#targetDuration}`,
      '#EXT-X-MEDIA-SEQUENCE:0',
      '#EXT-X-PLAYLIST-TYPE:EVENT',
      '#EXT-X-INDEPENDENT-SEGMENTS',
    ];
    let first = true;
    for (const run of this.#runs) {
      if (run.segments.length === 0) continue;
      if (!first) lines.push('#EXT-X-DISCONTINUITY');
      first = false;
      lines.push(`#EXT-X-MAP:URI="${run.init}"`);
      for (const segment of run.segments) {
        if (segment.programDateTime) lines.push(`#EXT-X-PROGRAM-DATE-TIME:${segment.programDateTime}`);
        lines.push(`#EXTINF:${segment.duration.toFixed(6)},`, segment.uri);
      }
    }
    if (this.#ended) lines.push('#EXT-X-ENDLIST');
    return `${lines.join('\n')}\n`;
  }
}

/**
 * Reads a media playlist: FFmpeg's playlist of one run, or our own `index.m3u8` when a broadcast
 * resumes. Each `#EXT-X-MAP` starts a run. Only complete entries count (a URI after its `#EXTINF`).
 */
export function parseMediaPlaylist(text: string): ParsedPlaylist {
  const runs: HlsRun[] = [];
  let ended = false;
  let duration: number | undefined;
  let programDateTime: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('#EXT-X-MAP:')) {
      const init = /URI="([^"]+)"/.exec(line)?.[1];
      if (init) runs.push({ id: runIdOf(init) ?? runs.length, init, segments: [] });
    } else if (line.startsWith('#EXTINF:')) {
      duration = Number.parseFloat(line.slice('#EXTINF:'.length));
    } else if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) {
      const date = new Date(line.slice('#EXT-X-PROGRAM-DATE-TIME:'.length));
      programDateTime = Number.isNaN(date.getTime()) ? undefined : date.toISOString();
    } else if (line === '#EXT-X-ENDLIST') {
      ended = true;
    } else if (!line.startsWith('#')) {
      const run = runs[runs.length - 1];
      if (run && duration !== undefined && Number.isFinite(duration)) {
        run.segments.push({ uri: line, duration, ...(programDateTime ? { programDateTime } : {}) });
      }
      duration = undefined;
      programDateTime = undefined;
    }
  }
  return { runs, ended };
}

/** The spec: each EXTINF, rounded to the nearest integer, is at most the target duration. */
const targetFor = (segment: HlsSegment) => Math.max(1, Math.round(segment.duration));
