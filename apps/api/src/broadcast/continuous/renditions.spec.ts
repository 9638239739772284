import { parseLadder } from '@pressroom/protocol';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  endedMultivariant,
  interpretationPlaylistsIn,
  mediaPlaylistsOf,
  multivariantPlaylist,
  recordingPlaylistOf,
  renditionNames,
  subtitlePlaylistsIn,
} from './renditions';

describe('the ladder (HLS_LADDER)', () => {
  it('reads distinct known heights, highest first', () => {
    expect(parseLadder('360,720')?.map((r) => r.name)).toEqual(['v720', 'v360']);
    expect(parseLadder('720')?.map((r) => r.name)).toEqual(['v720']);
    expect(parseLadder(' 720 , 480 ')?.map((r) => r.name)).toEqual(['v720', 'v480']);
    for (const bad of ['', '1080', '720,720', '720;480', 'abc', '720,']) expect(parseLadder(bad)).toBeUndefined();
  });

  it('always adds the audio-only rendition', () => {
    expect(renditionNames(parseLadder('720')!)).toEqual(['v720', 'audio']);
  });
});

describe('the multivariant playlist', () => {
  const text = multivariantPlaylist(parseLadder('720,480,360')!);

  it('lists each video rendition with its rates, codecs, size and frame rate, then audio only', () => {
    expect(text).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:7',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-STREAM-INF:BANDWIDTH=3713180,AVERAGE-BANDWIDTH=2785680,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=30.000',
        'v720.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=1532760,AVERAGE-BANDWIDTH=1161760,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=854x480,FRAME-RATE=30.000',
        'v480.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=783340,AVERAGE-BANDWIDTH=597840,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=30.000',
        'v360.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=84480,AVERAGE-BANDWIDTH=76800,CODECS="mp4a.40.2"',
        'audio.m3u8',
        '',
      ].join('\n'),
    );
  });

  it('names the media playlists of a directory, the top video rendition first for the recording', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pressroom-renditions-'));
    try {
      expect(await mediaPlaylistsOf(dir)).toEqual([]);
      await writeFile(join(dir, 'index.m3u8'), '#EXTM3U\n#EXT-X-MAP:URI="r1-init.mp4"\n#EXTINF:1,\nr1-00000.m4s\n');
      expect(await recordingPlaylistOf(dir)).toBe('index.m3u8');
      await writeFile(join(dir, 'index.m3u8'), text.replace('v480.m3u8', '../../etc/passwd'));
      expect(await mediaPlaylistsOf(dir)).toEqual(['v720.m3u8', 'v360.m3u8', 'audio.m3u8']);
      expect(await recordingPlaylistOf(dir)).toBe('v720.m3u8');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('an ended event’s multivariant playlist', () => {
  it('offers the top rendition alone: the only one kept for the whole event', () => {
    const ended = endedMultivariant(multivariantPlaylist(parseLadder('720,480,360')!));
    expect(ended.match(/#EXT-X-STREAM-INF/g)).toHaveLength(1);
    expect(ended).toContain('RESOLUTION=1280x720');
    expect(ended.trim().split('\n').at(-1)).toBe('v720.m3u8');
    expect(ended).not.toMatch(/v480|v360|audio\.m3u8/);
  });

  it('leaves a media playlist (a recording made before the ladder) as it is', () => {
    const media = '#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\nr1-00001.m4s\n#EXT-X-ENDLIST\n';
    expect(endedMultivariant(media)).toBe(media);
  });
});

describe('caption and interpretation languages in the multivariant playlist', () => {
  const ladder = parseLadder('720,360')!;
  const text = multivariantPlaylist(ladder, { subtitles: ['es', 'fr'], interpretations: ['de'] });

  it('lists each caption language as a subtitles rendition and each interpretation as an alternate audio one', () => {
    expect(text).toContain(
      '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",LANGUAGE="es",NAME="Español",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="subs-es.m3u8"',
    );
    expect(text).toContain('#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Floor",DEFAULT=YES,AUTOSELECT=YES\n');
    expect(text).toContain('LANGUAGE="de",NAME="Deutsch",DEFAULT=NO,AUTOSELECT=YES,URI="audio-de.m3u8"');
    const variants = text.split('\n').filter((line) => line.startsWith('#EXT-X-STREAM-INF'));
    expect(variants).toHaveLength(3);
    for (const variant of variants) expect(variant).toContain('SUBTITLES="subs"');
    expect(variants.filter((variant) => variant.includes('AUDIO="aud"'))).toHaveLength(2);
    expect(subtitlePlaylistsIn(text)).toEqual(['subs-es.m3u8', 'subs-fr.m3u8']);
  });

  it('once ended: the captions and the interpretations stay (both kept whole), with the top rendition alone', () => {
    const ended = endedMultivariant(text);
    expect(ended).toContain('subs-es.m3u8');
    expect(ended).toContain('#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Floor",DEFAULT=YES,AUTOSELECT=YES\n');
    expect(ended).toContain('URI="audio-de.m3u8"');
    const variants = ended.split('\n').filter((line) => line.startsWith('#EXT-X-STREAM-INF'));
    expect(variants).toHaveLength(1);
    expect(variants[0]).toContain('AUDIO="aud"');
    expect(interpretationPlaylistsIn(ended)).toEqual([{ language: 'de', playlist: 'audio-de.m3u8' }]);
  });

  it('reads only interpretation playlists of their own name from the audio renditions', () => {
    const odd = '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",LANGUAGE="fr",NAME="x",URI="../secret.m3u8"\n';
    expect(interpretationPlaylistsIn(odd)).toEqual([]);
  });

  it('without any, the playlist is as before', () => {
    expect(multivariantPlaylist(ladder, { subtitles: [], interpretations: [] })).toBe(multivariantPlaylist(ladder));
    expect(multivariantPlaylist(ladder)).not.toContain('#EXT-X-MEDIA');
  });
});
