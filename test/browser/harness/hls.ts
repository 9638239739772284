import { fetchAgain, parsePlaylist, type Playlist } from '../../e2e/harness/media';

/** The top rendition's media playlist (the one the recording keeps), as a live/ended event's multivariant names it. */
export const TOP_RENDITION = 'v720.m3u8';

/**
 * The media playlist a player reads for the full-size picture, from the public entry point `…/hls/:slug/
 * index.m3u8`: a live or ended event's entry point is a multivariant playlist; this follows it to its top
 * rendition (and fails if the multivariant does not name it). A scheduled event's slate is already a media
 * playlist: returned as it is.
 */
export async function mediaPlaylistOf(indexUrl: string): Promise<Playlist> {
  const response = await fetchAgain(indexUrl);
  if (response.status !== 200) throw new Error(`GET ${indexUrl}: ${response.status}`);
  const text = await response.text();
  if (!text.includes('#EXT-X-STREAM-INF')) return parsePlaylist(text);
  const variants = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  if (!variants.includes(TOP_RENDITION)) throw new Error(`${indexUrl} names no ${TOP_RENDITION}:\n${text}`);
  const media = await fetchAgain(new URL(TOP_RENDITION, indexUrl).href);
  if (media.status !== 200) throw new Error(`GET ${TOP_RENDITION}: ${media.status}`);
  return parsePlaylist(await media.text());
}
