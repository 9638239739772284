/**
 * The catalogs (libs/i18n/catalogs/<language>.json) stay complete: every language has exactly the keys of
 * the English one in each section — a key missing is English left on someone's screen, a key English no
 * longer has is a translator's wasted work — and each message is one its reader can format: it parses, and
 * it has the same placeholders as the English message (a "{count}" dropped or renamed shows as nothing).
 */
import MessageFormat from '@messageformat/core';
import { parse, type Token } from '@messageformat/parser';
import { DEFAULT_UI_LANGUAGE, UI_LANGUAGES, type UiLanguage } from '@pressroom/protocol';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CATALOGS = join(__dirname, '..', 'catalogs');
const SECTIONS = ['page', 'broadcast', 'console', 'privacy'] as const;
type Section = (typeof SECTIONS)[number];
type Catalog = Record<Section, Record<string, string>>;

const read = (language: string): Catalog => JSON.parse(readFileSync(join(CATALOGS, `${language}.json`), 'utf8'));
const english = read(DEFAULT_UI_LANGUAGE);
const others = UI_LANGUAGES.filter((language) => language !== DEFAULT_UI_LANGUAGE);

/** The arguments an ICU message uses, sorted: `{name}`, `{count, plural, …}` and those inside its cases. */
function icuArguments(message: string): string[] {
  const found = new Set<string>();
  const walk = (tokens: Token[]) => {
    for (const token of tokens) {
      if (token.type === 'argument' || token.type === 'function') found.add(token.arg);
      if (token.type === 'plural' || token.type === 'select' || token.type === 'selectordinal') {
        found.add(token.arg);
        for (const { tokens: inner } of token.cases) walk(inner);
      }
    }
  };
  walk(parse(message));
  return [...found].sort();
}

/** Angular's placeholders (`{$INTERPOLATION}`, `{$START_TAG_STRONG}`) and ICU variables of a console message. */
function angularPlaceholders(message: string): string[] {
  return [
    ...new Set([...message.matchAll(/\{\$([A-Z0-9_]+)\}|\{(VAR_[A-Z]+(?:_\d+)?),/g)].map((m) => m[1] ?? m[2])),
  ].sort();
}

describe('the catalogs', () => {
  it('are one file per page language, each with the same sections', () => {
    const files = readdirSync(CATALOGS)
      .filter((name) => name.endsWith('.json'))
      .sort();
    expect(files).toEqual(UI_LANGUAGES.map((language) => `${language}.json`).sort());
    for (const language of UI_LANGUAGES) expect(Object.keys(read(language))).toEqual([...SECTIONS]);
  });

  it.each(others)('%s has every key of the English catalog, and no other', (language: UiLanguage) => {
    const catalog = read(language);
    for (const section of SECTIONS) {
      const keys = new Set(Object.keys(catalog[section]));
      const englishKeys = new Set(Object.keys(english[section]));
      expect({ section, missing: [...englishKeys].filter((key) => !keys.has(key)) }).toEqual({ section, missing: [] });
      expect({ section, extra: [...keys].filter((key) => !englishKeys.has(key)) }).toEqual({ section, extra: [] });
    }
  });

  it.each(UI_LANGUAGES)('%s: every message formats, with the placeholders of the English one', (language) => {
    const catalog = read(language);
    const format = new MessageFormat(language);
    const wrong: string[] = [];
    for (const section of ['page', 'broadcast', 'privacy'] as const) {
      for (const [key, message] of Object.entries(catalog[section])) {
        try {
          format.compile(message);
          const expected = english[section][key];
          if (!message.trim()) wrong.push(`${section} ${key}: empty`);
          else if (expected !== undefined && icuArguments(message).join() !== icuArguments(expected).join()) {
            wrong.push(
              `${section} ${key}: {${icuArguments(message).join('}, {')}} where English has {${icuArguments(expected).join('}, {')}}`,
            );
          }
        } catch (error) {
          wrong.push(`${section} ${key}: ${(error as Error).message}`);
        }
      }
    }
    for (const [key, message] of Object.entries(catalog.console)) {
      const expected = english.console[key];
      if (!message.trim()) wrong.push(`console ${key}: empty`);
      else if (expected !== undefined && angularPlaceholders(message).join() !== angularPlaceholders(expected).join()) {
        wrong.push(
          `console ${key}: ${angularPlaceholders(message).join(', ')} where English has ${angularPlaceholders(expected).join(', ')}`,
        );
      }
    }
    expect(wrong).toEqual([]);
  });
});
