import { captionDisplayMs, type CaptionCueView } from '@pressroom/protocol';

/** MPEG-TS timestamps: 90 kHz, 33 bits (X-TIMESTAMP-MAP counts in them, RFC 8216 §3.5). */
const MPEGTS_HZ = 90_000;
const MPEGTS_WRAP = 2 ** 33;

/** A cue as the WebVTT segments show it: times in epoch ms. */
export interface TimedCue {
  id: string;
  text: string;
  start: number;
  end: number;
}

export function timedCue(cue: CaptionCueView): TimedCue {
  const start = Date.parse(cue.sentAt);
  return { id: cue.id, text: cue.text, start, end: start + captionDisplayMs(cue.text) };
}

/**
 * One WebVTT segment of a subtitles rendition: the cues shown during [from, to) (epoch ms of the video's
 * program date-time), each whole, with the times of the video segment it goes with: `mediaSeconds`, where
 * that segment starts on the video's media timeline (its tfdt), and `localMs`, where it starts on the
 * segment's own WebVTT timeline. So a cue's place in the picture is its time minus LOCAL after the video
 * time MPEGTS, whatever the player. Cue times are `anchor`-relative (the run's first segment), never
 * negative: a cue that began before the anchor starts at it.
 */
export function webvttSegment(options: {
  cues: readonly TimedCue[];
  from: number;
  to: number;
  anchor: number;
  mediaSeconds: number;
}): string {
  const { from, to, anchor } = options;
  const mpegts = Math.round(options.mediaSeconds * MPEGTS_HZ) % MPEGTS_WRAP;
  const lines = ['WEBVTT', `X-TIMESTAMP-MAP=MPEGTS:${mpegts},LOCAL:${vttTime(from - anchor)}`, ''];
  for (const cue of options.cues) {
    if (cue.end <= from || cue.start >= to) continue;
    const start = Math.max(cue.start, anchor) - anchor;
    const end = cue.end - anchor;
    const text = cueText(cue.text);
    if (end <= start || !text) continue;
    lines.push(cue.id.replace(/-->|[\r\n]/g, ''), `${vttTime(start)} --> ${vttTime(end)}`, text, '');
  }
  return `${lines.join('\n')}\n`;
}

/** `hh:mm:ss.mmm`. */
export function vttTime(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor(total / 60_000) % 60;
  const seconds = Math.floor(total / 1000) % 60;
  const millis = total % 1000;
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(millis, 3)}`;
}

/** The line as cue text: markup characters escaped (so no tag and no `-->`), no blank line (it would end the cue). */
function cueText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n');
}
