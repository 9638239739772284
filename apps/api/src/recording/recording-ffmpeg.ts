import { COMMON, PROGRAM_FPS, safePath } from '../broadcast/ffmpeg-command';
import { CANVAS } from '../broadcast/layout';

/**
 * One run of the broadcast (a playlist of its segments) re-encoded as a part of the recording. Runs
 * differ (a slate is 10 fps, encoders change with the layout); their parts come out alike (1280x720
 * at 30 fps, the same H.264 and AAC settings), so they join without another encoding.
 */
export function recordingPartArgs(playlistFile: string, outputFile: string): string[] {
  // prettier-ignore
  return [
    ...COMMON,
    '-i', safePath(playlistFile),
    '-map', '0:v:0', '-map', '0:a:0',
    '-vf', `fps=${PROGRAM_FPS},scale=${CANVAS.width}:${CANVAS.height},setsar=1,format=yuv420p`,
    '-af', 'aresample=async=1:first_pts=0',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '22', '-g', String(2 * PROGRAM_FPS),
    '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2',
    '-f', 'mp4', safePath(outputFile),
  ];
}

/**
 * One run of the continuous engine's broadcast as a part of the recording, without another encoding: its
 * segments all share one profile (H.264 High 1280x720 30 fps, AAC), so a remux is enough (seconds).
 */
export function recordingRemuxArgs(playlistFile: string, outputFile: string, maxSeconds?: number): string[] {
  // The end can be cut at any frame (no B-frames); the start only at a keyframe (a segment's start).
  const limit = maxSeconds !== undefined && maxSeconds > 0 ? ['-t', maxSeconds.toFixed(3)] : [];
  // prettier-ignore
  return [
    ...COMMON,
    '-i', safePath(playlistFile),
    '-map', '0:v:0', '-map', '0:a:0', '-c', 'copy', '-avoid_negative_ts', 'make_zero', ...limit,
    '-f', 'mp4', safePath(outputFile),
  ];
}

/** The parts (an ffconcat list) joined as they are, the index first so a player starts at once. */
export function recordingJoinArgs(listFile: string, outputFile: string): string[] {
  // prettier-ignore
  return [
    ...COMMON,
    '-f', 'concat', '-safe', '0', '-i', safePath(listFile),
    '-map', '0', '-c', 'copy', '-movflags', '+faststart',
    '-f', 'mp4', safePath(outputFile),
  ];
}
