import { AUDIO_ONLY_RENDITION, LANGUAGE_TAG_PATTERN, PROGRAM_INFO_FILE, VIDEO_RENDITIONS } from '@pressroom/protocol';

/**
 * The only files `/hls/:slug/` serves; anything else (the work dir, run playlists, `..`) is not found:
 * the multivariant `index.m3u8`, each rendition's media playlist (`v720.m3u8`, `audio.m3u8`), who is on
 * air (`program.json`, for audio-only listeners), each caption language's WebVTT playlist and segments
 * (`subs-es.m3u8`, `r12-subs-es-00003.vtt`), and the
 * runs' init and media segments (`r12-v720-init.mp4`, `r12-v720-00003.m4s`; `r12-init.mp4`,
 * `r12-00003.m4s` in recordings made before the ladder).
 */
const PLAYLIST = 'index.m3u8';
const LANGUAGE_TAG = LANGUAGE_TAG_PATTERN.source.slice(1, -1);
/** The video renditions, the floor's audio only, and each interpretation's (`audio-fr`). */
const RENDITION = `(?:${[...VIDEO_RENDITIONS.map((r) => r.name), AUDIO_ONLY_RENDITION].join('|')}|${AUDIO_ONLY_RENDITION}-(?:${LANGUAGE_TAG}))`;
const RENDITION_PLAYLIST = new RegExp(`^${RENDITION}\\.m3u8$`);
const INIT = new RegExp(`^r\\d{1,9}-(?:${RENDITION}-)?init\\.mp4$`);
const SEGMENT = new RegExp(`^r\\d{1,9}-(?:${RENDITION}-)?\\d{5,9}\\.m4s$`);
/** A caption language's WebVTT rendition (captions/subtitle-files.ts): `subs-es.m3u8`, `r12-subs-es-00003.vtt`. */
const LANGUAGE = `(?:${LANGUAGE_TAG})`;
const SUBTITLES_PLAYLIST = new RegExp(`^subs-${LANGUAGE}\\.m3u8$`);
const SUBTITLES_SEGMENT = new RegExp(`^r\\d{1,9}-subs-${LANGUAGE}-\\d{5,9}\\.vtt$`);

export type HlsFileKind = 'playlist' | 'init' | 'segment' | 'program' | 'subtitles';

export function hlsFileKind(name: string): HlsFileKind | undefined {
  if (name === PLAYLIST || RENDITION_PLAYLIST.test(name) || SUBTITLES_PLAYLIST.test(name)) return 'playlist';
  if (SUBTITLES_SEGMENT.test(name)) return 'subtitles';
  if (name === PROGRAM_INFO_FILE) return 'program';
  if (INIT.test(name)) return 'init';
  if (SEGMENT.test(name)) return 'segment';
  return undefined;
}

export const HLS_PLAYLIST = PLAYLIST;

export const HLS_CONTENT_TYPES: Record<HlsFileKind, string> = {
  playlist: 'application/vnd.apple.mpegurl',
  init: 'video/mp4',
  segment: 'video/iso.segment',
  program: 'application/json',
  subtitles: 'text/vtt; charset=utf-8',
};

/**
 * CDN-friendly caching: a live playlist changes every segment, so a shared cache (a CDN, nginx) keeps it
 * for a second (`s-maxage`), while a browser asks again each time (`max-age=0`: a 304 when unchanged): a
 * player that reloads it every half-second segment would otherwise get every other reload from its own
 * cache and learn of new segments a second late, which emptied its buffer at the default latency; a
 * closed one (the recording) for a minute, so the purge takes it down soon after; segments and init
 * segments never change once listed (every FFmpeg run has its own file names).
 */
export function hlsCacheControl(kind: HlsFileKind, playlistEnded: boolean): string {
  if (kind !== 'playlist' && kind !== 'program') return 'public, max-age=31536000, immutable';
  return playlistEnded ? 'public, max-age=60' : 'public, max-age=0, s-maxage=1';
}
