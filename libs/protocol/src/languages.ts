/**
 * The languages of the pages (the event page, the studio, the console) and the slate text of the broadcast:
 * which exist, how one is chosen, and where the browser remembers a person's choice. (The languages of
 * captions and interpretation are any BCP 47 tag: see crew.ts.)
 */
export const UI_LANGUAGES = ['en', 'es', 'fr', 'it', 'nl', 'de'] as const;

export type UiLanguage = (typeof UI_LANGUAGES)[number];

/** The language when nothing else says which: the catalogs' source language. */
export const DEFAULT_UI_LANGUAGE: UiLanguage = 'en';

/** Each language's name in itself, as a language menu lists them (someone looks for their own). */
export const UI_LANGUAGE_NAMES: Readonly<Record<UiLanguage, string>> = {
  en: 'English',
  es: 'Español',
  fr: 'Français',
  it: 'Italiano',
  nl: 'Nederlands',
  de: 'Deutsch',
};

/**
 * Where a person's choice from a language menu is kept: the browser's local storage (read by the pages)
 * and a cookie of the same value (read by the server, so the page arrives in that language). Nothing else
 * is kept in either; both are set only when someone picks a language.
 */
export const UI_LANGUAGE_STORAGE_KEY = 'pressroom.language';
export const UI_LANGUAGE_COOKIE = 'pressroom_language';
/** A year: the choice outlives any one event. */
export const UI_LANGUAGE_COOKIE_MAX_AGE_S = 365 * 24 * 3600;

/** The cookie that carries a pick from a language menu to the server (`document.cookie = …`). */
export function uiLanguageCookie(language: UiLanguage, secure: boolean): string {
  return `${UI_LANGUAGE_COOKIE}=${language}; Path=/; Max-Age=${UI_LANGUAGE_COOKIE_MAX_AGE_S}; SameSite=Lax${secure ? '; Secure' : ''}`;
}

export function isUiLanguage(value: unknown): value is UiLanguage {
  return typeof value === 'string' && (UI_LANGUAGES as readonly string[]).includes(value);
}

/** The part of the browser's local storage a language choice needs (`localStorage`, `sessionStorage`). */
export interface UiLanguageStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The language of the `pressroom_language` cookie in a Cookie header or `document.cookie` (none or not a language: undefined). */
export function uiLanguageOfCookies(cookies: string | undefined): UiLanguage | undefined {
  for (const pair of (cookies ?? '').split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === UI_LANGUAGE_COOKIE) {
      const language = value.join('=');
      return isUiLanguage(language) ? language : undefined;
    }
  }
  return undefined;
}

/**
 * The language this person picked from a menu before, on this device: from local storage, else from the
 * cookie (a pick made where no script runs: the privacy notice's language links). None, a value that is not
 * one of the languages, or storage the browser refuses (private mode, blocked site data: even reading
 * `localStorage` throws) give undefined. `storage` and `cookies` are functions so that a refusal is caught
 * here: `() => localStorage`, `() => document.cookie`.
 */
export function readUiLanguageChoice(
  storage: () => Pick<UiLanguageStorage, 'getItem'>,
  cookies?: () => string,
): UiLanguage | undefined {
  let stored: UiLanguage | undefined;
  try {
    const chosen = storage().getItem(UI_LANGUAGE_STORAGE_KEY);
    stored = isUiLanguage(chosen) ? chosen : undefined;
  } catch {
    stored = undefined;
  }
  if (stored || !cookies) return stored;
  try {
    return uiLanguageOfCookies(cookies());
  } catch {
    return undefined;
  }
}

/**
 * Keeps a pick from a language menu in local storage (the cookie is set beside it: `uiLanguageCookie`).
 * False when the browser refuses storage: the cookie still carries the choice to the server.
 */
export function writeUiLanguageChoice(
  storage: () => Pick<UiLanguageStorage, 'setItem'>,
  language: UiLanguage,
): boolean {
  try {
    storage().setItem(UI_LANGUAGE_STORAGE_KEY, language);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first of a person's preferred languages (BCP 47 tags, best first, as `navigator.languages` or a parsed
 * Accept-Language give them) that the pages have: `es-ES` and `es-419` are Spanish, `nl-BE` Dutch. None:
 * undefined.
 */
export function negotiateUiLanguage(preferred: readonly string[]): UiLanguage | undefined {
  for (const tag of preferred) {
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
    if (isUiLanguage(primary)) return primary;
  }
  return undefined;
}

const LANGUAGE_TAG = /^[A-Za-z]{1,8}([-_][A-Za-z0-9]{1,8})*$/;

/** The tags of an Accept-Language header, best first (`q=0` ones left out; ties keep their order). */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag, ...parameters] = part.trim().split(';');
      const q = parameters.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag!.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter(({ tag, q }) => LANGUAGE_TAG.test(tag) && q > 0 && Number.isFinite(q))
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map(({ tag }) => tag);
}

/**
 * The language a page opens in: the person's own choice from a menu first, then the event's language (a
 * Spanish ministry's briefing opens in Spanish), then the browser's preferred languages, then English.
 */
export function chooseUiLanguage(options: {
  chosen?: string | null;
  event?: string | null;
  preferred?: readonly string[];
}): UiLanguage {
  if (isUiLanguage(options.chosen)) return options.chosen;
  if (isUiLanguage(options.event)) return options.event;
  return negotiateUiLanguage(options.preferred ?? []) ?? DEFAULT_UI_LANGUAGE;
}
