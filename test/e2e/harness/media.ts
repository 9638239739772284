import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The broadcast picture's size. */
export const WIDTH = 1280;
export const HEIGHT = 720;

export interface Segment {
  uri: string;
  init: string;
  duration: number;
  programDateTime: number;
  /** `r12`: the FFmpeg run that made it. */
  run: string;
}

export interface Playlist {
  text: string;
  targetDuration: number;
  segments: Segment[];
  discontinuities: number;
  ended: boolean;
  lastRun?: string;
}

/** An HLS media playlist as the broadcast writes it (runs with their init segments). */
export function parsePlaylist(text: string): Playlist {
  const playlist: Playlist = { text, targetDuration: NaN, segments: [], discontinuities: 0, ended: false };
  let init = '';
  let duration = NaN;
  let programDateTime = NaN;
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line.startsWith('#EXT-X-TARGETDURATION:')) playlist.targetDuration = Number(line.split(':')[1]);
    else if (line.startsWith('#EXT-X-MAP:')) init = /URI="([^"]+)"/.exec(line)![1]!;
    else if (line === '#EXT-X-DISCONTINUITY') playlist.discontinuities++;
    else if (line === '#EXT-X-ENDLIST') playlist.ended = true;
    else if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice(8));
    else if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) programDateTime = Date.parse(line.slice(25));
    else if (line && !line.startsWith('#')) {
      const run = line.split('-')[0]!;
      playlist.segments.push({ uri: line, init, duration, programDateTime, run });
      playlist.lastRun = run;
    }
  }
  return playlist;
}

/** Downloads a segment with its init segment (from `hlsBase`, `…/hls/:slug`) into one file FFmpeg can read. */
export async function downloadSegment(hlsBase: string, segment: Segment, file: string): Promise<string> {
  const parts = await Promise.all(
    [segment.init, segment.uri].map(async (name) => {
      const response = await fetch(`${hlsBase}/${name}`);
      if (response.status !== 200) throw new Error(`GET ${name}: ${response.status}`);
      return Buffer.from(await response.arrayBuffer());
    }),
  );
  await writeFile(file, Buffer.concat(parts));
  return file;
}

export interface Probe {
  video?: Record<string, unknown>;
  audio?: Record<string, unknown>;
  streams: Array<Record<string, unknown>>;
  format: Record<string, unknown>;
}

export async function ffprobe(file: string): Promise<Probe> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file]);
  const parsed = JSON.parse(stdout) as { streams: Array<Record<string, unknown>>; format: Record<string, unknown> };
  return {
    video: parsed.streams.find((s) => s.codec_type === 'video'),
    audio: parsed.streams.find((s) => s.codec_type === 'audio'),
    streams: parsed.streams,
    format: parsed.format,
  };
}

/** The first picture of a file as raw RGB (WIDTH x HEIGHT). */
export async function decodeFrame(file: string): Promise<Buffer> {
  const { stdout } = await run(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 },
  );
  return stdout;
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Mean absolute difference per channel (0–255) of two RGB pictures over a region. */
export function meanDifference(a: Buffer, b: Buffer, rect: Region): number {
  let sum = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    for (let x = rect.x; x < rect.x + rect.width; x++) {
      for (let c = 0; c < 3; c++) {
        const i = (y * WIDTH + x) * 3 + c;
        sum += Math.abs(a[i]! - b[i]!);
      }
    }
  }
  return sum / (rect.width * rect.height * 3);
}

/** Polls until `probe` gives a value; throws after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 150): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
