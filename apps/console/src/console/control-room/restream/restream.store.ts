import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { errorText } from '../../../shared/i18n/error-text';
import { ApiClient } from '@pressroom/live-client';
import {
  RESTREAM_LIMITS,
  type CreateRestreamDestinationRequest,
  type RestreamDestinationView,
  type RestreamStatus,
} from '@pressroom/protocol';
import { NoticesStore } from '../../notices/notices.store';
import { BroadcastStore } from '../broadcast/broadcast.store';
import { ControlRoomLive } from '../control-room-live';

/**
 * The event's restream destinations (stream keys masked by the server) and each push's status, live from
 * `/live`: listed again on every (re)connect, changed by the moderators' own adds and removals. They may
 * change only while the event is scheduled. `now` ticks once a second for the retry countdowns.
 */
@Injectable()
export class RestreamStore {
  readonly #api = inject(ApiClient);
  readonly #broadcast = inject(BroadcastStore);
  readonly #notices = inject(NoticesStore);
  readonly #destinations = signal<readonly RestreamDestinationView[]>([]);
  readonly #loaded = signal(false);
  readonly #adding = signal(false);
  readonly #removing = signal<ReadonlySet<string>>(new Set());
  readonly #now = signal(Date.now());
  #slug = '';
  /** Bumped by every listing: only the latest answer counts. */
  #request = 0;

  readonly destinations = this.#destinations.asReadonly();
  readonly loaded = this.#loaded.asReadonly();
  readonly adding = this.#adding.asReadonly();
  readonly removing = this.#removing.asReadonly();
  readonly now = this.#now.asReadonly();
  /** Destinations may be added or removed: the event has not gone live. */
  readonly changeable = computed(() => this.#broadcast.status() === 'scheduled');
  readonly full = computed(() => this.#destinations().length >= RESTREAM_LIMITS.destinationsPerEvent);

  constructor() {
    const live = inject(ControlRoomLive);
    live.on('state', ({ event }) => {
      this.#slug = event.slug;
      void this.#load();
    });
    live.on('restream:destinations', ({ destinations }) => this.#destinations.set(destinations));
    live.on('restream:status', ({ destinationId, status }) => this.#setStatus(destinationId, status));
    const timer = setInterval(() => this.#now.set(Date.now()), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  /** Adds a destination; resolves false (and says why) when the server refuses it. */
  async add(request: CreateRestreamDestinationRequest): Promise<boolean> {
    this.#adding.set(true);
    try {
      const added = await this.#api.post<RestreamDestinationView>(this.#path(), request);
      this.#destinations.update((list) => (list.some((d) => d.id === added.id) ? list : [...list, added]));
      return true;
    } catch (error) {
      this.#notices.error($localize`:@@restream.addFailed:Could not add the destination: ${errorText(error)}:reason:`);
      return false;
    } finally {
      this.#adding.set(false);
    }
  }

  async remove(id: string): Promise<boolean> {
    this.#removing.update((ids) => new Set([...ids, id]));
    try {
      await this.#api.delete(`${this.#path()}/${encodeURIComponent(id)}`);
      this.#destinations.update((list) => list.filter((d) => d.id !== id));
      return true;
    } catch (error) {
      this.#notices.error(
        $localize`:@@restream.removeFailed:Could not remove the destination: ${errorText(error)}:reason:`,
      );
      return false;
    } finally {
      this.#removing.update((ids) => new Set([...ids].filter((other) => other !== id)));
    }
  }

  async #load(): Promise<void> {
    const request = ++this.#request;
    try {
      const destinations = await this.#api.get<RestreamDestinationView[]>(this.#path());
      if (request !== this.#request) return;
      this.#destinations.set(destinations);
      this.#loaded.set(true);
    } catch {
      // The connection reports why the event cannot be opened; the next `state` lists again.
    }
  }

  #setStatus(destinationId: string, status: RestreamStatus): void {
    this.#destinations.update((list) => list.map((d) => (d.id === destinationId ? { ...d, status } : d)));
  }

  #path(): string {
    return `/api/events/${encodeURIComponent(this.#slug)}/restream`;
  }
}

/** What a push's status reads as in the console; `now` for the retry countdown. */
export function restreamStatusText(status: RestreamStatus, now: number): string {
  switch (status.state) {
    case 'idle':
      return $localize`:@@restream.status.idle:Starts when the event goes live`;
    case 'connecting':
      return $localize`:@@restream.status.connecting:Connecting…`;
    case 'live':
      return $localize`:@@restream.status.live:Live`;
    case 'failed':
      return $localize`:@@restream.status.failed:Failed: ${status.reason ?? $localize`:@@restream.unknownReason:unknown reason`}:reason:`;
    case 'retrying': {
      const seconds = Math.max(0, Math.ceil((Date.parse(status.retryAt ?? '') - now) / 1000));
      const reason = status.reason ?? $localize`:@@restream.unknownReason:unknown reason`;
      return Number.isFinite(seconds) && seconds > 0
        ? $localize`:@@restream.status.retryingIn:Retrying in ${seconds}:seconds: s · ${reason}:reason:`
        : $localize`:@@restream.status.retryingNow:Retrying now · ${reason}:reason:`;
    }
  }
}
