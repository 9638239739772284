import MessageFormat from '@messageformat/core';
import { DEFAULT_UI_LANGUAGE, isUiLanguage, type UiLanguage } from '@pressroom/protocol';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The broadcast's own words (the slate's status line, the lower third's fallback heading). */
export type BroadcastKey = 'slate.soon' | 'slate.waiting' | 'slate.ended' | 'lowerThird.audience';

const CATALOGS = join(dirname(require.resolve('@pressroom/i18n/package.json')), 'catalogs');
const compiled = new Map<UiLanguage, Map<BroadcastKey, string>>();

/**
 * `key` in the event's language ("broadcast" section of libs/i18n/catalogs/<language>.json), English
 * when the event has none. Read once per language; the catalog test keeps every language complete.
 */
export function broadcastText(language: string | null | undefined, key: BroadcastKey): string {
  const lang = isUiLanguage(language) ? language : DEFAULT_UI_LANGUAGE;
  let texts = compiled.get(lang);
  if (!texts) {
    const read = (l: UiLanguage) =>
      (JSON.parse(readFileSync(join(CATALOGS, `${l}.json`), 'utf8')) as { broadcast: Record<string, string> })
        .broadcast;
    const messages = { ...read(DEFAULT_UI_LANGUAGE), ...read(lang) };
    const format = new MessageFormat(lang);
    texts = new Map(Object.entries(messages).map(([k, message]) => [k as BroadcastKey, format.compile(message)({})]));
    compiled.set(lang, texts);
  }
  return texts.get(key) ?? key;
}
