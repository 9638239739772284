import { CANVAS, type Rect, type TileFit } from './layout';
import { runFileName } from './hls-playlist';

/**
 * Segment length and GOP unless the plan says otherwise (HLS_SEGMENT_SECONDS). FFmpeg 5.1 writes
 * `#EXT-X-TARGETDURATION:0` for shorter segments in its own playlist; the public one is ours (hls-playlist.ts).
 */
export const DEFAULT_SEGMENT_SECONDS = 1;
export const PROGRAM_FPS = 30;
/** A slate is a still picture: a low rate keeps it cheap (about half the CPU of 30 fps). */
export const SLATE_FPS = 10;

export const FONTS = {
  regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
} as const;

/**
 * How much later than the sound a speaker's picture reaches the composite: the tile feed writes it, then
 * the composite reads it two frames ahead of use (a queue of one) and samples it half a frame late on
 * average. The sound waits as long, so lips and voice stay together (measured: 70–120 ms without it).
 */
export const PICTURE_LAG_MS = Math.round((2.5 * 1000) / PROGRAM_FPS);

/** The composite's background, and the colour of a tile before its first picture. */
export const BACKGROUND = '0x14181f';

/** What one FFmpeg run renders. Paths are relative to the broadcast's directory (FFmpeg's cwd). */
export interface EncodePlan {
  run: number;
  /** Segment length, seconds: each segment starts with a keyframe, so fps × this must be a whole number. */
  segmentSeconds?: number;
  /** The speakers' pictures, each kept up to date in a file by its tile feed, where the layout puts them. */
  tiles: ReadonlyArray<{ frameFile: string; rect: Rect; labelFile?: string }>;
  /** The speakers' audio: the first `streams` m-lines of this SDP, mixed. Silence without it. */
  audio?: { sdpFile: string; streams: number };
  /** Drawn when there is no tile: a title and a line under it. */
  slate?: { titleFile: string; statusFile: string };
  /** Re-read every frame: rewriting these files (atomically) changes the picture at once. */
  lowerThird?: { headingFile: string; bodyFile: string };
}

/** One speaker's video, decoded on its own into the picture file its tile shows (see TileFeed). */
export interface TileFeedPlan {
  sdpFile: string;
  frameFile: string;
  width: number;
  height: number;
  fit: TileFit;
}

/**
 * The composite's FFmpeg arguments: a paced background (`-re` lavfi) that fixes the output at a constant
 * rate; over it each tile's picture file, sampled at that rate whether or not the speaker's video sent a
 * frame meanwhile (a screen share or a canvas sends frames only when they change, and FFmpeg would wait
 * for each one before compositing); the audio mixed; H.264 and AAC into fMP4 HLS with segments of
 * `segmentSeconds` that each start with a keyframe.
 */
export function ffmpegArgs(plan: EncodePlan): string[] {
  const program = plan.tiles.length > 0;
  const fps = program ? PROGRAM_FPS : SLATE_FPS;
  const inputs: string[][] = [
    ['-re', '-f', 'lavfi', '-i', `color=c=${BACKGROUND}:s=${CANVAS.width}x${CANVAS.height}:r=${fps}`],
  ];
  const graph: string[] = [];
  const text: string[] = [];
  let video = '[0:v]';
  plan.tiles.forEach((tile, index) => {
    const input = inputs.length;
    // prettier-ignore
    inputs.push([
      // Read the file again for every frame; a queue of one keeps the picture at most two frames old.
      '-re', '-thread_queue_size', '1', '-f', 'image2', '-pattern_type', 'none', '-loop', '1',
      '-framerate', String(fps), '-i', safePath(tile.frameFile),
    ]);
    const { x, y, height } = tile.rect;
    graph.push(`${video}[${input}:v]overlay=x=${x}:y=${y}:eof_action=repeat[over${index}]`);
    video = `[over${index}]`;
    if (tile.labelFile) {
      text.push(
        drawtext(tile.labelFile, { size: 20, x: `${x + 12}`, y: `${y + height - 40}`, box: 'black@0.55', border: 6 }),
      );
    }
  });

  let audio: string;
  if (plan.audio && plan.audio.streams > 0) {
    const input = inputs.length;
    inputs.push(rtpInput(plan.audio.sdpFile));
    const resampled = Array.from({ length: plan.audio.streams }, (_, stream) => {
      graph.push(`[${input}:${stream}]aresample=async=1:first_pts=0[aud${stream}]`);
      return `[aud${stream}]`;
    });
    const mixed =
      resampled.length === 1
        ? `${resampled[0]}anull`
        : `${resampled.join('')}amix=inputs=${resampled.length}:normalize=0:dropout_transition=0`;
    audio = program ? `${mixed},adelay=delays=${PICTURE_LAG_MS}:all=1[aout]` : `${mixed}[aout]`;
  } else {
    audio = `[${inputs.length}:a]anull[aout]`;
    inputs.push(['-re', '-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=stereo']);
  }

  if (plan.slate && !program) {
    text.push(
      drawtext(plan.slate.titleFile, { size: 48, bold: true, x: '(w-text_w)/2', y: '(h-text_h)/2-50' }),
      drawtext(plan.slate.statusFile, { size: 30, color: '0xaab4c0', x: '(w-text_w)/2', y: 'h/2+30' }),
    );
  }
  if (plan.lowerThird) {
    text.push(
      drawtext(plan.lowerThird.headingFile, {
        size: 30,
        bold: true,
        x: '60',
        y: 'h-178',
        box: '0x1d4ed8@0.92',
        border: 12,
        reload: true,
      }),
      drawtext(plan.lowerThird.bodyFile, {
        size: 26,
        x: '60',
        y: 'h-124',
        box: 'black@0.75',
        border: 12,
        reload: true,
      }),
    );
  }
  graph.push(`${video}${[...text, 'format=yuv420p'].join(',')}[vout]`, audio);

  const segmentSeconds = plan.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS;
  const gop = fps * segmentSeconds;
  if (!Number.isInteger(gop) || gop < 1) {
    throw new Error(`${segmentSeconds} s segments at ${fps} fps: no whole GOP`);
  }
  // prettier-ignore
  const encoder = program
    ? ['-preset', 'veryfast', '-tune', 'zerolatency', '-b:v', '2500k', '-maxrate', '2500k', '-bufsize', '2500k']
    : ['-preset', 'ultrafast', '-tune', 'stillimage,zerolatency', '-threads', '1', '-b:v', '300k', '-maxrate', '300k', '-bufsize', '600k'];
  // prettier-ignore
  return [
    ...COMMON,
    ...inputs.flat(),
    '-filter_complex', graph.join(';'),
    '-map', '[vout]', '-map', '[aout]',
    '-c:v', 'libx264', ...encoder, '-pix_fmt', 'yuv420p', '-r', String(fps),
    ...keyframeArgs(gop, segmentSeconds),
    '-c:a', 'aac', '-b:a', plan.audio ? '128k' : '64k', '-ar', '48000', '-ac', '2',
    ...hlsRunOutputArgs(plan.run, segmentSeconds),
  ];
}

