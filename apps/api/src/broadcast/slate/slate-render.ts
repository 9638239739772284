import { readFile } from 'node:fs/promises';
import { CANVAS } from '../layout';
import { BACKGROUND, COMMON, FONTS, keyframeArgs, safePath } from '../ffmpeg-command';
import { SLATE_TITLE_LINES } from '../slate-title';

/** The loop is a still picture: 10 frames a second are plenty, and cheap to render once. */
const SLATE_FPS = 10;
import { FfmpegProcess } from '../ffmpeg-process';
import { slateFileName, slateSegmentsPerLoop, type SlateLoop } from './slate-loop';

/** The loop's own playlist, FFmpeg's: read once to check the render, never served. */
export const SLATE_RENDER_PLAYLIST = 'loop.m3u8';
export const SLATE_TEXT_FILES = {
  /** One file for each of `SLATE_TITLE_LINES` (slate-title.ts). */
  title: (line: number) => `title-${line}.txt`,
  status: 'status.txt',
} as const;
/** A render takes about a second; one that takes longer than this is stuck. */
const RENDER_TIMEOUT_MS = 60_000;

/**
 * FFmpeg's arguments for a slate loop: the title and the status line over the background, silence,
 * `segments` segments rendered as fast as the CPU allows (no `-re`), one thread, each segment one GOP.
 */
export function slateRenderArgs(loop: SlateLoop): string[] {
  const gop = SLATE_FPS * loop.segmentSeconds;
  if (!Number.isInteger(gop) || gop < 1) throw new Error(`${loop.segmentSeconds} s segments: no whole GOP`);
  const seconds = loop.segments * loop.segmentSeconds;
  // As the composite draws its slate (continuous/composite-command.ts); the text comes from files.
  const text = (file: string, font: string, style: string) =>
    `drawtext=fontfile=${font}:textfile=${safePath(file)}:expansion=none:${style}`;
  const graph = [
    ...SLATE_TITLE_LINES.map(({ size, baseline }, line) =>
      text(
        SLATE_TEXT_FILES.title(line),
        FONTS.bold,
        `fontsize=${size}:fontcolor=white:x=(w-text_w)/2:y=${baseline}-ascent`,
      ),
    ),
    text(SLATE_TEXT_FILES.status, FONTS.regular, 'fontsize=30:fontcolor=0xaab4c0:x=(w-text_w)/2:y=h/2+30'),
    'format=yuv420p',
  ].join(',');
  // prettier-ignore
  return [
    ...COMMON,
    '-f', 'lavfi', '-i', `color=c=${BACKGROUND}:s=${CANVAS.width}x${CANVAS.height}:r=${SLATE_FPS}`,
    '-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=stereo',
    '-filter_threads', '1',
    '-filter_complex', `[0:v]${graph}[vout]`,
    '-map', '[vout]', '-map', '1:a', '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'stillimage', '-threads', '1',
    '-b:v', '300k', '-maxrate', '300k', '-bufsize', '600k', '-pix_fmt', 'yuv420p', '-r', String(SLATE_FPS),
    ...keyframeArgs(gop, loop.segmentSeconds),
    '-c:a', 'aac', '-b:a', '64k', '-ar', '48000', '-ac', '2',
    '-f', 'hls',
    '-hls_time', String(loop.segmentSeconds),
    '-hls_list_size', '0',
    '-hls_segment_type', 'fmp4',
    '-hls_flags', 'independent_segments',
    '-hls_fmp4_init_filename', slateFileName.init(loop.key),
    '-hls_segment_filename', slateFileName.segmentPattern(loop.key),
    SLATE_RENDER_PLAYLIST,
  ];
}

/**
 * Renders the loop into `dir` (which holds the text files) and checks it: as many segments as the loop
 * needs, each as long as the others. Rejects with FFmpeg's last words otherwise.
 */
export async function renderSlate(ffmpegPath: string, loop: SlateLoop, dir: string): Promise<void> {
  const ffmpeg = FfmpegProcess.spawn(ffmpegPath, slateRenderArgs(loop), dir);
  const timer = setTimeout(() => void ffmpeg.kill(), RENDER_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => {
    if (!ffmpeg.running) resolve(null);
    ffmpeg.once('exit', (exitCode) => resolve(exitCode));
  }).finally(() => clearTimeout(timer));
  if (code !== 0) throw new Error(`slate render failed (${code}): ${ffmpeg.stderrTail}`);
  const durations = [...(await readFile(`${dir}/${SLATE_RENDER_PLAYLIST}`, 'utf8')).matchAll(/#EXTINF:([\d.]+)/g)].map(
    (match) => Number(match[1]),
  );
  const expected = slateSegmentsPerLoop(loop.segmentSeconds);
  if (durations.length !== expected || durations.some((d) => Math.abs(d - loop.segmentSeconds) > 0.05)) {
    throw new Error(
      `slate render made segments of ${durations.join(', ')} s, not ${expected} × ${loop.segmentSeconds} s`,
    );
  }
}
