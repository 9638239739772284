import { CANVAS, layoutTiles, type VideoSource } from './layout';
import { runFileName } from './hls-playlist';

/** Segment length and GOP: FFmpeg 5.1 writes `#EXT-X-TARGETDURATION:0` for shorter segments. */
export const SEGMENT_SECONDS = 1;
export const PROGRAM_FPS = 30;
/** A slate is a still picture: a low rate keeps it cheap (about half the CPU of 30 fps). */
export const SLATE_FPS = 10;

export const FONTS = {
  regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
} as const;

const BACKGROUND = '0x14181f';

/** What one FFmpeg run renders. Paths are relative to the broadcast's directory (FFmpeg's cwd). */
export interface EncodePlan {
  run: number;
  /** The RTP input: stream `i` of this SDP is the `i`th m-line. */
  sdpFile?: string;
  videos: ReadonlyArray<{ stream: number; source: VideoSource; labelFile?: string }>;
  audioStreams: readonly number[];
  /** Drawn when there is no video: a title and a line under it. */
  slate?: { titleFile: string; statusFile: string };
  /** Re-read every frame: rewriting these files (atomically) changes the picture at once. */
  lowerThird?: { headingFile: string; bodyFile: string };
}

/**
 * The FFmpeg arguments for a plan: a paced background (`-re` lavfi) that the tiles are laid over,
 * which also fixes the output at a constant rate whatever rate FFmpeg guesses for RTP; each RTP video
 * scaled to its tile (the first keyframe is often smaller than later ones); the audio mixed; H.264 and
 * AAC into fMP4 HLS with one-second segments that each start with a keyframe.
 */
export function ffmpegArgs(plan: EncodePlan): string[] {
  const program = plan.videos.length > 0;
  const fps = program ? PROGRAM_FPS : SLATE_FPS;
  const inputs: string[][] = [
    ['-re', '-f', 'lavfi', '-i', `color=c=${BACKGROUND}:s=${CANVAS.width}x${CANVAS.height}:r=${fps}`],
  ];
  let sdpInput: number | undefined;
  if (plan.sdpFile) {
    sdpInput = inputs.length;
    // prettier-ignore
    inputs.push([
      '-protocol_whitelist', 'file,udp,rtp',
      '-localaddr', '127.0.0.1',
      '-buffer_size', '1048576',
      // Start at once: the picture size comes with the first keyframe, the graph is set up then.
      '-analyzeduration', '100000', '-probesize', '32', '-fflags', 'nobuffer',
      // One decoding thread per stream: no frame-threading delay, ~30 MB less at 4 speakers (bench:restream).
      '-threads', '1',
      '-i', safePath(plan.sdpFile),
    ]);
  } else if (plan.videos.length > 0 || plan.audioStreams.length > 0) {
    throw new Error('RTP streams need an SDP file');
  }
  let silenceInput: number | undefined;
  if (plan.audioStreams.length === 0) {
    silenceInput = inputs.length;
    inputs.push(['-re', '-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=stereo']);
  }

  const graph: string[] = [];
  let video = '[0:v]';
  layoutTiles(plan.videos.map((v) => v.source)).forEach((tile, index) => {
    const { x, y, width, height } = tile.rect;
    const stream = plan.videos[tile.input]!.stream;
    const fit =
      tile.fit === 'cover'
        ? `scale=${width}:${height}:force_original_aspect_ratio=increase:flags=bilinear,crop=${width}:${height}`
        : `scale=${width}:${height}:force_original_aspect_ratio=decrease:force_divisible_by=2:flags=bilinear`;
    const position = tile.fit === 'cover' ? `x=${x}:y=${y}` : `x=${x}+(${width}-w)/2:y=${y}+(${height}-h)/2`;
    graph.push(`[${sdpInput}:${stream}]${fit},setsar=1[tile${index}]`);
    graph.push(`${video}[tile${index}]overlay=${position}:eof_action=repeat[over${index}]`);
    video = `[over${index}]`;
  });

  const text: string[] = [];
  for (const tile of layoutTiles(plan.videos.map((v) => v.source))) {
    const labelFile = plan.videos[tile.input]!.labelFile;
    if (!labelFile) continue;
    const { x, y, height } = tile.rect;
    text.push(drawtext(labelFile, { size: 20, x: `${x + 12}`, y: `${y + height - 40}`, box: 'black@0.55', border: 6 }));
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
  graph.push(`${video}${[...text, 'format=yuv420p'].join(',')}[vout]`);

  if (plan.audioStreams.length === 0) {
    graph.push(`[${silenceInput}:a]anull[aout]`);
  } else {
    const resampled = plan.audioStreams.map((stream, index) => {
      graph.push(`[${sdpInput}:${stream}]aresample=async=1:first_pts=0[aud${index}]`);
      return `[aud${index}]`;
    });
    graph.push(
      resampled.length === 1
        ? `${resampled[0]}anull[aout]`
        : `${resampled.join('')}amix=inputs=${resampled.length}:normalize=0:dropout_transition=0[aout]`,
    );
  }

  const gop = String(fps * SEGMENT_SECONDS);
  // prettier-ignore
  const encoder = program
    ? ['-preset', 'veryfast', '-tune', 'zerolatency', '-b:v', '2500k', '-maxrate', '2500k', '-bufsize', '2500k']
    : ['-preset', 'ultrafast', '-tune', 'stillimage,zerolatency', '-threads', '1', '-b:v', '300k', '-maxrate', '300k', '-bufsize', '600k'];
  // prettier-ignore
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning', '-y',
    ...inputs.flat(),
    '-filter_complex', graph.join(';'),
    '-map', '[vout]', '-map', '[aout]',
    '-c:v', 'libx264', ...encoder, '-pix_fmt', 'yuv420p', '-r', String(fps),
    '-g', gop, '-keyint_min', gop, '-sc_threshold', '0',
    '-force_key_frames', `expr:gte(t,n_forced*${SEGMENT_SECONDS})`,
    '-c:a', 'aac', '-b:a', plan.audioStreams.length > 0 ? '128k' : '64k', '-ar', '48000', '-ac', '2',
    '-f', 'hls',
    '-hls_time', String(SEGMENT_SECONDS),
    '-hls_list_size', '0',
    '-hls_segment_type', 'fmp4',
    '-hls_flags', 'independent_segments+program_date_time+temp_file',
    '-hls_fmp4_init_filename', runFileName.init(plan.run),
    '-hls_segment_filename', runFileName.segmentPattern(plan.run),
    runFileName.playlist(plan.run),
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
function safePath(path: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(path) || path.includes('..')) throw new Error(`unsafe path: ${path}`);
  return path;
}
