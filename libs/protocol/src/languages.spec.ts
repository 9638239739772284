import {
  chooseUiLanguage,
  negotiateUiLanguage,
  parseAcceptLanguage,
  readUiLanguageChoice,
  uiLanguageOfCookies,
  uiLanguageCookie,
  UI_LANGUAGE_STORAGE_KEY,
  writeUiLanguageChoice,
} from './languages';

describe('the pages’ language', () => {
  it('takes the first preferred language the pages have, by its primary subtag', () => {
    expect(negotiateUiLanguage(['pt-BR', 'es-419', 'fr'])).toBe('es');
    expect(negotiateUiLanguage(['nl_BE'])).toBe('nl');
    expect(negotiateUiLanguage(['DE-at'])).toBe('de');
    expect(negotiateUiLanguage(['pt', 'ja'])).toBeUndefined();
  });

  it('reads Accept-Language by weight, leaving out q=0 and *', () => {
    expect(parseAcceptLanguage('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5')).toEqual(['fr-CH', 'fr', 'en', 'de']);
    expect(parseAcceptLanguage('en;q=0.1, it')).toEqual(['it', 'en']);
    expect(parseAcceptLanguage('es;q=0, nl')).toEqual(['nl']);
    expect(parseAcceptLanguage(undefined)).toEqual([]);
    expect(parseAcceptLanguage(';;,q=,')).toEqual([]);
  });

  it("puts a person's own choice first, then the event's language, then the browser's, then English", () => {
    expect(chooseUiLanguage({ chosen: 'it', event: 'es', preferred: ['fr'] })).toBe('it');
    expect(chooseUiLanguage({ chosen: 'xx', event: 'es', preferred: ['fr'] })).toBe('es');
    expect(chooseUiLanguage({ event: null, preferred: ['pt', 'fr-FR'] })).toBe('fr');
    expect(chooseUiLanguage({ preferred: ['pt'] })).toBe('en');
  });

  it('carries a pick to the server in a cookie of a year, for every path, Secure over https', () => {
    expect(uiLanguageCookie('es', true)).toBe('pressroom_language=es; Path=/; Max-Age=31536000; SameSite=Lax; Secure');
    expect(uiLanguageCookie('de', false)).toBe('pressroom_language=de; Path=/; Max-Age=31536000; SameSite=Lax');
  });

  it('remembers a pick in local storage and reads it back; refused storage or a stranger value is no pick', () => {
    const items = new Map<string, string>();
    const storage = () => ({
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
    });
    expect(readUiLanguageChoice(storage)).toBeUndefined();
    expect(writeUiLanguageChoice(storage, 'nl')).toBe(true);
    expect(items.get(UI_LANGUAGE_STORAGE_KEY)).toBe('nl');
    expect(readUiLanguageChoice(storage)).toBe('nl');
    items.set(UI_LANGUAGE_STORAGE_KEY, 'xx');
    expect(readUiLanguageChoice(storage)).toBeUndefined();

    // A browser that blocks site data throws on reaching localStorage itself, or on using it.
    const blocked = (): never => {
      throw new Error('SecurityError: The operation is insecure.');
    };
    const full = () => ({
      getItem: blocked,
      setItem: (): never => {
        throw new Error('QuotaExceededError');
      },
    });
    expect(readUiLanguageChoice(blocked)).toBeUndefined();
    expect(writeUiLanguageChoice(blocked, 'es')).toBe(false);
    expect(readUiLanguageChoice(full)).toBeUndefined();
    expect(writeUiLanguageChoice(full, 'es')).toBe(false);
  });

  it('falls back on the cookie, a pick made where no script runs (the privacy notice’s language links)', () => {
    expect(uiLanguageOfCookies('a=1; pressroom_language=de; b=2')).toBe('de');
    expect(uiLanguageOfCookies('pressroom_language=xx')).toBeUndefined();
    expect(uiLanguageOfCookies(undefined)).toBeUndefined();
    const empty = () => ({ getItem: () => null });
    expect(readUiLanguageChoice(empty, () => 'pressroom_language=fr')).toBe('fr');
    expect(readUiLanguageChoice(empty)).toBeUndefined();
    // Local storage first: the menu writes both, and the storage is the page's own.
    expect(
      readUiLanguageChoice(
        () => ({ getItem: () => 'nl' }),
        () => 'pressroom_language=fr',
      ),
    ).toBe('nl');
    const refused = (): never => {
      throw new Error('SecurityError');
    };
    expect(readUiLanguageChoice(refused, () => 'pressroom_language=it')).toBe('it');
    expect(readUiLanguageChoice(empty, refused)).toBeUndefined();
  });
});
