import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { join, resolve } from 'node:path';
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
  /** `#EXT-X-MEDIA-SEQUENCE`: segments that slid out of the window before the first listed (0 if absent). */
  mediaSequence: number;
  /** `#EXT-X-DISCONTINUITY-SEQUENCE`: discontinuities that slid out with them (0 if absent). */
  discontinuitySequence: number;
  ended: boolean;
  lastRun?: string;
}

/** An HLS media playlist as the broadcast writes it (runs with their init segments). */
export function parsePlaylist(text: string): Playlist {
  const playlist: Playlist = {
    text,
    targetDuration: NaN,
    segments: [],
    discontinuities: 0,
    mediaSequence: 0,
    discontinuitySequence: 0,
    ended: false,
  };
  let init = '';
  let duration = NaN;
  let programDateTime = NaN;
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line.startsWith('#EXT-X-TARGETDURATION:')) playlist.targetDuration = Number(line.split(':')[1]);
    else if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) playlist.mediaSequence = Number(line.split(':')[1]);
    else if (line.startsWith('#EXT-X-DISCONTINUITY-SEQUENCE:'))
      playlist.discontinuitySequence = Number(line.split(':')[1]);
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

/**
 * A GET on a connection of its own (no keep-alive), as a `Response`; tried again (up to 3 times) when the
 * connection fails. A polling test's kept-alive connections meet the server's keep-alive timeout: one it
 * closes just as the next request goes out fails with ECONNRESET, which says nothing about the server.
 */
