import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, signal } from '@angular/core';
import { ApiClient } from '@pressroom/live-client';
import type { PrivacyNotice, PrivacyNoticeResponse, PrivacyPreviewRequest } from '@pressroom/protocol';

/** How long the form rests before the preview asks the server again. */
const PREVIEW_DELAY_MS = 250;

/**
 * The event's privacy notice as participants will read it at `/:slug/privacy`, from the form's values as
 * they are typed: the server builds it (`POST /api/privacy/preview`, the same code and catalog as the
 * notice page), in the event's language or, without one, the moderator's.
 */
@Component({
  selector: 'pr-privacy-preview',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <details class="preview">
      <summary i18n="@@privacyPreview.summary">Preview the privacy notice participants will see</summary>
      @if (notice(); as notice) {
        <section
          class="notice"
          aria-label="Privacy notice preview"
          i18n-aria-label="@@privacyPreview.label"
          [attr.lang]="language()"
        >
          <p class="title">{{ notice.title }}</p>
          <p class="summary">{{ notice.summary }}</p>
          @for (section of notice.sections; track section.id) {
            <h3 [attr.data-section]="section.id">{{ section.heading }}</h3>
            @for (paragraph of section.paragraphs; track $index) {
              <p>{{ paragraph }}</p>
            }
            @if (section.items.length > 0) {
              <ul>
                @for (item of section.items; track $index) {
                  <li>{{ item }}</li>
                }
              </ul>
            }
          }
        </section>
      } @else {
        <p class="pr-meta" role="status">
          @if (failed()) {
            <ng-container i18n="@@common.unreachable">The server could not be reached.</ng-container>
          } @else {
            <ng-container i18n="@@common.loading">Loading…</ng-container>
          }
        </p>
      }
    </details>
  `,
  styles: `
    summary {
      cursor: pointer;
      color: var(--pr-accent);
      font-weight: 600;
      padding: 0.25rem 0;
    }
    .notice {
      margin-top: 0.75rem;
      padding: 1rem;
      max-height: 28rem;
      overflow-y: auto;
      border: 1px solid var(--pr-border);
      border-radius: var(--pr-radius);
      background: var(--pr-surface-sunken);
      font-size: 0.9375rem;
    }
    .title {
      margin: 0;
      font-size: 1.125rem;
      font-weight: 700;
    }
    h3 {
      margin: 1rem 0 0.25rem;
      font-size: 1rem;
    }
    p,
    ul {
      margin: 0.35rem 0;
    }
  `,
})
export class PrivacyPreview {
  readonly request = input.required<PrivacyPreviewRequest>();

  protected readonly notice = signal<PrivacyNotice | null>(null);
  protected readonly language = signal<string | null>(null);
  protected readonly failed = signal(false);

  constructor() {
    const api = inject(ApiClient, { optional: true }) ?? new ApiClient();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let asked = 0;
    inject(DestroyRef).onDestroy(() => clearTimeout(timer));
    effect(() => {
      const request = this.request();
      clearTimeout(timer);
      timer = setTimeout(() => {
        const mine = ++asked;
        api
          .post<PrivacyNoticeResponse>('/api/privacy/preview', request)
          .then((response) => {
            if (mine !== asked) return; // a newer form's answer is on its way
            this.notice.set(response.notice);
            this.language.set(response.language);
            this.failed.set(false);
          })
          .catch(() => {
            // keeps the last notice shown; says so only when there is none
            if (mine === asked) this.failed.set(true);
          });
      }, PREVIEW_DELAY_MS);
    });
  }
}
