import { parseMediaPlaylist, HlsPlaylist } from '../hls-playlist';
import { timedCue, vttTime, webvttSegment } from './webvtt';

const T0 = Date.parse('2026-12-05T10:00:00.000Z');
const cue = (id: string, at: number, text: string) =>
  timedCue({ id, participantId: 'p', language: 'es', text, sentAt: new Date(T0 + at).toISOString() });

describe('WebVTT segments of a captions rendition', () => {
  it('map the segment to the video: MPEGTS is its media time, LOCAL its place after the run anchor', () => {
    const text = webvttSegment({ cues: [], from: T0 + 1_500, to: T0 + 2_000, anchor: T0, mediaSeconds: 12.5 });
    expect(text).toBe('WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:1125000,LOCAL:00:00:01.500\n\n');
  });

  it('hold every cue shown during the segment, whole, with anchor-relative times', () => {
    const cues = [cue('a', 0, 'Hello.'), cue('b', 1_800, 'Long'), cue('c', 9_000, 'Later')];
    const text = webvttSegment({ cues, from: T0 + 2_000, to: T0 + 2_500, anchor: T0 + 500, mediaSeconds: 0 });
    expect(text).toContain('a\n00:00:00.000 --> 00:00:02.000\nHello.\n');
    expect(text).toContain('b\n00:00:01.300 --> 00:00:03.800\nLong\n');
    expect(text).not.toContain('Later');
  });

  it('escape markup, so no tag, entity or arrow comes from a line, and never end a cue early', () => {
    const text = webvttSegment({
      cues: [cue('x', 0, 'a <b>bold</b> & --> c\n\n\nnext line')],
      from: T0,
      to: T0 + 500,
      anchor: T0,
      mediaSeconds: 0,
    });
    expect(text).toContain('a &lt;b&gt;bold&lt;/b&gt; &amp; --&gt; c\nnext line\n');
  });

  it('count hours', () => {
    expect(vttTime(3_723_004)).toBe('01:02:03.004');
    expect(vttTime(-5)).toBe('00:00:00.000');
  });

  it('a WebVTT playlist (no init segment) is written and read back run by run', () => {
    const playlist = new HlsPlaylist();
    playlist.addRun(3, '');
    playlist.addSegments([{ uri: 'r3-subs-es-00000.vtt', duration: 0.5, programDateTime: '2026-12-05T10:00:00.000Z' }]);
    playlist.addRun(4, '');
    playlist.addSegments([{ uri: 'r4-subs-es-00000.vtt', duration: 0.5 }]);
    const text = playlist.render();
    expect(text).not.toContain('#EXT-X-MAP');
    expect(text).toContain('r3-subs-es-00000.vtt\n#EXT-X-DISCONTINUITY\n#EXTINF');
    const parsed = parseMediaPlaylist(text);
    expect(parsed.runs.map((run) => [run.id, run.init, run.segments.length])).toEqual([
      [3, '', 1],
      [4, '', 1],
    ]);
    expect(playlist.removeFirst(1)).toEqual(['r3-subs-es-00000.vtt']);
  });
});
