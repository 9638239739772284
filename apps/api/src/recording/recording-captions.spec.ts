import type { CaptionCueView } from '@pressroom/protocol';
import { WebVTTParser } from 'webvtt-parser';
import type { HlsRun } from '../broadcast/hls-playlist';
import {
  CAPTION_FILE_PATTERN,
  captionFileOf,
  mp4LanguageOf,
  recordingTimeline,
  recordingWebVtt,
} from './recording-captions';

const T0 = Date.UTC(2026, 0, 1, 10, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const run = (id: number, from: number, count: number): HlsRun => ({
  id,
  init: `r${id}-init.mp4`,
  segments: Array.from({ length: count }, (_, i) => ({
    uri: `r${id}-${i}.m4s`,
    duration: 1,
    programDateTime: at(from + i),
  })),
});
const cue = (seconds: number, text: string, language = 'es'): CaptionCueView => ({
  id: `c${seconds}`,
  language,
  text,
  sentAt: at(seconds),
  participantId: 'p1',
});

describe('mp4LanguageOf (BCP 47 → ISO 639-2/T)', () => {
  it.each([
    ['es', 'spa'],
    ['fr', 'fra'],
    ['de-AT', 'deu'],
    ['zh-Hans-CN', 'zho'],
    ['en', 'eng'],
    ['fra', 'fra'],
    ['fre', 'fra'],
    ['qq', 'und'],
  ])('%s → %s', (tag, expected) => expect(mp4LanguageOf(tag)).toBe(expected));
});

describe('caption files', () => {
  it('are named by language and found again by name, nothing else', () => {
    expect(captionFileOf('es-MX')).toBe('recording.es-MX.vtt');
    expect(CAPTION_FILE_PATTERN.exec(captionFileOf('es-MX'))?.[1]).toBe('es-MX');
    for (const other of ['recording.mp4', 'recording..vtt', 'recording.es.vtt.part', 'index.vtt']) {
      expect(CAPTION_FILE_PATTERN.test(other)).toBe(false);
    }
  });
});

describe('recordingTimeline', () => {
  it('counts from the first segment, runs back to back, a gap shown at the next run, nothing past the end', () => {
    // Run 1 from 10 s for 5 s; run 2 from 17 s, cut at 20.5 s: the recording lasts 8.5 s.
    const time = recordingTimeline([run(1, 10, 5), run(2, 17, 10)], T0 + 20_500);
    expect(time(T0 + 9_000)).toBe(0);
    expect(time(T0 + 12_250)).toBeCloseTo(2.25, 6);
    expect(time(T0 + 16_000)).toBe(5);
    expect(time(T0 + 18_000)).toBe(6);
    expect(time(T0 + 20_400)).toBeCloseTo(8.4, 6);
    expect(time(T0 + 20_600)).toBeUndefined();
  });
});

describe('recordingWebVtt', () => {
  const time = recordingTimeline([run(1, 0, 30)], T0 + 30_000);

  it('times each line from when it was sent until the next, at most 4 s, and parses', () => {
    const vtt = recordingWebVtt(
      [cue(1, 'Uno'), cue(2.5, 'Dos <b> & --> tres'), cue(10, 'Cuatro'), cue(29, 'Fin')],
      time,
      30,
    );
    const parsed = new WebVTTParser().parse(vtt, 'subtitles');
    expect(parsed.errors).toEqual([]);
    expect(parsed.cues.map((c) => [c.startTime, c.endTime, c.text])).toEqual([
      [1, 2.5, 'Uno'],
      [2.5, 6.5, 'Dos &lt;b&gt; &amp; --&gt; tres'],
      [10, 14, 'Cuatro'],
      [29, 30, 'Fin'],
    ]);
    expect(vtt.startsWith('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\nUno\n')).toBe(true);
  });

  it('shows a line followed at once for half a second, keeps no empty line inside a cue, drops lines past the end', () => {
    const vtt = recordingWebVtt([cue(1, 'A'), cue(1.1, 'B\n\n  second line '), cue(31, 'Late')], time, 30);
    const parsed = new WebVTTParser().parse(vtt, 'subtitles');
    expect(parsed.errors).toEqual([]);
    expect(parsed.cues.map((c) => [c.startTime, c.endTime, c.text])).toEqual([
      [1, 1.5, 'A'],
      [1.1, 5.1, 'B\nsecond line'],
    ]);
    expect(recordingWebVtt([], time, 30)).toBe('WEBVTT\n');
  });
});
