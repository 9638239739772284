import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { errorText } from '../../shared/i18n/error-text';
import { Router, RouterLink } from '@angular/router';
import type { EventDetails } from '@pressroom/protocol';
import { Icon } from '../../shared/icon';
import { EventForm } from './event-form';
import { eventForm, newEventForm, toCreateRequest, toUpdateRequest, type EventFormValue } from './event-form-value';
import { EventsStore } from './events.store';

/** Creating an event (`/events/new`) or changing one (`/events/:slug/edit`); both lead to its control room. */
@Component({
  selector: 'pr-event-editor-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, Icon, EventForm],
  template: `
    <main class="page">
      <a class="back pr-btn pr-btn-ghost pr-btn-sm" [routerLink]="backLink()"
        ><pr-icon name="arrow-left" />
        @if (slug()) {
          <ng-container i18n="@@editor.backToControlRoom">Control room</ng-container>
        } @else {
          <ng-container i18n="@@editor.backToEvents">Events</ng-container>
        }
      </a>
      <h1>
        @if (slug()) {
          <ng-container i18n="@@editor.editTitle">Edit event</ng-container>
        } @else {
          <ng-container i18n="@@editor.newTitle">New event</ng-container>
        }
      </h1>
      @if (loadError(); as error) {
        <p class="pr-alert pr-alert-error" role="alert"><pr-icon name="alert" />{{ error }}</p>
      } @else if (formValue(); as value) {
        <pr-event-form
          [value]="value"
          [creating]="!slug()"
          [passwordRequired]="event()?.passwordRequired ?? false"
          [saving]="saving()"
          [error]="saveError()"
          (saved)="save($event)"
        >
          <a class="pr-btn" [routerLink]="backLink()" i18n="@@common.cancel">Cancel</a>
        </pr-event-form>
      } @else {
        <p class="pr-meta" role="status" i18n="@@editor.loading">Loading the event…</p>
      }
    </main>
  `,
  styles: `
    .page {
      width: min(46rem, 100%);
      margin: 0 auto;
      padding: 1.25rem 1rem 3rem;
      display: flex;
      flex-direction: column;
      gap: 1rem;
    }
    .back {
      align-self: flex-start;
    }
    h1 {
      font-size: 1.5rem;
    }
  `,
})
export class EventEditorPage {
  /** From the route: the event to edit; none to create one. */
  readonly slug = input<string>();
  readonly #store = inject(EventsStore);
  readonly #router = inject(Router);

  protected readonly event = signal<EventDetails | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly saving = signal(false);
  protected readonly saveError = signal<string | null>(null);
  protected readonly formValue = computed<EventFormValue | null>(() => {
    const event = this.event();
    if (event) return eventForm(event);
    return this.slug() ? null : newEventForm();
  });
  protected readonly backLink = computed(() => (this.slug() ? ['/events', this.slug()] : ['/events']));

  constructor() {
    effect(() => {
      const slug = this.slug();
      if (slug) untracked(() => void this.#load(slug));
    });
  }

  protected async save(value: EventFormValue): Promise<void> {
    this.saving.set(true);
    this.saveError.set(null);
    try {
      const slug = this.slug();
      const saved = slug
        ? await this.#store.update(slug, toUpdateRequest(value))
        : await this.#store.create(toCreateRequest(value));
      await this.#router.navigate(['/events', saved.slug]);
    } catch (error) {
      this.saveError.set(errorText(error));
    } finally {
      this.saving.set(false);
    }
  }

  async #load(slug: string): Promise<void> {
    this.loadError.set(null);
    try {
      this.event.set(await this.#store.details(slug));
    } catch (error) {
      this.loadError.set($localize`:@@editor.loadError:The event could not be loaded: ${errorText(error)}:reason:`);
    }
  }
}
