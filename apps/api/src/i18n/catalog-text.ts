import MessageFormat from '@messageformat/core';
import { DEFAULT_UI_LANGUAGE, isUiLanguage, type UiLanguage } from '@pressroom/protocol';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The sections of a catalog file (libs/i18n/catalogs/<language>.json) the server says itself. */
export type ServerSection = 'broadcast' | 'privacy';

/** Formats one message of a section in one language: `say('retention.deleted', { hours: 24 })`. */
export type Say = (key: string, params?: Record<string, string | number>) => string;

type MessageFunction = (params?: Record<string, unknown>) => string;

const CATALOGS = join(dirname(require.resolve('@pressroom/i18n/package.json')), 'catalogs');
const compiled = new Map<string, Map<string, MessageFunction>>();

/**
 * The messages of `section` in `language` (English when the language is not one of the pages'), compiled
 * once per section and language by MessageFormat (plurals by the language's rules). A key a language lacks
 * is English; the catalog test keeps every language complete.
 */
export function catalogText(section: ServerSection, language: string | null | undefined): Say {
  const lang: UiLanguage = isUiLanguage(language) ? language : DEFAULT_UI_LANGUAGE;
  const id = `${section}/${lang}`;
  let messages = compiled.get(id);
  if (!messages) {
    const read = (l: UiLanguage) =>
      (JSON.parse(readFileSync(join(CATALOGS, `${l}.json`), 'utf8')) as Record<string, Record<string, string>>)[
        section
      ] ?? {};
    const format = new MessageFormat(lang);
    const sources = { ...read(DEFAULT_UI_LANGUAGE), ...read(lang) };
    messages = new Map(Object.entries(sources).map(([key, message]) => [key, format.compile(message)]));
    compiled.set(id, messages);
  }
  const table = messages;
  return (key, params) => {
    const message = table.get(key);
    if (!message) throw new Error(`No message "${key}" in the "${section}" section of the catalogs`);
    return message(params);
  };
}
