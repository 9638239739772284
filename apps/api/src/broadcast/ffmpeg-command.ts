import type { TileFit } from './layout';
import { runFileName } from './hls-playlist';

/**
 * Segment length and GOP unless the plan says otherwise (HLS_SEGMENT_SECONDS). FFmpeg 5.1 writes
 * `#EXT-X-TARGETDURATION:0` for shorter segments in its own playlist; the public one is ours (hls-playlist.ts).
 */
export const DEFAULT_SEGMENT_SECONDS = 1;
export const PROGRAM_FPS = 30;

export const FONTS = {
  regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
} as const;

/** The composite's background, and the colour of a tile before its first picture. */
export const BACKGROUND = '0x14181f';

/** One speaker's video, decoded on its own into the picture file its tile shows (a SlotFeed). */
export interface TileFeedPlan {
  sdpFile: string;
  frameFile: string;
  width: number;
  height: number;
  fit: TileFit;
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

/** Paths go into the filter graph unescaped: only plain relative ones are accepted. */
export function safePath(path: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(path) || path.includes('..')) throw new Error(`unsafe path: ${path}`);
  return path;
}
