import { ChangeDetectionStrategy, Component } from '@angular/core';
import { isUiLanguage, UI_LANGUAGE_NAMES, UI_LANGUAGES } from '@pressroom/protocol';
import { storeUiLanguage, uiLanguage } from './ui-language';

let nextId = 0;

/**
 * The language menu: each language in its own name. Choosing one stores it and reloads the page in it (the
 * route is the same; the console's sign-in is kept in session storage and survives the reload).
 */
@Component({
  selector: 'pr-language-menu',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <label class="menu">
      <span class="pr-visually-hidden" [id]="labelId" i18n="@@languageMenu.label">Page language</span>
      <svg class="globe" viewBox="0 0 24 24" aria-hidden="true">
        <circle cx="12" cy="12" r="9" />
        <path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18" />
      </svg>
      <select class="select" [attr.aria-labelledby]="labelId" (change)="choose($event)">
        @for (language of languages; track language) {
          <option [value]="language" [selected]="language === current" [attr.lang]="language">
            {{ names[language] }}
          </option>
        }
      </select>
    </label>
  `,
  styles: `
    :host {
      display: inline-flex;
    }
    .menu {
      display: inline-flex;
      color: var(--pr-text-muted);
      align-items: center;
      gap: 0.25rem;
    }
    .globe {
      width: 1.125rem;
      height: 1.125rem;
      fill: none;
      stroke: currentColor;
      stroke-width: 1.75;
    }
    .select {
      min-height: 2rem;
      padding: 0.125rem 0.5rem;
      border: 1px solid var(--pr-border-strong);
      border-radius: 6px;
      background: var(--pr-surface);
      color: var(--pr-text);
      font: inherit;
      font-size: 0.875rem;
    }
    .select:focus-visible {
      outline: 2px solid var(--pr-focus);
      outline-offset: 1px;
    }
    .pr-visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
  `,
})
export class LanguageMenu {
  /** The select's name is the label's words alone (a wrapping label would add the chosen language to it). */
  protected readonly labelId = `pr-language-menu-${nextId++}`;
  protected readonly languages = UI_LANGUAGES;
  protected readonly names = UI_LANGUAGE_NAMES;
  protected readonly current = uiLanguage();

  protected choose(event: Event): void {
    const language = (event.target as HTMLSelectElement).value;
    if (!isUiLanguage(language) || language === this.current) return;
    storeUiLanguage(language);
    location.reload();
  }
}