/** A keyframe every `gop` frames and at every segment boundary, never elsewhere: whole GOPs per segment. */
export function keyframeArgs(gop: number, segmentSeconds: number): string[] {
  // prettier-ignore
  return [
    '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0',
    '-force_key_frames', `expr:gte(t,n_forced*${segmentSeconds})`,
  ];
}

/** The output of one run: fMP4 HLS with program date-times, named so the public playlist can list it. */
export function hlsRunOutputArgs(run: number, segmentSeconds: number): string[] {
  // prettier-ignore
  return [
    '-f', 'hls',
    '-hls_time', String(segmentSeconds),
    '-hls_list_size', '0',
    '-hls_segment_type', 'fmp4',
    '-hls_flags', 'independent_segments+program_date_time+temp_file',
    '-hls_fmp4_init_filename', runFileName.init(run),
    '-hls_segment_filename', runFileName.segmentPattern(run),
    runFileName.playlist(run),
  ];
}

/**
 * A tile feed's FFmpeg arguments: one RTP video decoded as it comes, fitted to its tile, and each
 * picture written over the tile's file (atomically: the composite never reads half a picture). YUV
 * 4:2:0 in a PGM file needs no conversion either way.
 */
export function tileFeedArgs(plan: TileFeedPlan): string[] {
  const { width, height } = plan;
  const fit =
    plan.fit === 'cover'
      ? `scale=${width}:${height}:force_original_aspect_ratio=increase:flags=bilinear,crop=${width}:${height}`
      : `scale=${width}:${height}:force_original_aspect_ratio=decrease:force_divisible_by=2:flags=bilinear,` +
        `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:color=${BACKGROUND}`;
  // prettier-ignore
  return [
    ...COMMON,
    ...rtpInput(plan.sdpFile),
    '-map', '0:v', '-vf', `${fit},setsar=1,format=yuv420p`,
    '-fps_mode', 'passthrough',
    '-c:v', 'pgmyuv', '-f', 'image2', '-update', '1', '-atomic_writing', '1',
    safePath(plan.frameFile),
  ];
}

/** What every FFmpeg of the server is given first: quiet, no prompt, files overwritten. */
// prettier-ignore
export const COMMON = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning', '-y'];

/** An SDP input of RTP streams from mediasoup, started at once. */
function rtpInput(sdpFile: string): string[] {
  // prettier-ignore
  return [
    '-protocol_whitelist', 'file,udp,rtp',
    '-localaddr', '127.0.0.1',
    '-buffer_size', '1048576',
    // Start at once: the picture size comes with the first keyframe.
    '-analyzeduration', '100000', '-probesize', '32',
    // One decoding thread per stream: no frame-threading delay, ~30 MB less at 4 speakers (bench:restream).
    '-threads', '1',
    '-i', safePath(sdpFile),
  ];
}

interface TextStyle {
  size: number;
  x: string;
  y: string;
  bold?: boolean;
  color?: string;
  box?: string;
  border?: number;
  reload?: boolean;
}

/** Text always comes from a file: no escaping of user text in the graph, and `expansion=none` prints `%` as is. */
function drawtext(file: string, style: TextStyle): string {
  const options = [
    `fontfile=${style.bold ? FONTS.bold : FONTS.regular}`,
    `textfile=${safePath(file)}`,
    'expansion=none',
    `fontsize=${style.size}`,
    `fontcolor=${style.color ?? 'white'}`,
    'line_spacing=8',
    `x=${style.x}`,
    `y=${style.y}`,
  ];
  if (style.box) options.push('box=1', `boxcolor=${style.box}`, `boxborderw=${style.border ?? 10}`);
  if (style.reload) options.push('reload=1');
  return `drawtext=${options.join(':')}`;
}

/** Paths go into the filter graph unescaped: only plain relative ones are accepted. */
export function safePath(path: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(path) || path.includes('..')) throw new Error(`unsafe path: ${path}`);
  return path;
}
