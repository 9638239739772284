/**
 * The event page's language. Its text comes from the "page" section of libs/i18n/catalogs/<language>.json
 * (ICU MessageFormat), compiled at build time into one small module per language (apps/viewer/build.ts):
 * the page's language comes with the page (index.<language>.html preloads it), another is fetched when
 * someone picks it from the menu, and the page redraws in it without a reload.
 *
 *   t('chat.send')                      → "Send"
 *   t('questions.votes', { count: 3 })  → "3 votes"
 */
import {
  DEFAULT_UI_LANGUAGE,
  isForgottenName,
  readUiLanguageChoice,
  uiLanguageCookie,
  writeUiLanguageChoice,
  type UiLanguage,
} from '@pressroom/protocol';
import type en from '../../../libs/i18n/catalogs/en.json';
import { applyStaticTexts } from './static-texts';

/** Every message of the event page, by its key in the English catalog. */
export type PageKey = keyof (typeof en)['page'];
export type MessageParams = Record<string, string | number>;
type CompiledCatalog = Record<string, (params?: MessageParams) => string>;

type Loader = () => Promise<{ default: CompiledCatalog }>;
/** What the code says; each language's page preloads its own. */
const CATALOGS: Record<UiLanguage, Loader> = {
  en: () => import('virtual:catalog/en'),
  es: () => import('virtual:catalog/es'),
  fr: () => import('virtual:catalog/fr'),
  it: () => import('virtual:catalog/it'),
  nl: () => import('virtual:catalog/nl'),
  de: () => import('virtual:catalog/de'),
};
/**
 * The rest: index.html's fixed text (each page arrives with it in place) and what only the chunks fetched
 * later say (captions, languages, the stage). Loaded with those chunks, or to change language.
 */
const LATER: Record<UiLanguage, Loader> = {
  en: () => import('virtual:catalog-later/en'),
  es: () => import('virtual:catalog-later/es'),
  fr: () => import('virtual:catalog-later/fr'),
  it: () => import('virtual:catalog-later/it'),
  nl: () => import('virtual:catalog-later/nl'),
  de: () => import('virtual:catalog-later/de'),
};

let current: { language: UiLanguage; messages: CompiledCatalog } = { language: DEFAULT_UI_LANGUAGE, messages: {} };
/** The language index.html's fixed text is in now: the page's as the server sent it, until a change. */
let fixedTextLanguage: string | undefined;
/** A chunk fetched later needs the rest of the messages (`loadLaterMessages`). */
let laterWanted = false;
/** The rest of the messages is in `current` (the page's language's). */
let laterHere = false;
const listeners = new Set<(language: UiLanguage) => void>();

/** The message `key` in the page's language, its `{placeholders}` and plurals filled from `params`. */
export function t(key: PageKey, params?: MessageParams): string {
  const message = current.messages[key];
  return message ? message(params) : key;
}

/**
 * A participant's name as the page shows it (chat, questions, the studio's tiles…): as they wrote it, but a
 * forgotten participant's ("Forget me" stores `FORGOTTEN_NAME`, in English) in the page's language.
 */
export function participantName(name: string): string {
  return isForgottenName(name) ? t('participant.forgotten') : name;
}

/** `key` is not here yet, but may come with the later messages (`loadLaterMessages`), which are not here yet either. */
export function comesLater(key: PageKey): boolean {
  return !(key in current.messages) && !laterHere;
}

/** The page's language now. */
export function pageLanguage(): UiLanguage {
  return current.language;
}

/**
 * Loads `language`'s messages and redraws the page in it: `<html lang>`, the page's fixed text
 * (`data-i18n`), and everything drawn by code (through `onLanguageChange`).
 */
export async function useLanguage(language: UiLanguage): Promise<void> {
  fixedTextLanguage ??= document.documentElement.lang;
  const redraw = language !== fixedTextLanguage;
  const [{ default: code }, later] = await Promise.all([
    CATALOGS[language](),
    redraw || laterWanted ? LATER[language]() : Promise.resolve(undefined),
  ]);
  const messages = later ? { ...code, ...later.default } : code;
  const changed = language !== current.language || current.messages !== messages;
  current = { language, messages };
  laterHere = later !== undefined;
  document.documentElement.lang = language;
  if (redraw) {
    applyStaticTexts(document, t as (key: string) => string);
    fixedTextLanguage = language;
  }
  if (changed) for (const listener of listeners) listener(language);
}

/** The messages of the chunks fetched later: call beside importing one, before it draws anything. */
export async function loadLaterMessages(): Promise<void> {
  laterWanted = true;
  const language = current.language;
  const { default: later } = await LATER[language]();
  if (language !== current.language) return;
  current = { language, messages: { ...current.messages, ...later } };
  laterHere = true;
}

/** Calls `listener` after every change of language (not now). */
export function onLanguageChange(listener: (language: UiLanguage) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The language this person picked from a menu before, on this device (none: undefined). */
export function chosenLanguage(): UiLanguage | undefined {
  return readUiLanguageChoice(
    () => localStorage,
    () => document.cookie,
  );
}

/** Remembers a pick from the menu: in local storage for the pages, in a cookie for the server. */
export function rememberLanguage(language: UiLanguage): void {
  writeUiLanguageChoice(() => localStorage, language);
  document.cookie = uiLanguageCookie(language, location.protocol === 'https:');
}
