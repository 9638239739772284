import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { Icon } from '../../shared/icon';
import type { Notice } from './notices.store';

/**
 * The notices in the corner of the screen. Both live regions are always in the page, so that
 * screen readers announce what is added to them: errors assertively, information politely.
 */
@Component({
  selector: 'pr-notice-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Icon],
  template: `
    <div role="alert" class="stack">
      @for (notice of errors(); track notice.id) {
        <div class="notice error">
          <pr-icon name="alert" />
          <p>{{ notice.text }}</p>
          <button
            type="button"
            class="pr-btn pr-btn-ghost pr-btn-icon pr-btn-sm"
            aria-label="Dismiss"
            i18n-aria-label="@@notice.dismiss"
            (click)="dismissed.emit(notice.id)"
          >
            <pr-icon name="x" />
          </button>
        </div>
      }
    </div>
    <div role="status" class="stack">
      @for (notice of infos(); track notice.id) {
        <div class="notice info">
          <pr-icon name="check" />
          <p>{{ notice.text }}</p>
        </div>
      }
    </div>
  `,
  styles: `
    :host {
      position: fixed;
      z-index: 100;
      right: 1rem;
      bottom: 1rem;
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
      width: min(26rem, calc(100vw - 2rem));
      pointer-events: none;
    }
    .stack {
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
    }
    .notice {
      display: flex;
      align-items: flex-start;
      gap: 0.6rem;
      padding: 0.7rem 0.5rem 0.7rem 0.85rem;
      border-radius: var(--pr-radius);
      border: 1px solid var(--pr-border);
      border-left-width: 4px;
      background: var(--pr-surface);
      box-shadow: 0 6px 20px rgb(16 24 40 / 0.16);
      pointer-events: auto;
    }
    .notice pr-icon {
      margin-top: 0.1rem;
    }
    .notice p {
      flex: 1;
      margin: 0;
    }
    .error {
      border-left-color: var(--pr-danger);
    }
    .error > pr-icon {
      color: var(--pr-danger);
    }
    .info {
      border-left-color: var(--pr-success);
    }
    .info > pr-icon {
      color: var(--pr-success);
    }
  `,
})
export class NoticeList {
  readonly notices = input.required<readonly Notice[]>();
  readonly dismissed = output<number>();
  protected readonly errors = computed(() => this.notices().filter((notice) => notice.kind === 'error'));
  protected readonly infos = computed(() => this.notices().filter((notice) => notice.kind === 'info'));
}
