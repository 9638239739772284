import { HlsPlaylist, parseMediaPlaylist, runIdOf } from './hls-playlist';

/** What FFmpeg 5.1 writes for one run (its date-time has a `+0000` offset). */
const FFMPEG_RUN = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:1
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MAP:URI="r2-init.mp4"
#EXTINF:1.000000,
#EXT-X-PROGRAM-DATE-TIME:2026-11-21T21:02:02.217+0000
r2-00000.m4s
#EXTINF:1.000000,
#EXT-X-PROGRAM-DATE-TIME:2026-11-21T21:02:03.217+0000
r2-00001.m4s
#EXTINF:1.000000,
`;

describe('parseMediaPlaylist', () => {
  it("reads FFmpeg's run playlist, normalising date-times, and ignores an entry still being written", () => {
    expect(parseMediaPlaylist(FFMPEG_RUN)).toEqual({
      ended: false,
      runs: [
        {
          id: 2,
          init: 'r2-init.mp4',
          segments: [
            { uri: 'r2-00000.m4s', duration: 1, programDateTime: '2026-11-21T21:02:02.217Z' },
            { uri: 'r2-00001.m4s', duration: 1, programDateTime: '2026-11-21T21:02:03.217Z' },
          ],
        },
      ],
    });
  });

  it('sees the end list', () => {
    expect(parseMediaPlaylist(`${FFMPEG_RUN}r2-00002.m4s\n#EXT-X-ENDLIST\n`).ended).toBe(true);
  });

  it('knows the run of a file', () => {
    expect([runIdOf('r7-init.mp4'), runIdOf('r12-00003.m4s'), runIdOf('index.m3u8')]).toEqual([7, 12, undefined]);
  });
});

