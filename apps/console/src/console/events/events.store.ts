import { inject, Injectable, signal } from '@angular/core';
import { errorText } from '../../shared/i18n/error-text';
import type { CreateEventRequest, EventDetails, UpdateEventRequest } from '@pressroom/protocol';
import { ApiClient } from '@pressroom/live-client';

/** The moderators' events: the list, and creating and changing one. Failures of create/update throw `ApiError`. */
@Injectable({ providedIn: 'root' })
export class EventsStore {
  readonly #api = inject(ApiClient);
  readonly #events = signal<readonly EventDetails[] | null>(null);
  readonly #loadError = signal<string | null>(null);
  /** Newest start first; null until loaded. */
  readonly events = this.#events.asReadonly();
  readonly loadError = this.#loadError.asReadonly();

  async load(): Promise<void> {
    this.#loadError.set(null);
    try {
      this.#events.set(await this.#api.get<EventDetails[]>('/api/events'));
    } catch (error) {
      this.#loadError.set($localize`:@@events.loadError:The events could not be loaded: ${errorText(error)}:reason:`);
    }
  }

  details(slug: string): Promise<EventDetails> {
    return this.#api.get<EventDetails>(`/api/events/${encodeURIComponent(slug)}/details`);
  }

  async create(request: CreateEventRequest): Promise<EventDetails> {
    const event = await this.#api.post<EventDetails>('/api/events', request);
    this.#events.update((events) => events && sortByStart([...events, event]));
    return event;
  }

  async update(slug: string, request: UpdateEventRequest): Promise<EventDetails> {
    const event = await this.#api.patch<EventDetails>(`/api/events/${encodeURIComponent(slug)}`, request);
    this.#events.update((events) => events && sortByStart(events.map((e) => (e.id === event.id ? event : e))));
    return event;
  }
}

function sortByStart(events: EventDetails[]): EventDetails[] {
  return events.sort((a, b) => Date.parse(b.startsAt) - Date.parse(a.startsAt));
}
