import { AUDIO_ONLY_KBPS } from '@pressroom/protocol';
import { COMMON, safePath } from '../broadcast/ffmpeg-command';

/**
 * An interpretation language's sound in one run: its rendition's segments of the run (a playlist), or
 * silence as long as the run when the language had none in it (every part must have the same streams).
 */
export type RecordingRunAudio = { playlist: string } | { silenceSeconds: number };

/**
 * One run of the broadcast (a playlist of its segments) as a part of the recording, without another encoding: its
 * segments all share one profile (H.264 High 1280x720 30 fps, AAC), so a remux is enough (seconds). Each
 * interpretation language's sound of the run follows the floor's as one more audio stream, in the order given.
 */
export function recordingRemuxArgs(
  playlistFile: string,
  outputFile: string,
  maxSeconds?: number,
  interpretations: readonly RecordingRunAudio[] = [],
): string[] {
  // The end can be cut at any frame (no B-frames); the start only at a keyframe (a segment's start).
  const limit = maxSeconds !== undefined && maxSeconds > 0 ? ['-t', maxSeconds.toFixed(3)] : [];
  const inputs = interpretations.flatMap((audio) =>
    'playlist' in audio
      ? ['-i', safePath(audio.playlist)]
      : ['-f', 'lavfi', '-t', audio.silenceSeconds.toFixed(3), '-i', 'anullsrc=r=48000:cl=stereo'],
  );
  const maps = interpretations.flatMap((_, index) => ['-map', `${index + 1}:a:0`]);
  // Silence is encoded as the broadcast encodes an interpretation (AAC-LC, 48 kHz stereo), so the parts join.
  const encodes = interpretations.flatMap((audio, index) =>
    'playlist' in audio ? [] : [`-c:a:${index + 1}`, 'aac', `-b:a:${index + 1}`, `${AUDIO_ONLY_KBPS}k`],
  );
  // prettier-ignore
  return [
    ...COMMON,
    '-i', safePath(playlistFile), ...inputs,
    '-map', '0:v:0', '-map', '0:a:0', ...maps, '-c', 'copy', ...encodes, '-avoid_negative_ts', 'make_zero', ...limit,
    '-f', 'mp4', safePath(outputFile),
  ];
}

/** An interpretation language as an audio track of the MP4, after the floor's. */
export interface RecordingAudioTrack {
  /** ISO 639-2/T, as MP4 names languages. */
  mp4Language: string;
  /** What players show: "Interpretation: French". */
  title: string;
}

/** The floor's track's name in players. */
export const FLOOR_TRACK_TITLE = 'Floor';

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
  interpretations: readonly RecordingAudioTrack[] = [],
): string[] {
  const inputs = subtitles.flatMap((subtitle) => ['-f', 'webvtt', '-i', safePath(subtitle.file)]);
  const maps = subtitles.flatMap((_, index) => ['-map', `${index + 1}:s:0`]);
  const languages = subtitles.flatMap((subtitle, index) => [
    `-metadata:s:s:${index}`,
    `language=${subtitle.mp4Language}`,
  ]);
  // The floor's sound first and the default one; then each interpretation with its language and name.
  const audio =
    interpretations.length === 0
      ? []
      : [
          '-metadata:s:a:0',
          `handler_name=${FLOOR_TRACK_TITLE}`,
          '-disposition:a:0',
          'default',
          ...interpretations.flatMap((track, index) => [
            `-metadata:s:a:${index + 1}`,
            `language=${track.mp4Language}`,
            `-metadata:s:a:${index + 1}`,
            `handler_name=${track.title}`,
            `-disposition:a:${index + 1}`,
            '0',
          ]),
        ];
  // prettier-ignore
  return [
    ...COMMON,
    '-f', 'concat', '-safe', '0', '-i', safePath(listFile), ...inputs,
    '-map', '0:v', '-map', '0:a', ...maps, '-c', 'copy', ...(subtitles.length > 0 ? ['-c:s', 'mov_text', ...languages] : []), ...audio,
    '-movflags', '+faststart',
    '-f', 'mp4', safePath(outputFile),
  ];
}
