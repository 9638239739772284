import { computed, inject, Injectable, signal } from '@angular/core';
import { errorText } from '../../../shared/i18n/error-text';
import type { EventDetails, PublicEvent, UpdateEventRequest } from '@pressroom/protocol';
import { ApiClient } from '@pressroom/live-client';
import { NoticesStore } from '../../notices/notices.store';
import { ControlRoomLive } from '../control-room-live';

/** The event being run: its status (live from `/live`), its settings, and starting and ending its broadcast. */
@Injectable()
export class BroadcastStore {
  readonly #api = inject(ApiClient);
  readonly #live = inject(ControlRoomLive);
  readonly #notices = inject(NoticesStore);
  #slug = '';
  readonly #event = signal<PublicEvent | null>(null);
  readonly #retentionHours = signal<number | null>(null);
  readonly #busy = signal<'start' | 'end' | null>(null);
  readonly #locking = signal(false);

  readonly event = this.#event.asReadonly();
  readonly status = computed(() => this.#event()?.status ?? null);
  /** Hours after the end until the purge; null until known. */
  readonly retentionHours = this.#retentionHours.asReadonly();
  /** The transition under way. */
  readonly busy = this.#busy.asReadonly();
  /** A change of the join lock is under way. */
  readonly locking = this.#locking.asReadonly();

  constructor() {
    this.#live.on('state', ({ event }) => this.#event.set(event));
    this.#live.on('event:status', ({ event }) => this.#event.set(event));
  }

  async open(slug: string): Promise<void> {
    this.#slug = slug;
    try {
      this.#show(await this.#api.get<EventDetails>(`/api/events/${encodeURIComponent(slug)}/details`));
    } catch {
      // The connection reports why the event cannot be opened.
    }
  }

  start(): Promise<void> {
    return this.#transition('start', $localize`:@@broadcast.startFailed:Could not start the broadcast`);
  }

  /** Ends the event for everyone: the broadcast stops, the audience can no longer chat or ask. */
  end(): Promise<void> {
    return this.#transition('end', $localize`:@@broadcast.endFailed:Could not end the event`);
  }

  /** Locked: nobody new may join the audience; those already in keep watching and taking part. */
  async setJoinLocked(joinLocked: boolean): Promise<void> {
    this.#locking.set(true);
    try {
      const request: UpdateEventRequest = { joinLocked };
      this.#show(await this.#api.patch<EventDetails>(`/api/events/${encodeURIComponent(this.#slug)}`, request));
    } catch (error) {
      this.#notices.error(
        joinLocked
          ? $localize`:@@broadcast.lockFailed:Could not lock joining: ${errorText(error)}:reason:`
          : $localize`:@@broadcast.unlockFailed:Could not unlock joining: ${errorText(error)}:reason:`,
      );
    } finally {
      this.#locking.set(false);
    }
  }

  async #transition(action: 'start' | 'end', failure: string): Promise<void> {
    this.#busy.set(action);
    try {
      this.#show(await this.#api.post<EventDetails>(`/api/events/${encodeURIComponent(this.#slug)}/${action}`));
    } catch (error) {
      this.#notices.error(`${failure}: ${errorText(error)}`);
    } finally {
      this.#busy.set(null);
    }
  }

  #show(details: EventDetails): void {
    this.#event.set(details);
    this.#retentionHours.set(details.retentionHours);
  }
}
