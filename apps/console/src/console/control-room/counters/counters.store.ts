import { computed, inject, Injectable, signal } from '@angular/core';
import type { Counters } from '@pressroom/protocol';
import { ControlRoomLive } from '../control-room-live';

/** Who is connected, as the server counts it (sent every few seconds while it changes). */
@Injectable()
export class CountersStore {
  readonly #live = inject(ControlRoomLive);
  readonly #counters = signal<Counters | null>(null);
  /** Audience members connected (viewers and journalists); null until known. */
  readonly audience = computed(() => this.#counters()?.audienceOnline ?? null);
  readonly speakers = computed(() => this.#counters()?.speakersOnline ?? null);

  constructor() {
    this.#live.on('state', ({ counters }) => this.#counters.set(counters));
    this.#live.on('counters', (counters) => this.#counters.set(counters));
  }
}
