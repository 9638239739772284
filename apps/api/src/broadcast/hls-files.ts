/** The only files `/hls/:slug/` serves; anything else (the work dir, run playlists, `..`) is not found. */
const PLAYLIST = 'index.m3u8';
const INIT = /^r\d{1,9}-init\.mp4$/;
const SEGMENT = /^r\d{1,9}-\d{5,9}\.m4s$/;

export type HlsFileKind = 'playlist' | 'init' | 'segment';

export function hlsFileKind(name: string): HlsFileKind | undefined {
  if (name === PLAYLIST) return 'playlist';
  if (INIT.test(name)) return 'init';
  if (SEGMENT.test(name)) return 'segment';
  return undefined;
}

export const HLS_PLAYLIST = PLAYLIST;

export const HLS_CONTENT_TYPES: Record<HlsFileKind, string> = {
  playlist: 'application/vnd.apple.mpegurl',
  init: 'video/mp4',
  segment: 'video/iso.segment',
};

/**
 * CDN-friendly caching: a live playlist changes every segment, so it is cached for a second; a
 * closed one (the recording) for a minute, so the purge takes it down soon after; segments and init
 * segments never change once listed (every FFmpeg run has its own file names).
 */
export function hlsCacheControl(kind: HlsFileKind, playlistEnded: boolean): string {
  if (kind !== 'playlist') return 'public, max-age=31536000, immutable';
  return playlistEnded ? 'public, max-age=60' : 'public, max-age=1';
}
