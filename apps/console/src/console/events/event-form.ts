import { ChangeDetectionStrategy, Component, computed, effect, input, output, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators, type AbstractControl } from '@angular/forms';
import {
  LIMITS,
  UI_LANGUAGE_NAMES,
  UI_LANGUAGES,
  type ChatMode,
  type PrivacyPreviewRequest,
  type UiLanguage,
} from '@pressroom/protocol';
import { uiLanguage } from '../../shared/i18n/ui-language';
import { Icon } from '../../shared/icon';
import { PrivacyPreview } from './privacy-preview';
import { MAX_RETENTION_HOURS, MAX_SLOW_MODE_SECONDS, SLUG_PATTERN, type EventFormValue } from './event-form-value';

const WHOLE_NUMBER = /^\d+$/;

/**
 * The fields of an event. Creating (`passwordRequired` null) asks for an optional address (slug) and
 * password; editing offers a new password or its removal. Emits `saved` only with valid values.
 */
@Component({
  selector: 'pr-event-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, Icon, PrivacyPreview],
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <fieldset class="group">
        <legend i18n="@@eventForm.event">Event</legend>
        <label class="pr-field">
          <span class="pr-label" i18n="@@eventForm.title">Title</span>
          <input
            class="pr-input"
            formControlName="title"
            [attr.maxlength]="limits.eventTitle"
            [attr.aria-invalid]="shows('title')"
            aria-describedby="title-error"
          />
          @if (shows('title')) {
            <span id="title-error" class="pr-field-error" i18n="@@eventForm.titleError">Give the event a title.</span>
          }
        </label>
        <label class="pr-field">
          <span class="pr-label"
            ><ng-container i18n="@@eventForm.description">Description</ng-container>&ngsp;
            <span class="optional" i18n="@@eventForm.optional">(optional)</span></span
          >
          <textarea
            class="pr-input"
            formControlName="description"
            rows="3"
            [attr.maxlength]="limits.eventDescription"
          ></textarea>
        </label>
        <div class="pair">
          <label class="pr-field">
            <span class="pr-label" i18n="@@eventForm.startsAt">Starts at</span>
            <input
              class="pr-input"
              type="datetime-local"
              formControlName="startsAt"
              [attr.aria-invalid]="shows('startsAt')"
              aria-describedby="starts-error"
            />
            @if (shows('startsAt')) {
              <span id="starts-error" class="pr-field-error" i18n="@@eventForm.startsAtError"
                >Give the date and time of the start.</span
              >
            }
          </label>
          @if (creating()) {
            <label class="pr-field">
              <span class="pr-label"
                ><ng-container i18n="@@eventForm.address">Address</ng-container>&ngsp;
                <span class="optional" i18n="@@eventForm.optional">(optional)</span></span
              >
              <input
                class="pr-input"
                formControlName="slug"
                placeholder="made from the title"
                i18n-placeholder="@@eventForm.addressPlaceholder"
                autocapitalize="off"
                spellcheck="false"
                [attr.aria-invalid]="shows('slug')"
                aria-describedby="slug-hint"
              />
              <span
                id="slug-hint"
                [class]="shows('slug') ? 'pr-field-error' : 'pr-hint'"
                i18n="@@eventForm.addressHint"
              >
                3–64 lower-case letters, digits and dashes: the viewer link ends with it.
              </span>
            </label>
          }
        </div>
        <label class="pr-field narrow-select">
          <span class="pr-label" i18n="@@eventForm.language">Language of the event page</span>
          <select class="pr-input" formControlName="language" aria-describedby="language-hint">
            <option value="" i18n="@@eventForm.languageNone">Each visitor's browser language</option>
            @for (language of languages; track language) {
              <option [value]="language">{{ languageNames[language] }}</option>
            }
          </select>
          <span id="language-hint" class="pr-hint" i18n="@@eventForm.languageHint">
            The event page, the studio and the broadcast's slate open in it; a visitor's own choice from the language
            menu wins.
          </span>
        </label>
      </fieldset>

      <fieldset class="group">
        <legend i18n="@@eventForm.audience">Audience</legend>
        <label class="pr-field">
          <span class="pr-label">
            @if (creating()) {
              <ng-container i18n="@@eventForm.password">Audience password</ng-container>
            } @else {
              <ng-container i18n="@@eventForm.newPassword">New audience password</ng-container>
            }
            &ngsp;<span class="optional" i18n="@@eventForm.optional">(optional)</span></span
          >
          <input
            class="pr-input"
            type="password"
            formControlName="password"
            autocomplete="new-password"
            [attr.maxlength]="limits.password"
            aria-describedby="password-hint"
          />
          <span id="password-hint" class="pr-hint">
            @if (creating()) {
              <ng-container i18n="@@eventForm.passwordHintNew">Leave empty for an open event.</ng-container>
            } @else if (passwordRequired()) {
              <ng-container i18n="@@eventForm.passwordHintKeep"
                >The event has a password. Leave empty to keep it.</ng-container
              >
            } @else {
              <ng-container i18n="@@eventForm.passwordHintOpen"
                >The event is open. A password here protects it.</ng-container
              >
            }
          </span>
        </label>
        @if (passwordRequired()) {
          <label class="pr-check">
            <input type="checkbox" formControlName="removePassword" />
            <span i18n="@@eventForm.removePassword">Remove the password: anyone with the link may watch</span>
          </label>
        }
        <div class="pr-field" role="radiogroup" aria-labelledby="chat-mode-label">
          <span id="chat-mode-label" class="pr-label" i18n="@@eventForm.chatMode">Chat moderation</span>
          @for (mode of chatModes; track mode.value) {
            <label class="pr-check">
              <input type="radio" formControlName="chatMode" [value]="mode.value" />
              <span>
                {{ mode.label }}
                <span class="pr-hint block">{{ mode.hint }}</span>
              </span>
            </label>
          }
        </div>
        <label class="pr-check">
          <input type="checkbox" formControlName="questionsEnabled" />
          <span i18n="@@eventForm.questionsEnabled">Journalists may ask questions</span>
        </label>
        <label class="pr-field narrow">
          <span class="pr-label" i18n="@@eventForm.slowMode">Slow mode (seconds between messages)</span>
          <input
            class="pr-input"
            type="number"
            min="0"
            [attr.max]="maxSlowMode"
            step="1"
            formControlName="slowModeSeconds"
            [attr.aria-invalid]="shows('slowModeSeconds')"
            aria-describedby="slow-hint"
          />
          <span
            id="slow-hint"
            [class]="shows('slowModeSeconds') ? 'pr-field-error' : 'pr-hint'"
            i18n="@@eventForm.slowModeHint"
          >
            0 turns it off; at most {{ maxSlowMode }}.
          </span>
        </label>
      </fieldset>

      <fieldset class="group">
        <legend i18n="@@eventForm.privacy">Privacy</legend>
        <label class="pr-field narrow">
          <span class="pr-label" i18n="@@eventForm.retention">Retention (hours after the end)</span>
          <input
            class="pr-input"
            type="number"
            min="0"
            [attr.max]="maxRetention"
            step="1"
            formControlName="retentionHours"
            [attr.aria-invalid]="shows('retentionHours')"
            aria-describedby="retention-hint"
          />
          <span
            id="retention-hint"
            [class]="shows('retentionHours') ? 'pr-field-error' : 'pr-hint'"
            i18n="@@eventForm.retentionHint"
          >
            Chat, questions, hands, names and the recording are purged this long after the end (0: at the end, leaving
            no recording to download; at most {{ maxRetention }}). Export the transcript and download the recording
            before.
          </span>
        </label>
        <pr-privacy-preview [request]="noticeRequest()" />
      </fieldset>

      @if (error(); as message) {
        <p class="pr-alert pr-alert-error" role="alert"><pr-icon name="alert" />{{ message }}</p>
      }
      <div class="actions">
        <ng-content />
        <button class="pr-btn pr-btn-primary" type="submit" [disabled]="saving()">
          @if (saving()) {
            <ng-container i18n="@@eventForm.saving">Saving…</ng-container>
          } @else if (creating()) {
            <ng-container i18n="@@eventForm.create">Create event</ng-container>
          } @else {
            <ng-container i18n="@@eventForm.save">Save changes</ng-container>
          }
        </button>
      </div>
    </form>
  `,
  styles: `
    form {
      display: flex;
      flex-direction: column;
      gap: 1.25rem;
    }
    .group {
      display: flex;
      flex-direction: column;
      gap: 1rem;
      margin: 0;
      padding: 1.25rem;
      border: 1px solid var(--pr-border);
      border-radius: var(--pr-radius);
      background: var(--pr-surface);
    }
    legend {
      padding: 0 0.35rem;
      font-weight: 700;
    }
    .pair {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: 1rem;
    }
    .narrow-select .pr-input {
      max-width: 22rem;
    }
    .narrow .pr-input {
      max-width: 10rem;
    }
    .optional {
      color: var(--pr-text-muted);
      font-weight: 400;
    }
    .block {
      display: block;
    }
    .pr-alert {
      margin: 0;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      justify-content: flex-end;
      gap: 0.5rem;
    }
    @media (max-width: 640px) {
      .pair {
        grid-template-columns: 1fr;
      }
    }
  `,
})
export class EventForm {
  /** The values to start from. */
  readonly value = input.required<EventFormValue>();
  /** Creating a new event, or editing one. */
  readonly creating = input.required<boolean>();
  /** Editing: whether the event has a password now. */
  readonly passwordRequired = input(false);
  readonly saving = input(false);
  /** The server's refusal, to show. */
  readonly error = input<string | null>(null);
  readonly saved = output<EventFormValue>();

  protected readonly limits = LIMITS;
  protected readonly maxRetention = MAX_RETENTION_HOURS;
  protected readonly maxSlowMode = MAX_SLOW_MODE_SECONDS;
  protected readonly languages = UI_LANGUAGES;
  protected readonly languageNames = UI_LANGUAGE_NAMES;
  protected readonly chatModes: ReadonlyArray<{ value: ChatMode; label: string; hint: string }> = [
    {
      value: 'post',
      label: $localize`:@@eventForm.chatPost:Show messages at once`,
      hint: $localize`:@@eventForm.chatPostHint:Moderators hide what should not be there.`,
    },
    {
      value: 'pre',
      label: $localize`:@@eventForm.chatPre:Hold messages for approval`,
      hint: $localize`:@@eventForm.chatPreHint:Nothing appears until a moderator approves it.`,
    },
  ];

  protected readonly form = new FormGroup({
    title: new FormControl('', { nonNullable: true, validators: [Validators.required, notBlank] }),
    description: new FormControl('', { nonNullable: true }),
    slug: new FormControl('', { nonNullable: true, validators: [Validators.pattern(SLUG_PATTERN)] }),
    startsAt: new FormControl('', { nonNullable: true, validators: [Validators.required, validDate] }),
    password: new FormControl('', { nonNullable: true }),
    removePassword: new FormControl(false, { nonNullable: true }),
    chatMode: new FormControl<ChatMode>('post', { nonNullable: true }),
    language: new FormControl<UiLanguage | ''>('', { nonNullable: true }),
    questionsEnabled: new FormControl(true, { nonNullable: true }),
    retentionHours: new FormControl(0, {
      nonNullable: true,
      validators: [wholeNumber, Validators.min(0), Validators.max(MAX_RETENTION_HOURS)],
    }),
    slowModeSeconds: new FormControl(0, {
      nonNullable: true,
      validators: [wholeNumber, Validators.min(0), Validators.max(MAX_SLOW_MODE_SECONDS)],
    }),
  });
  /** Set on the first submit: from then on, every invalid field says so. */
  readonly #submitted = signal(false);
  /** Bumped on every change of the form, so that `shows()` is read again. */
  readonly #changes = signal(0);

  /** The notice's view of the event as the form stands now (the preview follows every keystroke). */
  /** What the privacy preview is made from: the form as it is now, in the event's language or the console's. */
  protected readonly noticeRequest = computed((): PrivacyPreviewRequest => {
    this.#changes();
    const value = this.form.getRawValue();
    const keepsPassword = !this.creating() && this.passwordRequired() && !value.removePassword;
    return {
      title: (value.title.trim() || $localize`:@@eventForm.untitled:Untitled event`).slice(0, LIMITS.eventTitle),
      chatMode: value.chatMode,
      questionsEnabled: value.questionsEnabled,
      passwordRequired: keepsPassword || value.password !== '',
      retentionHours: Math.min(MAX_RETENTION_HOURS, Math.max(0, Math.floor(Number(value.retentionHours) || 0))),
      language: value.language || uiLanguage(),
    };
  });

  constructor() {
    effect(() => this.form.reset(this.value()));
    this.form.events.subscribe(() => this.#changes.update((n) => n + 1));
  }

  protected shows(name: keyof EventFormValue): boolean {
    this.#changes();
    const control = this.form.controls[name];
    return control.invalid && (this.#submitted() || control.touched);
  }

  protected submit(): void {
    this.#submitted.set(true);
    if (this.form.invalid) return;
    this.saved.emit(this.form.getRawValue());
  }
}

function notBlank(control: AbstractControl<string>) {
  return control.value.trim() ? null : { blank: true };
}

function validDate(control: AbstractControl<string>) {
  return Number.isNaN(Date.parse(control.value)) ? { date: true } : null;
}

function wholeNumber(control: AbstractControl<number | null>) {
  return control.value !== null && WHOLE_NUMBER.test(String(control.value)) ? null : { wholeNumber: true };
}
