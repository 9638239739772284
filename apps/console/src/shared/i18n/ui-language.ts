import { registerLocaleData } from '@angular/common';
import { LOCALE_ID, type ApplicationConfig, type Type } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { loadTranslations } from '@angular/localize';
import {
  chooseUiLanguage,
  DEFAULT_UI_LANGUAGE,
  isUiLanguage,
  readUiLanguageChoice,
  uiLanguageCookie,
  writeUiLanguageChoice,
  type UiLanguage,
} from '@pressroom/protocol';

/**
 * The language of the console and the studio. Angular's runtime translations apply when the app starts, so
 * the language is chosen (and its messages loaded) in `main.ts` before the bootstrap; a change from the
 * language menu is stored and the page reloaded. English is the source language: it loads nothing more.
 */

/** The language the page runs in (set by `startInUiLanguage`; English before it, and in component tests). */
export function uiLanguage(): UiLanguage {
  const lang = typeof document === 'undefined' ? undefined : document.documentElement.lang;
  return isUiLanguage(lang) ? lang : DEFAULT_UI_LANGUAGE;
}

/** The person's own choice from a language menu, if any (none when the browser refuses storage). */
export function storedUiLanguage(): UiLanguage | undefined {
  return readUiLanguageChoice(
    () => localStorage,
    () => document.cookie,
  );
}

/** Keeps a choice from the language menu: in local storage (read by the pages) and a cookie (read by the server). */
export function storeUiLanguage(language: UiLanguage): void {
  writeUiLanguageChoice(() => localStorage, language); // refused storage: the cookie still carries the choice
  document.cookie = uiLanguageCookie(language, location.protocol === 'https:');
}

/**
 * Chooses the language (the menu's choice, then the event's if given, then the browser's), loads its
 * messages and locale data and sets `<html lang>`. Call before the bootstrap.
 */
export async function startInUiLanguage(event?: string | null): Promise<UiLanguage> {
  const language = chooseUiLanguage({ chosen: storedUiLanguage(), event, preferred: navigator.languages });
  document.documentElement.lang = language;
  if (language === 'en') return language;
  try {
    const [catalog, locale] = await Promise.all([loadCatalog(language), loadLocaleData(language)]);
    loadTranslations(catalog);
    registerLocaleData(locale, language);
    $localize.locale = language;
    return language;
  } catch (error) {
    // a chunk that failed to load: the page works in English rather than not at all
    console.error(error);
    document.documentElement.lang = DEFAULT_UI_LANGUAGE;
    return DEFAULT_UI_LANGUAGE;
  }
}

type Catalog = Record<string, string>;

/** The "console" section of a language's catalog (libs/i18n/catalogs/<language>.json), as a lazy chunk. */
async function loadCatalog(language: Exclude<UiLanguage, 'en'>): Promise<Catalog> {
  const catalogs: Record<Exclude<UiLanguage, 'en'>, () => Promise<{ default: { console: Catalog } }>> = {
    es: () => import('../../../../../libs/i18n/catalogs/es.json'),
    fr: () => import('../../../../../libs/i18n/catalogs/fr.json'),
    it: () => import('../../../../../libs/i18n/catalogs/it.json'),
    nl: () => import('../../../../../libs/i18n/catalogs/nl.json'),
    de: () => import('../../../../../libs/i18n/catalogs/de.json'),
  };
  return (await catalogs[language]()).default.console;
}

/** Angular's locale data (dates, numbers) for the DatePipe and friends. */
async function loadLocaleData(language: Exclude<UiLanguage, 'en'>): Promise<unknown> {
  const locales: Record<Exclude<UiLanguage, 'en'>, () => Promise<{ default: unknown }>> = {
    es: () => import('@angular/common/locales/es'),
    fr: () => import('@angular/common/locales/fr'),
    it: () => import('@angular/common/locales/it'),
    nl: () => import('@angular/common/locales/nl'),
    de: () => import('@angular/common/locales/de'),
  };
  return (await locales[language]()).default;
}

/**
 * Starts an app in the person's language: its messages are loaded before the bootstrap (Angular
 * translates templates as it compiles them), and `LOCALE_ID` follows it. `eventLanguage` (the studio's)
 * learns the event's language; it is asked only when the person has no pick of their own from a menu, and
 * a failure counts as no language (the browser's then).
 */
export function bootstrapInUiLanguage(
  root: Type<unknown>,
  config: ApplicationConfig,
  eventLanguage?: () => Promise<string | null>,
): void {
  const event = eventLanguage && !storedUiLanguage() ? eventLanguage().catch(() => null) : Promise.resolve(null);
  event
    .then((language) => startInUiLanguage(language))
    .then((language) =>
      bootstrapApplication(root, {
        ...config,
        providers: [...config.providers, { provide: LOCALE_ID, useValue: language }],
      }),
    )
    .catch((error: unknown) => console.error(error));
}
