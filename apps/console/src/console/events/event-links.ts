/** The audience's page of an event: `<origin>/<slug>`. */
export function viewerLink(slug: string, origin: string = location.origin): string {
  return `${origin}/${encodeURIComponent(slug)}`;
}

/** The event's broadcast, as hls.js plays it. */
export function hlsPlaylist(slug: string): string {
  return `/hls/${encodeURIComponent(slug)}/index.m3u8`;
}
