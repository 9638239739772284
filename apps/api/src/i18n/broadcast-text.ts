import { catalogText } from './catalog-text';

/** The broadcast's own words (the slate's status line, the lower third's fallback heading). */
export type BroadcastKey = 'slate.soon' | 'slate.waiting' | 'slate.ended' | 'lowerThird.audience';

/** `key` in the event's language ("broadcast" section of libs/i18n/catalogs/<language>.json), English when the event has none. */
export function broadcastText(language: string | null | undefined, key: BroadcastKey): string {
  return catalogText('broadcast', language)(key);
}