describe('HlsPlaylist', () => {
  const segment = (run: number, n: number, duration = 1) => ({
    uri: `r${run}-0000${n}.m4s`,
    duration,
    programDateTime: new Date(Date.UTC(2026, 0, 1, 10, 0, run * 10 + n)).toISOString(),
  });

  it('puts runs one after the other, each after a discontinuity and with its own init segment', () => {
    const playlist = new HlsPlaylist();
    playlist.addRun(1, 'r1-init.mp4');
    playlist.addSegments([segment(1, 0), segment(1, 1)]);
    playlist.addRun(2, 'r2-init.mp4');
    playlist.addSegments([segment(2, 0)]);
    expect(playlist.render()).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:7',
        '#EXT-X-TARGETDURATION:1',
        '#EXT-X-MEDIA-SEQUENCE:0',
        '#EXT-X-PLAYLIST-TYPE:EVENT',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES',
        '#EXT-X-MAP:URI="r1-init.mp4"',
        '#EXT-X-PROGRAM-DATE-TIME:2026-01-01T10:00:10.000Z',
        '#EXTINF:1.000000,',
        'r1-00000.m4s',
        '#EXT-X-PROGRAM-DATE-TIME:2026-01-01T10:00:11.000Z',
        '#EXTINF:1.000000,',
        'r1-00001.m4s',
        '#EXT-X-DISCONTINUITY',
        '#EXT-X-MAP:URI="r2-init.mp4"',
        '#EXT-X-PROGRAM-DATE-TIME:2026-01-01T10:00:20.000Z',
        '#EXTINF:1.000000,',
        'r2-00000.m4s',
        '',
      ].join('\n'),
    );
  });

  it('skips a run that made no segment: no empty discontinuity', () => {
    const playlist = new HlsPlaylist();
    playlist.addRun(1, 'r1-init.mp4');
    playlist.addSegments([segment(1, 0)]);
    playlist.addRun(2, 'r2-init.mp4');
    playlist.addRun(3, 'r3-init.mp4');
    playlist.addSegments([segment(3, 0)]);
    const text = playlist.render();
    expect(text.match(/#EXT-X-DISCONTINUITY/g)).toHaveLength(1);
    expect(text).not.toContain('r2-init.mp4');
  });

  it('keeps the target duration at least every rounded segment duration, and never lowers it', () => {
    const playlist = new HlsPlaylist();
    playlist.addRun(1, 'r1-init.mp4');
    playlist.addSegments([segment(1, 0, 0.4), segment(1, 1, 1.49)]);
    expect(playlist.render()).toContain('#EXT-X-TARGETDURATION:1\n');
    playlist.addSegments([segment(1, 2, 1.6)]);
    expect(playlist.render()).toContain('#EXT-X-TARGETDURATION:2\n');
    playlist.addSegments([segment(1, 3, 1)]);
    expect(playlist.render()).toContain('#EXT-X-TARGETDURATION:2\n');
  });

  it('lists half-second segments under a target duration of 1, as the spec rounds them', () => {
    const playlist = new HlsPlaylist();
    playlist.addRun(1, 'r1-init.mp4');
    playlist.addSegments([segment(1, 0, 0.5), segment(1, 1, 0.5), segment(1, 2, 0.533333)]);
    const text = playlist.render();
    expect(text).toContain('#EXT-X-TARGETDURATION:1\n');
    expect(text.match(/^#EXTINF:.*$/gm)).toEqual(['#EXTINF:0.500000,', '#EXTINF:0.500000,', '#EXTINF:0.533333,']);
    expect(HlsPlaylist.parse(text).render()).toBe(text);
  });

  it('closes with #EXT-X-ENDLIST and takes nothing after', () => {
    const playlist = new HlsPlaylist();
    playlist.addRun(1, 'r1-init.mp4');
    playlist.addSegments([segment(1, 0)]);
    playlist.end();
    expect(playlist.render().endsWith('r1-00000.m4s\n#EXT-X-ENDLIST\n')).toBe(true);
    expect(() => playlist.addSegments([segment(1, 1)])).toThrow();
  });

  it('reads back what it wrote, so a broadcast resumes after a restart', () => {
    const playlist = new HlsPlaylist();
    playlist.addRun(1, 'r1-init.mp4');
    playlist.addSegments([segment(1, 0), segment(1, 1)]);
    playlist.addRun(4, 'r4-init.mp4');
    playlist.addSegments([segment(4, 0)]);
    playlist.end();
    const again = HlsPlaylist.parse(playlist.render());
    expect(again.render()).toBe(playlist.render());
    expect([again.runIds, again.segmentCount, again.ended]).toEqual([[1, 4], 3, true]);
    again.reopen();
    again.addRun(5, 'r5-init.mp4');
    again.addSegments([segment(5, 0)]);
    expect(again.render()).toMatch(/r4-00000\.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="r5-init\.mp4"/);
  });

  describe('the live window', () => {
    /** Runs 1, 2 and 3 of three one-second segments each: sequence numbers 0-2, 3-5, 6-8. */
    const threeRuns = () => {
      const playlist = new HlsPlaylist();
      for (const run of [1, 2, 3]) {
        playlist.addRun(run, `r${run}-init.mp4`);
        playlist.addSegments([segment(run, 0), segment(run, 1), segment(run, 2)]);
      }
      return playlist;
    };
    const listed = (text: string) => text.split('\n').filter((line) => line && !line.startsWith('#'));
    const tag = (text: string, name: string) => new RegExp(`^#${name}:(.*)$`, 'm').exec(text)?.[1];

    it('lists the latest segments that fit in the window, at least three target durations', () => {
      const playlist = threeRuns();
      expect(playlist.windowStart(4)).toBe(5);
      expect(playlist.windowStart(4.5)).toBe(5);
      expect(playlist.windowStart(100)).toBe(0);
      // The spec's floor: three target durations (1 s here), even for a smaller window.
      expect(playlist.windowStart(1)).toBe(6);
      playlist.addSegments([segment(3, 3, 1.6)]); // the target duration becomes 2: six seconds at least
      expect(playlist.windowStart(1)).toBe(4);
    });

    it('numbers the first segment listed and the discontinuities that slid out, without a playlist type', () => {
      const text = threeRuns().render(4);
      expect(listed(text)).toEqual(['r2-00002.m4s', 'r3-00000.m4s', 'r3-00001.m4s', 'r3-00002.m4s']);
      expect(tag(text, 'EXT-X-MEDIA-SEQUENCE')).toBe('5');
      expect(tag(text, 'EXT-X-DISCONTINUITY-SEQUENCE')).toBe('1');
      expect(text).not.toContain('#EXT-X-PLAYLIST-TYPE');
      expect(text).not.toContain('#EXT-X-ENDLIST');
      // The run cut by the window keeps its init segment; the next one follows a discontinuity.
      expect(text).toContain(
        '#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES\n#EXT-X-MAP:URI="r2-init.mp4"\n',
      );
      expect(text.match(/#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="r3-init.mp4"/g)).toHaveLength(1);

      // A window starting exactly on a run: its discontinuity is counted, not listed.
      const three = threeRuns().render(3);
      expect([tag(three, 'EXT-X-MEDIA-SEQUENCE'), tag(three, 'EXT-X-DISCONTINUITY-SEQUENCE')]).toEqual(['6', '2']);
      expect(three).not.toContain('#EXT-X-DISCONTINUITY\n');
      expect(HlsPlaylist.parse(three).render(3)).toBe(three);
    });

    it('slides one segment at a time: the sequence numbers follow, the size stays the same', () => {
      const playlist = new HlsPlaylist();
      playlist.addRun(1, 'r1-init.mp4');
      const sizes = new Set<number>();
      for (let n = 0; n < 40; n++) {
        playlist.addSegments([{ uri: `r1-${String(n).padStart(5, '0')}.m4s`, duration: 1 }]);
        const text = playlist.render(10);
        expect(tag(text, 'EXT-X-MEDIA-SEQUENCE')).toBe(String(Math.max(0, n - 9)));
        expect(listed(text)[0]).toBe(`r1-${String(Math.max(0, n - 9)).padStart(5, '0')}.m4s`);
        if (n >= 19) sizes.add(text.length); // the media sequence number has two digits from then on
      }
      expect([...sizes]).toHaveLength(1);
    });

    it('forgets the oldest segments: the window is the same, their files and emptied runs are given back', () => {
      const windowBefore = threeRuns().render(4);
      const playlist = threeRuns();
      expect(playlist.removeFirst(4)).toEqual([
        'r1-00000.m4s',
        'r1-00001.m4s',
        'r1-00002.m4s',
        'r1-init.mp4',
        'r2-00000.m4s',
      ]);
      expect([playlist.mediaSequence, playlist.segmentCount, playlist.runIds]).toEqual([4, 5, [2, 3]]);
      expect(playlist.render(4)).toBe(windowBefore);
      const all = playlist.render();
      expect([tag(all, 'EXT-X-MEDIA-SEQUENCE'), tag(all, 'EXT-X-DISCONTINUITY-SEQUENCE')]).toEqual(['4', '1']);
      expect(HlsPlaylist.parse(all).render(4)).toBe(windowBefore);
      // The last run stays, even emptied (its next segments use its init segment).
      expect(playlist.removeFirst(100)).not.toContain('r3-init.mp4');
    });

    it('appends what came since a sequence number, as the whole playlist would list it', () => {
      const playlist = threeRuns();
      playlist.removeFirst(2);
      const before = playlist.render();
      const upTo = playlist.mediaSequence + playlist.segmentCount;
      playlist.addSegments([segment(3, 3)]);
      playlist.addRun(4, 'r4-init.mp4');
      playlist.addRun(5, 'r5-init.mp4');
      playlist.addSegments([segment(5, 0)]);
      expect(before + playlist.renderTail(upTo)).toBe(playlist.render());
      expect(playlist.renderTail(playlist.mediaSequence + playlist.segmentCount)).toBe('');
    });

    it('once ended: every segment kept, as a VOD playlist', () => {
      const playlist = threeRuns();
      playlist.removeFirst(3);
      playlist.end();
      const text = playlist.render(4);
      expect(listed(text)).toHaveLength(6);
      expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD\n');
      expect(text.endsWith('#EXT-X-ENDLIST\n')).toBe(true);
      expect([tag(text, 'EXT-X-MEDIA-SEQUENCE'), tag(text, 'EXT-X-DISCONTINUITY-SEQUENCE')]).toEqual(['3', '1']);
    });
  });
});
