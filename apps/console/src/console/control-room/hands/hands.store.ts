import { computed, inject, Injectable } from '@angular/core';
import type { HandView } from '@pressroom/protocol';
import { OptimisticState } from '../../../shared/optimistic';
import { ControlRoomLive } from '../control-room-live';
import { Moderation } from '../moderation';

type Hands = readonly HandView[];

/** The raised hands in the order they went up (raised or acknowledged); the server sends the whole queue on every change. */
@Injectable()
export class HandsStore {
  readonly #live = inject(ControlRoomLive);
  readonly #moderation = inject(Moderation);
  readonly #hands = new OptimisticState<Hands>([]);

  readonly queue = computed(() =>
    [...this.#hands.value()].sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt)),
  );
  /** Hands still waiting for a moderator. */
  readonly waiting = computed(() => this.queue().filter((hand) => hand.status === 'raised').length);

  constructor() {
    this.#live.on('state', ({ hands }) => this.#hands.reset(hands));
    this.#live.on('hand:queue', ({ hands }) => this.#hands.reset(hands));
  }

  /** Gives the floor: the journalist is told their hand was seen. */
  acknowledge(handId: string): Promise<boolean> {
    return this.#moderation.run(
      this.#hands,
      (hands) =>
        hands.map((hand) =>
          hand.id === handId && hand.status === 'raised' ? { ...hand, status: 'acknowledged' } : hand,
        ),
      'hand:ack',
      { handId },
      $localize`:@@hands.acknowledgeFailed:Could not acknowledge the hand`,
    );
  }

  dismiss(handId: string): Promise<boolean> {
    return this.#moderation.run(
      this.#hands,
      (hands) => hands.filter((hand) => hand.id !== handId),
      'hand:dismiss',
      { handId },
      $localize`:@@hands.dismissFailed:Could not dismiss the hand`,
    );
  }
}
