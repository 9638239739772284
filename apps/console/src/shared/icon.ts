import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/**
 * Outline icons on a 24×24 grid, drawn with a 2 px round stroke in the current text colour. Kept here
 * as path data so the pages load no icon font and make no request for them.
 */
const ICONS = {
  alert: 'M12 3.5 21.5 20h-19zM12 10v4.5M12 17.5h.01',
  'arrow-down': 'M12 5v14M6 13l6 6 6-6',
  'arrow-left': 'M19 12H5M11 6l-6 6 6 6',
  'arrow-up': 'M12 19V5M6 11l6-6 6 6',
  ban: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM5.6 5.6l12.8 12.8',
  broadcast:
    'M12 12h.01M8.5 8.5a5 5 0 0 0 0 7M15.5 8.5a5 5 0 0 1 0 7M5.6 5.6a9 9 0 0 0 0 12.8M18.4 5.6a9 9 0 0 1 0 12.8',
  calendar: 'M4 6h16v14H4zM4 10h16M8 3v4M16 3v4',
  camera:
    'M5 6h8a2.5 2.5 0 0 1 2.5 2.5v7A2.5 2.5 0 0 1 13 18H5a2.5 2.5 0 0 1-2.5-2.5v-7A2.5 2.5 0 0 1 5 6zM15.5 10.5l6-3.5v10l-6-3.5z',
  'camera-off':
    'M10 6h3a2.5 2.5 0 0 1 2.5 2.5v3l6-3.5v9.5M15.5 15.5A2.5 2.5 0 0 1 13 18H5a2.5 2.5 0 0 1-2.5-2.5v-7A2.5 2.5 0 0 1 5 6M3 3l18 18',
  check: 'M5 12.5l4.5 4.5L19 7.5',
  copy: 'M9 9h10v11H9zM5 15V4h10',
  download: 'M12 4v11M7 10l5 5 5-5M5 20h14',
  'eye-off':
    'M3 3l18 18M10.6 6.1A9.8 9.8 0 0 1 12 6c5 0 9 6 9 6a16 16 0 0 1-2.5 3.1M6.6 7.6C4.4 9.2 3 12 3 12s4 6 9 6a9 9 0 0 0 4.4-1.1M9.9 10a3 3 0 0 0 4.1 4.1',
  grip: 'M8 6h2M14 6h2M8 12h2M14 12h2M8 18h2M14 18h2',
  hand: 'M8 13V5.5a1.5 1.5 0 0 1 3 0V11M11 10V4.5a1.5 1.5 0 0 1 3 0V11M14 10.5V6a1.5 1.5 0 0 1 3 0v8a6 6 0 0 1-6 6h-1a6 6 0 0 1-5-2.7L3.6 14a1.5 1.5 0 0 1 2.4-1.8L8 14.5',
  link: 'M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1',
  'log-out': 'M9 4H5v16h4M14 8l4 4-4 4M18 12H9',
  message: 'M4 5h16v11H9l-5 4z',
  mic: 'M12 3a3 3 0 0 0-3 3v5a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21M8.5 21h7',
  'mic-off':
    'M15 9.5V6a3 3 0 0 0-5.7-1.3M9 9v2a3 3 0 0 0 4.6 2.5M18.5 11a6.5 6.5 0 0 1-1 3.4M5.5 11a6.5 6.5 0 0 0 10.3 5.3M12 17.5V21M8.5 21h7M3.5 3.5l17 17',
  mute: 'M3 3l18 18M8 5h12v11h-2M15 16H9l-5 4V6',
  pencil: 'M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4',
  play: 'M8 5.5v13l10.5-6.5z',
  plus: 'M12 5v14M5 12h14',
  question: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6V14M12 17h.01',
  refresh: 'M19.5 12a7.5 7.5 0 1 1-2.2-5.3M19.5 4.5v4h-4',
  screen:
    'M4.5 4h15a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2h-15a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zM8 21h8M12 17v4M12 13.5v-6M9.25 10l2.75-2.75L14.75 10',
  'screen-off':
    'M4.5 4h15a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2h-15a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zM8 21h8M12 17v4M9.5 8l5 5M14.5 8l-5 5',
  settings:
    'M4 6.5h9M17 6.5h3M4 12h2.5M10.5 12h9.5M4 17.5h8M16 17.5h4M15 4.5a2 2 0 1 0 0 4 2 2 0 0 0 0-4zM8.5 10a2 2 0 1 0 0 4 2 2 0 0 0 0-4zM14 15.5a2 2 0 1 0 0 4 2 2 0 0 0 0-4z',
  speaker: 'M4 9.5v5h3.5L12 18.5v-13L7.5 9.5zM15.5 9a4 4 0 0 1 0 6M18 6.5a7.5 7.5 0 0 1 0 11',
  stop: 'M7 7h10v10H7z',
  trash: 'M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3',
  users: 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21a7 7 0 0 1 14 0M16 3.5a4 4 0 0 1 0 7.5M22 21a7 7 0 0 0-4-6.3',
  x: 'M6 6l12 12M18 6L6 18',
} as const;

export type IconName = keyof typeof ICONS;

/**
 * `<pr-icon name="check" />`: a decorative inline SVG (hidden from assistive technology: give the
 * button or link around it its own text or `aria-label`). Sized by `--pr-icon-size` (default 1.125em).
 */
@Component({
  selector: 'pr-icon',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<svg
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    stroke-width="2"
    stroke-linecap="round"
    stroke-linejoin="round"
    aria-hidden="true"
    focusable="false"
  >
    <path [attr.d]="path()" />
  </svg>`,
  styles: `
    :host {
      display: inline-flex;
      flex: none;
    }
    svg {
      width: var(--pr-icon-size, 1.125em);
      height: var(--pr-icon-size, 1.125em);
    }
  `,
})
export class Icon {
  readonly name = input.required<IconName>();
  protected readonly path = computed(() => ICONS[this.name()]);
}
