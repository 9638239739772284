/**
 * Captions in the broadcast (issue 14): each caption language is a WebVTT subtitles rendition of the HLS,
 * `subs-<language>.m3u8` in the group `subs` of the multivariant playlist, its segments in step with the
 * video's. A cue starts when its line was sent and shows for `captionDisplayMs` (longer lines longer);
 * lines sent close together show together, the newest last (as roll-up captions do).
 */
export const SUBTITLES_GROUP = 'subs';

/** The media playlist of a caption language: `subs-es.m3u8`. */
export const subtitlesPlaylist = (language: string): string => `subs-${language}.m3u8`;

export const CAPTION_MIN_DISPLAY_MS = 2_500;
export const CAPTION_MAX_DISPLAY_MS = 7_000;

/** How long a caption line shows: 1.5 s and 60 ms a character, within 2.5–7 s. */
export function captionDisplayMs(text: string): number {
  const ms = 1_500 + 60 * [...text].length;
  return Math.min(CAPTION_MAX_DISPLAY_MS, Math.max(CAPTION_MIN_DISPLAY_MS, ms));
}

/** A language's name in itself (`es` → `español`), for menus and the playlist's NAME; the tag if unknown. */
export function languageName(language: string): string {
  try {
    const name = new Intl.DisplayNames([language], { type: 'language' }).of(language);
    if (name && name !== language) return name.charAt(0).toLocaleUpperCase(language) + name.slice(1);
  } catch {
    // not a tag Intl knows
  }
  return language;
}
