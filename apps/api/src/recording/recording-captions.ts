import { RECORDING_CAPTION_MAX_SECONDS, type CaptionCueView } from '@pressroom/protocol';
import langs from 'langs';
import type { HlsRun } from '../broadcast/hls-playlist';
import { durationOf } from './recording-export';

/** A caption language's WebVTT file in the event's directory, beside the MP4: the purge deletes them all. */
export const captionFileOf = (language: string) => `recording.${language}.vtt`;
/** The languages of the caption files in a directory listing, in their order. */
export const CAPTION_FILE_PATTERN = /^recording\.([a-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,2})\.vtt$/;

/** The shortest a line shows when the next one follows at once (lines may then overlap), seconds. */
const MIN_CUE_SECONDS = 0.5;

/**
 * A BCP 47 tag as an MP4's language (ISO 639-2/T, three letters): its primary language subtag through the
 * ISO 639 tables of `langs` (`es` → `spa`, `de-AT` → `deu`); `und` when it is none of them.
 */
export function mp4LanguageOf(tag: string): string {
  const primary = tag.split('-')[0]!.toLowerCase();
  const language =
    primary.length === 2 ? langs.where('1', primary) : (langs.where('2T', primary) ?? langs.where('2B', primary));
  return language?.['2T'] ?? (langs.where('3', primary) ? primary : 'und');
}

/**
 * Where an instant (epoch ms) falls in the recording, seconds: the recording is its runs back to back, each
 * from its first segment's program date-time (the first run's is 0 s), the last cut at `endsAt`. An instant
 * between two runs (a composite being replaced) shows at the start of the next one; undefined: after the end.
 */
export function recordingTimeline(runs: readonly HlsRun[], endsAt: number): (at: number) => number | undefined {
  const parts: { from: number; seconds: number; offset: number }[] = [];
  let offset = 0;
  for (const run of runs) {
    const first = run.segments[0]?.programDateTime;
    if (!first) continue;
    const from = Date.parse(first);
    const seconds = Math.max(0, Math.min(durationOf([run]), (endsAt - from) / 1000));
    parts.push({ from, seconds, offset });
    offset += seconds;
  }
  return (at) => {
    for (const part of parts) {
      const into = (at - part.from) / 1000;
      if (into < part.seconds) return part.offset + Math.max(0, into);
    }
    return undefined;
  };
}

/**
 * One language's cues as a WebVTT file timed against the recording: each line from when it was sent until
 * the next one, at most `RECORDING_CAPTION_MAX_SECONDS`, never past the recording's end.
 */
export function recordingWebVtt(
  cues: readonly CaptionCueView[],
  at: (sentAt: number) => number | undefined,
  durationSeconds: number,
): string {
  const timed = cues
    .map((cue) => ({ start: at(Date.parse(cue.sentAt)), text: cue.text }))
    .filter((cue): cue is { start: number; text: string } => cue.start !== undefined && cue.start < durationSeconds);
  const blocks = timed.map((cue, index) => {
    const next = timed[index + 1]?.start ?? Number.POSITIVE_INFINITY;
    const end = Math.min(
      durationSeconds,
      Math.max(cue.start + MIN_CUE_SECONDS, Math.min(next, cue.start + RECORDING_CAPTION_MAX_SECONDS)),
    );
    return `${index + 1}\n${timestamp(cue.start)} --> ${timestamp(Math.max(end, cue.start + 0.001))}\n${payload(cue.text)}`;
  });
  return ['WEBVTT', ...blocks].join('\n\n') + '\n';
}

/** `hh:mm:ss.ttt`. */
function timestamp(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
}

/** A line as cue text: markup characters escaped (so `-->` cannot end it), no empty line inside. */
function payload(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .join('\n');
}
