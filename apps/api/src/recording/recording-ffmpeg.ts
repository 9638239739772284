import { COMMON, safePath } from '../broadcast/ffmpeg-command';

/**
 * One run of the broadcast (a playlist of its segments) as a part of the recording, without another encoding: its
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
