import { fetchAgain, parsePlaylist, type Playlist } from './media';

/** The public entry point of an event's HLS, `…/hls/:slug/index.m3u8`. */
export const entryPointOf = (hlsBase: string) => `${hlsBase}/index.m3u8`;

/** The media playlists a multivariant playlist lists (in its order: the ladder highest first, then audio). */
export function variantsOf(text: string): string[] {
  if (!text.includes('#EXT-X-STREAM-INF')) return [];
  const lines = text.split('\n').map((line) => line.trim());
  return lines.flatMap((line, i) => (line.startsWith('#EXT-X-STREAM-INF') && lines[i + 1] ? [lines[i + 1]!] : []));
}

/**
 * What a player plays from `…/hls/:slug` (`hlsBase`): the entry point when it is a media playlist (a
 * scheduled event's slate), else the first variant the multivariant playlist lists (v720: the top of the
 * ladder, the one the recording is made of). Its segments' names are relative to `hlsBase`.
 */
export async function mediaPlaylistOf(hlsBase: string): Promise<Playlist & { url: string }> {
  const entry = entryPointOf(hlsBase);
  const response = await fetchAgain(entry);
  if (response.status !== 200) throw new Error(`GET ${entry}: ${response.status}`);
  const text = await response.text();
  const variant = variantsOf(text)[0];
  if (!variant) return { ...parsePlaylist(text), url: entry };
  const url = `${hlsBase}/${variant}`;
  const media = await fetchAgain(url);
  if (media.status !== 200) throw new Error(`GET ${url}: ${media.status}`);
  return { ...parsePlaylist(await media.text()), url };
}

/** The number of a segment in its run: `r12-v720-00003.m4s` is 3. */
export const segmentNumber = (uri: string) => Number(/-(\d+)\.m4s$/.exec(uri)?.[1]);
