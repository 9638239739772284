import { ChangeDetectionStrategy, Component, DOCUMENT, inject, input, signal } from '@angular/core';
import { errorText } from './i18n/error-text';
import { participantName } from './i18n/participant-name';
import { ApiClient } from '@pressroom/live-client';
import { FORGOTTEN_NAME, privacyPath, type ForgetMeResponse, type ServerInfo } from '@pressroom/protocol';
import { saveFile } from './save-file';

/**
 * The foot of every console and studio page: who runs the server (`GET /api/server`), the event's privacy
 * notice, and, for a participant of the event (a speaker), "Download my data" and "Forget me".
 */
@Component({
  selector: 'pr-privacy-footer',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <footer class="footer">
      @if (slug() && token()) {
        <section class="my-data" aria-labelledby="pr-my-data-heading">
          <h2 id="pr-my-data-heading" i18n="@@footer.yourData">Your data</h2>
          <p i18n="@@footer.yourDataExplain">
            Download everything this server holds about you in this event, or erase your name now.
          </p>
          <div class="row">
            <button type="button" (click)="download()" i18n="@@footer.download">Download my data</button>
            <button
              type="button"
              (click)="confirming.set(true)"
              [attr.aria-expanded]="confirming()"
              i18n="@@footer.forget"
            >
              Forget me
            </button>
          </div>
          @if (confirming()) {
            <div class="confirm" role="group" aria-labelledby="pr-forget-question">
              <p id="pr-forget-question" i18n="@@footer.forgetQuestion">
                Erase your name from this event? Everywhere it is stored and shown it becomes “{{ forgottenName }}” (in
                the studio from your next join). What was broadcast stays in the recording until it is deleted. This
                cannot be undone.
              </p>
              <div class="row">
                <button type="button" class="danger" (click)="forget()" i18n="@@footer.forgetConfirm">
                  Yes, forget me
                </button>
                <button type="button" (click)="confirming.set(false)" i18n="@@common.cancel">Cancel</button>
              </div>
            </div>
          }
          <p class="status" role="status">{{ status() }}</p>
        </section>
      }
      <p class="operator">
        <span>{{ operatorLine() }}</span>
        @if (slug(); as slug) {
          <a [href]="noticeHref(slug)" target="_blank" rel="noreferrer" i18n="@@footer.notice">Privacy notice</a>
        }
        @if (policyUrl(); as url) {
          <a [href]="url" target="_blank" rel="noreferrer" i18n="@@footer.policy">Full privacy policy</a>
        }
      </p>
    </footer>
  `,
  styles: `
    .footer {
      padding: 1rem;
      border-top: 1px solid var(--pr-border);
      color: var(--pr-text-muted);
      font-size: 0.875rem;
    }
    .operator {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 1rem;
      margin: 0;
      min-height: 1.5em;
    }
    a {
      color: var(--pr-accent);
    }
    h2 {
      margin: 0 0 0.25rem;
      font-size: 1rem;
      color: var(--pr-text);
    }
    .my-data {
      margin-bottom: 1rem;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }
    button {
      min-height: 2.5rem;
      padding: 0 0.9rem;
      border: 1px solid var(--pr-border-strong);
      border-radius: var(--pr-radius);
      background: var(--pr-surface);
      color: var(--pr-text);
      font: inherit;
      cursor: pointer;
    }
    button.danger {
      background: var(--pr-solid-danger);
      border-color: var(--pr-solid-danger);
      color: var(--pr-on-solid);
    }
    button:focus-visible,
    a:focus-visible {
      outline: 3px solid var(--pr-focus);
      outline-offset: 2px;
    }
    .confirm {
      margin-top: 0.75rem;
      padding: 0.75rem;
      border: 1px solid var(--pr-border-strong);
      border-radius: var(--pr-radius);
      color: var(--pr-text);
    }
    .status {
      margin: 0.5rem 0 0;
      min-height: 1.25em;
    }
  `,
})
export class PrivacyFooter {
  /** The event, on its pages; none in the console's frame. */
  readonly slug = input<string | null>(null);
  /** The access token of the participant this page is (a speaker's), for their data. */
  readonly token = input<(() => string | null) | null>(null);

  /** What others now see instead of the name, in the page's language. */
  protected readonly forgottenName = participantName(FORGOTTEN_NAME);
  protected readonly operatorLine = signal('');
  protected readonly policyUrl = signal<string | null>(null);
  protected readonly confirming = signal(false);
  protected readonly status = signal('');

  readonly #origin = inject(DOCUMENT).location.origin;

  constructor() {
    new ApiClient({ baseUrl: this.#origin })
      .get<ServerInfo>('/api/server')
      .then(({ operator }) => {
        this.operatorLine.set(
          operator.name
            ? $localize`:@@footer.runBy:Run by ${operator.name}:operator:${operator.contact ? ` · ${operator.contact}` : ''}:contact:`
            : $localize`:@@footer.noOperator:The operator of this server has not given their name.`,
        );
        if (operator.privacyUrl && /^https?:\/\//i.test(operator.privacyUrl)) this.policyUrl.set(operator.privacyUrl);
      })
      .catch(() => undefined);
  }

  protected noticeHref(slug: string): string {
    return privacyPath(encodeURIComponent(slug));
  }

  protected async download(): Promise<void> {
    this.status.set('');
    try {
      const { blob } = await this.#api().download(this.#path());
      saveFile(blob, `${this.slug()}-my-data.json`);
      this.status.set($localize`:@@footer.downloaded:Your data is downloaded.`);
    } catch (error) {
      this.status.set(messageOf(error));
    }
  }

  protected async forget(): Promise<void> {
    try {
      await this.#api().delete<ForgetMeResponse>(this.#path());
      this.confirming.set(false);
      this.status.set($localize`:@@footer.erased:Your name is erased: you appear as “${this.forgottenName}:name:”.`);
    } catch (error) {
      this.status.set(messageOf(error));
    }
  }

  #api(): ApiClient {
    const token = this.token();
    return new ApiClient({ baseUrl: this.#origin, token: () => token?.() ?? null });
  }

  #path(): string {
    return `/api/events/${encodeURIComponent(this.slug() ?? '')}/me`;
  }
}

const messageOf = (error: unknown) => errorText(error);
