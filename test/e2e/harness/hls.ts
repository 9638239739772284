import { fetchAgain, parsePlaylist, type Playlist } from './media';

/**
 * The public entry point of a broadcast as a player reads it: `/hls/:slug/index.m3u8` is a media playlist
 * while a scheduled event shows its slate loop, and a multivariant playlist (the ladder) once it is live or
 * ended; a player then follows one of its variants (`v720.m3u8`, …, `audio.m3u8`).
 */
export const isMultivariant = (text: string): boolean => text.includes('#EXT-X-STREAM-INF');

/** The media playlists a multivariant playlist lists, in its order (highest first, audio-only last). */
export function variantsOf(text: string): string[] {
  const lines = text.split('\n').map((line) => line.trim());
  return lines.flatMap((line, i) => (line.startsWith('#EXT-X-STREAM-INF') && lines[i + 1] ? [lines[i + 1]!] : []));
}

/**
 * The media playlist a viewer of `hlsBase` (`…/hls/:slug`) gets: index.m3u8 itself when it is one (the
 * slate), else the variant `rendition` (by default the top one, v720) that the multivariant lists; `url`:
 * the media playlist's address (its segments' names are relative to `hlsBase`).
 */
export async function mediaPlaylistOf(hlsBase: string, rendition = 'v720'): Promise<Playlist & { url: string }> {
  const entry = `${hlsBase}/index.m3u8`;
  const response = await fetchAgain(entry);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET index.m3u8: ${response.status}`);
  if (!isMultivariant(text)) return { ...parsePlaylist(text), url: entry };
  const name = `${rendition}.m3u8`;
  if (!variantsOf(text).includes(name)) throw new Error(`index.m3u8 does not list ${name}:\n${text}`);
  const url = `${hlsBase}/${name}`;
  const media = await fetchAgain(url);
  if (media.status !== 200) throw new Error(`GET ${name}: ${media.status}`);
  return { ...parsePlaylist(await media.text()), url };
}

/** The number of a segment in its run: `r12-v720-00003.m4s` is 3. */
export const segmentNumber = (uri: string) => Number(/-(\d+)\.m4s$/.exec(uri)?.[1]);
