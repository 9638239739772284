import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import type { StageView } from '@pressroom/protocol';
import { participantName } from '../../../shared/i18n/participant-name';
import { OptimisticState } from '../../../shared/optimistic';
import { NoticesStore } from '../../notices/notices.store';
import { ControlRoomLive } from '../control-room-live';
import { Moderation } from '../moderation';

const EMPTY: StageView = { guests: [], invitations: [], maxGuests: 1 };

/**
 * The journalists on stage and the open invitations, as the server sends them whole on every change;
 * inviting a raised hand, muting a guest and ending a turn. `now` ticks once a second for the clocks.
 */
@Injectable()
export class StageStore {
  readonly #live = inject(ControlRoomLive);
  readonly #moderation = inject(Moderation);
  readonly #notices = inject(NoticesStore);
  readonly #stage = new OptimisticState<StageView>(EMPTY);
  readonly #now = signal(Date.now());
  readonly #names = new Map<string, string>();

  readonly guests = computed(() => this.#stage.value().guests);
  readonly invitations = computed(() => this.#stage.value().invitations);
  readonly maxGuests = computed(() => this.#stage.value().maxGuests);
  /** Guests and open invitations together take the places on stage. */
  readonly full = computed(() => this.guests().length + this.invitations().length >= this.maxGuests());
  /** The current time, once a second. */
  readonly now = this.#now.asReadonly();

  constructor() {
    this.#live.on('state', ({ stage }) => this.#take(stage ?? EMPTY));
    this.#live.on('stage:changed', (stage) => this.#take(stage));
    this.#live.on('stage:declined', ({ participantId, reason }) => {
      const who = this.#name(participantId);
      this.#notices.info(
        reason === 'lapsed'
          ? who
            ? $localize`:@@stage.lapsed:${who}:name: did not answer the invitation on stage in time.`
            : $localize`:@@stage.lapsedAnonymous:The journalist did not answer the invitation on stage in time.`
          : who
            ? $localize`:@@stage.declined:${who}:name: declined to go on stage.`
            : $localize`:@@stage.declinedAnonymous:The journalist declined to go on stage.`,
      );
    });
    const timer = setInterval(() => this.#now.set(Date.now()), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  /** Whether the hand's journalist is invited or on stage already. */
  isOnStage(participantId: string): boolean {
    return [...this.guests(), ...this.invitations()].some((entry) => entry.participantId === participantId);
  }

  invite(handId: string): Promise<boolean> {
    return this.#moderation.run(
      this.#stage,
      (stage) => stage,
      'stage:invite',
      { handId },
      $localize`:@@stage.inviteFailed:Could not invite on stage`,
    );
  }

  mute(participantId: string, muted: boolean): Promise<boolean> {
    return this.#moderation.run(
      this.#stage,
      (stage) => ({
        ...stage,
        guests: stage.guests.map((guest) => (guest.participantId === participantId ? { ...guest, muted } : guest)),
      }),
      'stage:mute',
      { participantId, muted },
      muted
        ? $localize`:@@stage.muteFailed:Could not mute the guest`
        : $localize`:@@stage.unmuteFailed:Could not unmute the guest`,
    );
  }

  /** Ends a guest's turn, or withdraws an invitation not answered yet. */
  remove(participantId: string): Promise<boolean> {
    return this.#moderation.run(
      this.#stage,
      (stage) => ({
        ...stage,
        guests: stage.guests.filter((guest) => guest.participantId !== participantId),
        invitations: stage.invitations.filter((invitation) => invitation.participantId !== participantId),
      }),
      'stage:remove',
      { participantId },
      $localize`:@@stage.endTurnFailed:Could not end the turn`,
    );
  }

  #take(stage: StageView): void {
    // A declined invitation has left the stage by the time the notice is written: names are kept here.
    for (const entry of [...stage.guests, ...stage.invitations]) this.#names.set(entry.participantId, entry.name);
    this.#stage.reset(stage);
  }

  #name(participantId: string): string | null {
    return participantName(this.#names.get(participantId)) ?? null;
  }
}
