import { ChangeDetectionStrategy, Component, input } from '@angular/core';

export type IconName =
  | 'mic'
  | 'mic-off'
  | 'camera'
  | 'camera-off'
  | 'screen'
  | 'screen-off'
  | 'leave'
  | 'speaker'
  | 'check'
  | 'alert'
  | 'refresh'
  | 'settings'
  | 'close'
  | 'studio';

/** A 24 px stroke icon, drawn inline (no icon font, no request). Decorative: the control next to it carries the name. */
@Component({
  selector: 'pr-icon',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'aria-hidden': 'true' },
  styles: `
    :host {
      display: inline-flex;
      inline-size: var(--icon-size, 1.25rem);
      block-size: var(--icon-size, 1.25rem);
      flex: none;
    }
    svg {
      inline-size: 100%;
      block-size: 100%;
      fill: none;
      stroke: currentColor;
      stroke-width: 1.8;
      stroke-linecap: round;
      stroke-linejoin: round;
    }
  `,
  template: `
    <svg viewBox="0 0 24 24" focusable="false">
      @switch (name()) {
        @case ('mic') {
          <rect x="9" y="3" width="6" height="11" rx="3" />
          <path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21M8.5 21h7" />
        }
        @case ('mic-off') {
          <path d="M15 9.5V6a3 3 0 0 0-5.7-1.3M9 9v2a3 3 0 0 0 4.6 2.5" />
          <path d="M18.5 11a6.5 6.5 0 0 1-1 3.4M5.5 11a6.5 6.5 0 0 0 10.3 5.3M12 17.5V21M8.5 21h7M3.5 3.5l17 17" />
        }
        @case ('camera') {
          <rect x="2.5" y="6" width="13" height="12" rx="2.5" />
          <path d="M15.5 10.5l6-3.5v10l-6-3.5z" />
        }
        @case ('camera-off') {
          <path
            d="M10 6h3a2.5 2.5 0 0 1 2.5 2.5v3l6-3.5v9.5M15.5 15.5A2.5 2.5 0 0 1 13 18H5a2.5 2.5 0 0 1-2.5-2.5v-7A2.5 2.5 0 0 1 5 6M3 3l18 18"
          />
        }
        @case ('screen') {
          <rect x="2.5" y="4" width="19" height="13" rx="2" />
          <path d="M8 21h8M12 17v4M12 13.5v-6M9.25 10l2.75-2.75L14.75 10" />
        }
        @case ('screen-off') {
          <rect x="2.5" y="4" width="19" height="13" rx="2" />
          <path d="M8 21h8M12 17v4M9.5 8l5 5M14.5 8l-5 5" />
        }
        @case ('leave') {
          <path d="M10 4H6a1.5 1.5 0 0 0-1.5 1.5v13A1.5 1.5 0 0 0 6 20h4M15 8l4 4-4 4M19 12H9.5" />
        }
        @case ('speaker') {
          <path d="M4 9.5v5h3.5L12 18.5v-13L7.5 9.5z" />
          <path d="M15.5 9a4 4 0 0 1 0 6M18 6.5a7.5 7.5 0 0 1 0 11" />
        }
        @case ('check') {
          <path d="M5 12.5l4.5 4.5L19 7.5" />
        }
        @case ('alert') {
          <circle cx="12" cy="12" r="9" />
          <path d="M12 7.5v5.5M12 16.5v.01" />
        }
        @case ('refresh') {
          <path d="M19.5 12a7.5 7.5 0 1 1-2.2-5.3M19.5 4.5v4h-4" />
        }
        @case ('settings') {
          <path d="M4 6.5h9M17 6.5h3M4 12h2.5M10.5 12h9.5M4 17.5h8M16 17.5h4" />
          <circle cx="15" cy="6.5" r="2" />
          <circle cx="8.5" cy="12" r="2" />
          <circle cx="14" cy="17.5" r="2" />
        }
        @case ('close') {
          <path d="M6 6l12 12M18 6L6 18" />
        }
        @case ('studio') {
          <circle cx="12" cy="12" r="3" />
          <path
            d="M6.3 6.3a8 8 0 0 0 0 11.4M17.7 6.3a8 8 0 0 1 0 11.4M8.8 8.8a4.5 4.5 0 0 0 0 6.4M15.2 8.8a4.5 4.5 0 0 1 0 6.4"
          />
        }
      }
    </svg>
  `,
})
export class Icon {
  readonly name = input.required<IconName>();
}