export async function fetchAgain(url: string, headers: Record<string, string> = {}): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await new Promise<Response>((resolve, reject) => {
        get(url, { agent: false, headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: response.statusCode })));
          response.on('error', reject);
        }).on('error', reject);
      });
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Downloads a segment with its init segment (from `hlsBase`, `…/hls/:slug`) into one file FFmpeg can read. */
export async function downloadSegment(hlsBase: string, segment: Segment, file: string): Promise<string> {
  const parts = await Promise.all(
    [segment.init, segment.uri].map(async (name) => {
      const response = await fetchAgain(`${hlsBase}/${name}`);
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

/** The first segment of a media playlist (`…/hls/:slug/v720.m3u8`) whose program date-time is at or after `at` (epoch ms). */
export function segmentFrom(playlistUrl: string, at: number, timeoutMs = 30_000): Promise<Segment> {
  return waitFor(async () => {
    const playlist = parsePlaylist(await (await fetchAgain(playlistUrl)).text());
    return playlist.segments.find((s) => s.programDateTime >= at);
  }, timeoutMs);
}

/** The newest segment of a media playlist whose program date-time is after `after` (epoch ms): what is live now. */
export function newestSegment(playlistUrl: string, after: number, timeoutMs = 30_000): Promise<Segment> {
  return waitFor(async () => {
    const playlist = parsePlaylist(await (await fetchAgain(playlistUrl)).text());
    const newest = playlist.segments.at(-1);
    return newest && newest.programDateTime > after ? newest : undefined;
  }, timeoutMs);
}

/** The first picture of that segment, downloaded into `scratch` (a file path) and decoded. */
export async function pictureFrom(
  playlistUrl: string,
  at: number,
  scratch: string,
  timeoutMs = 30_000,
): Promise<Buffer> {
  const segment = await segmentFrom(playlistUrl, at, timeoutMs);
  const base = playlistUrl.slice(0, playlistUrl.lastIndexOf('/'));
  return decodeFrame(await downloadSegment(base, segment, scratch));
}

const SCREENSHOTS = resolve(__dirname, '..', '..', '..', 'reports', 'screenshots');

/** Keeps a decoded picture (WIDTH x HEIGHT RGB) as reports/screenshots/<name>.png, for the README and for a look. */
export async function savePicture(frame: Buffer, name: string, scratchDir: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const raw = join(scratchDir, `${name}.rgb`);
  await writeFile(raw, frame);
  // prettier-ignore
  await run('ffmpeg', [
    '-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${WIDTH}x${HEIGHT}`, '-i', raw,
    join(SCREENSHOTS, `${name}.png`),
  ]);
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

/** A run's init segment then `segments`, downloaded (from `hlsBase`) into one file: the run as a viewer gets it. */
export async function downloadRun(hlsBase: string, segments: readonly Segment[], file: string): Promise<string> {
  const names = [segments[0]!.init, ...segments.map((segment) => segment.uri)];
  const parts: Buffer[] = [];
  for (const name of names) {
    const response = await fetchAgain(`${hlsBase}/${name}`);
    if (response.status !== 200) throw new Error(`GET ${name}: ${response.status}`);
    parts.push(Buffer.from(await response.arrayBuffer()));
  }
  await writeFile(file, Buffer.concat(parts));
  return file;
}

/** Decodes every picture and sound of a file: FFmpeg's complaints, and each decoded frame's time (s). */
export async function decodedFrames(
  file: string,
): Promise<{ errors: string[]; frames: { video: number[]; audio: number[] } }> {
  const { stdout, stderr } = await run(
    'ffmpeg',
    [
      '-hide_banner',
      '-v',
      'error',
      '-i',
      file,
      '-map',
      '0:v:0',
      '-map',
      '0:a:0?',
      '-fps_mode',
      'passthrough',
      '-f',
      'framecrc',
      '-',
    ],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  const timeBases = new Map<number, number>();
  const frames = { video: [] as number[], audio: [] as number[] };
  for (const line of stdout.split('\n')) {
    const base = /^#tb (\d+): (\d+)\/(\d+)/.exec(line);
    if (base) timeBases.set(Number(base[1]), Number(base[2]) / Number(base[3]));
    const frame = /^(\d+),\s*(-?\d+),/.exec(line);
    if (frame) {
      const stream = Number(frame[1]);
      (stream === 0 ? frames.video : frames.audio).push(Number(frame[2]) * (timeBases.get(stream) ?? NaN));
    }
  }
  return { errors: stderr.split('\n').filter(Boolean), frames };
}

/** The `profile_idc` of every H.264 sequence parameter set in a file (its extradata and in-band ones). */
export async function h264Profiles(file: string): Promise<number[]> {
  const { stderr } = await run(
    'ffmpeg',
    [
      '-hide_banner',
      '-i',
      file,
      '-map',
      '0:v:0',
      '-c',
      'copy',
      '-bsf:v',
      'filter_units=pass_types=7,trace_headers',
      '-f',
      'null',
      '-',
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return [...stderr.matchAll(/\bprofile_idc\s+\S+\s*=\s*(\d+)/g)].map((match) => Number(match[1]));
}

/** Every packet's decoding time (s), per kind, in file order. */
export async function packetTimes(file: string): Promise<{ video: number[]; audio: number[] }> {
  const { stdout } = await run(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'packet=codec_type,dts_time', '-of', 'csv=p=0', file],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  const times = { video: [] as number[], audio: [] as number[] };
  for (const line of stdout.split('\n')) {
    const [kind, dts] = line.trim().split(',');
    if ((kind === 'video' || kind === 'audio') && dts && dts !== 'N/A') times[kind].push(Number(dts));
  }
  return times;
}

/** Every `every`-th picture of a file as raw RGB (WIDTH x HEIGHT), in order. */
export async function decodeFrames(file: string, every: number): Promise<Buffer[]> {
  const { stdout } = await run(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-vf', `select=not(mod(n\\,${every}))`, '-fps_mode', 'passthrough'].concat([
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-',
    ]),
    { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 },
  );
  const size = WIDTH * HEIGHT * 3;
  return Array.from({ length: Math.floor(stdout.length / size) }, (_, i) => stdout.subarray(i * size, (i + 1) * size));
}
