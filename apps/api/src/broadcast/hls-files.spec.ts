import { hlsCacheControl, hlsFileKind } from './hls-files';

describe('HLS file names', () => {
  it('knows the playlist, init segments and media segments', () => {
    expect(hlsFileKind('index.m3u8')).toBe('playlist');
    expect(hlsFileKind('r12-init.mp4')).toBe('init');
    expect(hlsFileKind('r12-00042.m4s')).toBe('segment');
  });

  it("knows each rendition's media playlist, init segments and segments", () => {
    for (const name of ['v720', 'v480', 'v360', 'audio']) {
      expect(hlsFileKind(`${name}.m3u8`)).toBe('playlist');
      expect(hlsFileKind(`r3-${name}-init.mp4`)).toBe('init');
      expect(hlsFileKind(`r3-${name}-00007.m4s`)).toBe('segment');
    }
  });

  it('serves nothing else: run playlists, work files, dot files, traversal', () => {
    for (const name of [
      'r12.m3u8',
      'work',
      'title.txt',
      '.index.m3u8',
      '../index.m3u8',
      'r1-00001.m4s.tmp',
      'r1-1.m4s',
      'index.m3u8/',
      'r12-v720.m3u8',
      'v1080.m3u8',
      'v720x.m3u8',
      'r3-v999-init.mp4',
      'r3-v720-00007.m4s.tmp',
      'r3--00007.m4s',
    ]) {
      expect(hlsFileKind(name)).toBeUndefined();
    }
  });

  it('caches playlists briefly and segments for good', () => {
    expect(hlsCacheControl('playlist', false)).toBe('public, max-age=0, s-maxage=1');
    expect(hlsCacheControl('playlist', true)).toBe('public, max-age=60');
    expect(hlsCacheControl('segment', false)).toBe('public, max-age=31536000, immutable');
    expect(hlsCacheControl('init', true)).toBe('public, max-age=31536000, immutable');
  });
});
