/**
 * A scheduled event's "starting soon" slate as a short loop rendered once (slate-render.ts), served as a
 * live playlist computed from the clock: every viewer at the same moment gets the same playlist, and no
 * process runs for them.
 */

/** The loop's length: 8 s of 48 kHz sound is a whole number of AAC frames (375), so the sound loops cleanly. */
export const SLATE_LOOP_SECONDS = 8;
/** Segments a slate playlist lists, as a live one does (hls.js starts a few segments before the end). */
export const SLATE_WINDOW_SECONDS = 6;
/**
 * The clock's segments are counted from here: media sequence numbers stay below 2^31 for thirty years (hls.js
 * hangs the page on numbers above, as counted from 1970 in half-second segments).
 */
export const SLATE_EPOCH_MS = Date.UTC(2024, 0, 1);

export interface SlateLoop {
  /** Names the loop's files: changes with the title, the status line and the segment length. */
  key: string;
  segmentSeconds: number;
  /** How many segments the loop has. */
  segments: number;
}

export const slateSegmentsPerLoop = (segmentSeconds: number): number =>
  Math.max(1, Math.round(SLATE_LOOP_SECONDS / segmentSeconds));

/** The loop's files, as `/hls/:slug/` serves them. */
export const slateFileName = {
  init: (key: string) => `s${key}-init.mp4`,
  segment: (key: string, index: number) => `s${key}-${String(index).padStart(5, '0')}.m4s`,
  /** What FFmpeg is given (`-hls_segment_filename`). */
  segmentPattern: (key: string) => `s${key}-%05d.m4s`,
};

const SLATE_FILE = /^s([0-9a-f]{16})-(?:init\.mp4|\d{5}\.m4s)$/;

/** The key a name under `/hls/:slug/` belongs to when it is a slate's file. */
export function slateKeyOf(name: string): string | undefined {
  return SLATE_FILE.exec(name)?.[1];
}

/** What a slate's file is (as `hlsFileKind` says of the broadcast's): its init segment or a segment. */
export function slateFileKind(name: string): 'init' | 'segment' | undefined {
  if (!slateKeyOf(name)) return undefined;
  return name.endsWith('.mp4') ? 'init' : 'segment';
}

/**
 * The live playlist of a looping slate at `nowMs`: segment n of the clock (n × segment length since
 * `SLATE_EPOCH_MS`) is the loop's segment n mod its length; each time the loop starts over, a discontinuity (its
 * timestamps start over). Lists the segments finished by now, the last `SLATE_WINDOW_SECONDS` of them.
 */
export function slatePlaylist(loop: SlateLoop, nowMs: number): string {
  const segmentMs = loop.segmentSeconds * 1000;
  const window = Math.max(3, Math.round(SLATE_WINDOW_SECONDS / loop.segmentSeconds));
  const last = Math.floor((nowMs - SLATE_EPOCH_MS) / segmentMs) - 1;
  const first = last - window + 1;
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${Math.ceil(loop.segmentSeconds)}`,
    `#EXT-X-MEDIA-SEQUENCE:${first}`,
    `#EXT-X-DISCONTINUITY-SEQUENCE:${Math.floor(first / loop.segments)}`,
    '#EXT-X-INDEPENDENT-SEGMENTS',
    `#EXT-X-MAP:URI="${slateFileName.init(loop.key)}"`,
  ];
  for (let n = first; n <= last; n++) {
    const index = n % loop.segments;
    if (index === 0 && n !== first) lines.push('#EXT-X-DISCONTINUITY');
    lines.push(
      `#EXT-X-PROGRAM-DATE-TIME:${new Date(SLATE_EPOCH_MS + n * segmentMs).toISOString()}`,
      `#EXTINF:${loop.segmentSeconds.toFixed(3)},`,
      slateFileName.segment(loop.key, index),
    );
  }
  return `${lines.join('\n')}\n`;
}
