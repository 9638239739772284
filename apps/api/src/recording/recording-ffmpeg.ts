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

/** A caption language's WebVTT file, as a subtitle stream of the MP4. */
export interface RecordingSubtitle {
  file: string;
  /** ISO 639-2/T, as MP4 names languages. */
  mp4Language: string;
}

/**
 * The parts (an ffconcat list) joined as they are, the index first so a player starts at once; each caption
 * language's WebVTT file becomes a subtitle stream (mov_text) with its language, in the order given.
 */
export function recordingJoinArgs(
  listFile: string,
  outputFile: string,
  subtitles: readonly RecordingSubtitle[] = [],
): string[] {
  const inputs = subtitles.flatMap((subtitle) => ['-f', 'webvtt', '-i', safePath(subtitle.file)]);
  const maps = subtitles.flatMap((_, index) => ['-map', `${index + 1}:s:0`]);
  const languages = subtitles.flatMap((subtitle, index) => [
    `-metadata:s:s:${index}`,
    `language=${subtitle.mp4Language}`,
  ]);
  // prettier-ignore
  return [
    ...COMMON,
    '-f', 'concat', '-safe', '0', '-i', safePath(listFile), ...inputs,
    '-map', '0:v', '-map', '0:a', ...maps, '-c', 'copy', ...(subtitles.length > 0 ? ['-c:s', 'mov_text', ...languages] : []),
    '-movflags', '+faststart',
    '-f', 'mp4', safePath(outputFile),
  ];
}
