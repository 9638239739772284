/**
 * The language menu in the masthead: every page language by its own name; a pick redraws the page in it
 * without a reload and is remembered on this device (see i18n.ts).
 */
import { isUiLanguage, UI_LANGUAGE_NAMES, UI_LANGUAGES } from '@pressroom/protocol';
import { byId, h } from './dom';
import { pageLanguage, rememberLanguage, useLanguage } from './i18n';

export function mountLanguageMenu(): void {
  const menu = byId<HTMLSelectElement>('language');
  menu.replaceChildren(
    ...UI_LANGUAGES.map((language) => h('option', { value: language, lang: language }, UI_LANGUAGE_NAMES[language])),
  );
  menu.value = pageLanguage();
  menu.addEventListener('change', () => {
    const language = menu.value;
    if (!isUiLanguage(language)) return;
    rememberLanguage(language);
    void useLanguage(language).catch(() => (menu.value = pageLanguage()));
  });
}
