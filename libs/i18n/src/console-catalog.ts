import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UI_LANGUAGES, type UiLanguage } from '../../protocol/src/languages';

/**
 * The "console" section of the catalogs (libs/i18n/catalogs/<language>.json): Angular's messages of the
 * moderators' console and the speaker studio, id → message in Angular's target syntax (`{$INTERPOLATION}`,
 * `{$START_TAG_STRONG}`, ICU plurals as Angular writes them). English is extracted from the sources
 * (`npm run i18n:extract`); the other languages are translated by hand. The section is the last key of each
 * file and is rewritten alone, so that the other sections (the event page's, the broadcast's) are left as
 * they are.
 */
export const CATALOG_DIR = join(__dirname, '..', 'catalogs');

export type ConsoleMessages = Record<string, string>;

export function catalogPath(language: UiLanguage): string {
  return join(CATALOG_DIR, `${language}.json`);
}

export function readConsoleMessages(language: UiLanguage): ConsoleMessages {
  const catalog = JSON.parse(readFileSync(catalogPath(language), 'utf8')) as { console?: ConsoleMessages };
  return catalog.console ?? {};
}

/** Rewrites the "console" section of a catalog (as its last key, 2-space JSON), leaving the rest of the file as it is. */
export function writeConsoleMessages(language: UiLanguage, messages: ConsoleMessages): void {
  const path = catalogPath(language);
  const text = readFileSync(path, 'utf8');
  const sorted = Object.fromEntries(Object.entries(messages).sort(([a], [b]) => a.localeCompare(b, 'en')));
  const section = JSON.stringify(sorted, null, 2).replace(/\n/g, '\n  ');
  const start = text.search(/\n {2}"console": /);
  if (start < 0) {
    const catalog = JSON.parse(text) as Record<string, unknown>;
    catalog['console'] = sorted;
    writeFileSync(path, `${JSON.stringify(catalog, null, 2)}\n`);
    return;
  }
  const rewritten = `${text.slice(0, start)}\n  "console": ${section}\n}\n`;
  const parsed = JSON.parse(rewritten) as Record<string, unknown>;
  if (Object.keys(parsed).at(-1) !== 'console') throw new Error(`${path}: "console" must be the last section`);
  writeFileSync(path, rewritten);
}

/** The placeholders of a message (`{$INTERPOLATION}`, `{$START_TAG_STRONG}`…) and the ICU variables, sorted. */
export function placeholdersOf(message: string): string[] {
  const placeholders = [...message.matchAll(/\{\$[A-Za-z0-9_]+\}/g)].map((match) => match[0]);
  const icu = [...message.matchAll(/\{(VAR_[A-Z0-9_]+), (plural|select),/g)].map((match) => match[1]!);
  return [...new Set([...placeholders, ...icu])].sort();
}

/**
 * What is wrong with the console sections: a language that lacks an id English has, has an id English no
 * longer has, an empty message, or placeholders other than English's. Empty: all is well.
 */
export function consoleCatalogProblems(): string[] {
  const english = readConsoleMessages('en');
  const problems: string[] = [];
  if (Object.keys(english).length === 0) problems.push('en: the console section is empty (run npm run i18n:extract)');
  for (const language of UI_LANGUAGES) {
    if (language === 'en') continue;
    const messages = readConsoleMessages(language);
    for (const [id, source] of Object.entries(english)) {
      const translated = messages[id];
      if (translated === undefined) problems.push(`${language}: missing ${id}`);
      else if (!translated.trim()) problems.push(`${language}: empty ${id}`);
      else if (placeholdersOf(translated).join() !== placeholdersOf(source).join()) {
        problems.push(
          `${language}: ${id} has placeholders ${placeholdersOf(translated).join(' ')}, English has ${placeholdersOf(source).join(' ')}`,
        );
      }
    }
    for (const id of Object.keys(messages)) {
      if (!(id in english)) problems.push(`${language}: ${id} is not an English message any more`);
    }
  }
  return problems;
}
