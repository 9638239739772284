import { SLATE_EPOCH_MS, slateKeyOf, slatePlaylist, slateSegmentsPerLoop, type SlateLoop } from './slate-loop';

const KEY = '0123456789abcdef';
const loop: SlateLoop = { key: KEY, segmentSeconds: 1, segments: slateSegmentsPerLoop(1) };

const tags = (text: string, tag: string) => text.split('\n').filter((line) => line.startsWith(tag));
const uris = (text: string) => text.split('\n').filter((line) => line && !line.startsWith('#'));

describe('slatePlaylist: a looping slate as a live playlist computed from the clock', () => {
  it('lists the finished segments of the last 6 s, the loop segment n mod its length', () => {
    const text = slatePlaylist(loop, SLATE_EPOCH_MS + 1_000_000_500); // segment 1,000,000 is half made
    expect(tags(text, '#EXT-X-MEDIA-SEQUENCE:')).toEqual(['#EXT-X-MEDIA-SEQUENCE:999994']);
    expect(uris(text)).toEqual([2, 3, 4, 5, 6, 7].map((i) => `s${KEY}-0000${i}.m4s`));
    expect(tags(text, '#EXT-X-PROGRAM-DATE-TIME:')[5]).toBe('#EXT-X-PROGRAM-DATE-TIME:2024-01-12T13:46:39.000Z');
    expect(text).toContain(`#EXT-X-MAP:URI="s${KEY}-init.mp4"`);
    expect(text).not.toContain('#EXT-X-ENDLIST');
  });

  it('marks each start of the loop as a discontinuity, counted in EXT-X-DISCONTINUITY-SEQUENCE as it slides', () => {
    const at = (segment: number) => slatePlaylist(loop, SLATE_EPOCH_MS + segment * 1000 + 1);
    const wrapped = at(8 * 1000 + 3); // lists 7997..8002: the loop starts over at 8000
    expect(uris(wrapped).map((uri) => uri.slice(18, 23))).toEqual([
      '00005',
      '00006',
      '00007',
      '00000',
      '00001',
      '00002',
    ]);
    expect(tags(wrapped, '#EXT-X-DISCONTINUITY-SEQUENCE:')).toEqual(['#EXT-X-DISCONTINUITY-SEQUENCE:999']);
    expect(wrapped.split('\n').indexOf('#EXT-X-DISCONTINUITY')).toBe(
      wrapped.split('\n').indexOf(`s${KEY}-00007.m4s`) + 1,
    );
    // Slid until the loop's first segment is the first listed: its discontinuity is now in the sequence.
    const slid = at(8 * 1000 + 6);
    expect(uris(slid)[0]).toBe(`s${KEY}-00000.m4s`);
    expect(tags(slid, '#EXT-X-DISCONTINUITY-SEQUENCE:')).toEqual(['#EXT-X-DISCONTINUITY-SEQUENCE:1000']);
    expect(slid).not.toContain('#EXT-X-DISCONTINUITY\n');
  });

  it('keeps media sequence numbers below 2^31 for thirty years (hls.js hangs the page above)', () => {
    const half: SlateLoop = { key: KEY, segmentSeconds: 0.5, segments: 16 };
    const in2054 = slatePlaylist(half, Date.UTC(2054, 0, 1));
    expect(Number(tags(in2054, '#EXT-X-MEDIA-SEQUENCE:')[0]!.split(':')[1])).toBeLessThan(2 ** 31);
  });

  it('half-second segments: 16 per 8 s loop, 12 listed, target duration 1', () => {
    const half: SlateLoop = { key: KEY, segmentSeconds: 0.5, segments: slateSegmentsPerLoop(0.5) };
    expect(half.segments).toBe(16);
    const text = slatePlaylist(half, Date.now());
    expect(uris(text)).toHaveLength(12);
    expect(text).toContain('#EXT-X-TARGETDURATION:1\n');
    expect(tags(text, '#EXTINF:')[0]).toBe('#EXTINF:0.500,');
  });

  it("knows a slate's file names, and nothing else", () => {
    expect(slateKeyOf(`s${KEY}-init.mp4`)).toBe(KEY);
    expect(slateKeyOf(`s${KEY}-00015.m4s`)).toBe(KEY);
    for (const name of [
      'index.m3u8',
      'r1-00001.m4s',
      `s${KEY}-1.m4s`,
      `s${KEY}-00001.m4s/..`,
      `s${KEY.toUpperCase()}-init.mp4`,
    ]) {
      expect(slateKeyOf(name)).toBeUndefined();
    }
  });
});
