import { computed, inject, Injectable, signal } from '@angular/core';
import type { CaptionCueView, CaptionInterimView, CrewMemberView } from '@pressroom/protocol';
import { ControlRoomLive } from '../control-room-live';

/** A captioner's latest words: a line sent, or text still being typed. */
export interface LatestCaption {
  text: string;
  interim: boolean;
}

export interface CrewMemberRow extends CrewMemberView {
  latest: LatestCaption | null;
}

/**
 * The crew (captioners, interpreters, signers) as the server sends it whole on every change of a
 * member's state, with each captioner's latest words.
 */
@Injectable()
export class CrewStore {
  readonly #live = inject(ControlRoomLive);
  readonly #crew = signal<readonly CrewMemberView[]>([]);
  readonly #latest = signal<ReadonlyMap<string, LatestCaption>>(new Map());

  readonly members = computed<CrewMemberRow[]>(() =>
    this.#crew().map((member) => ({
      ...member,
      latest: member.participantId ? (this.#latest().get(member.participantId) ?? null) : null,
    })),
  );

  constructor() {
    this.#live.on('state', ({ crew, captions }) => {
      this.#crew.set(crew ?? []);
      const latest = new Map<string, LatestCaption>();
      for (const cue of captions ?? []) latest.set(cue.participantId, { text: cue.text, interim: false });
      this.#latest.set(latest);
    });
    this.#live.on('crew:changed', ({ crew }) => this.#crew.set(crew));
    this.#live.on('caption:cue', (cue: CaptionCueView) => this.#take(cue.participantId, cue.text, false));
    this.#live.on('caption:interim', (interim: CaptionInterimView) => {
      // Empty interim text only clears what was being typed: the last line sent stays.
      if (interim.text) this.#take(interim.participantId, interim.text, true);
    });
  }

  #take(participantId: string, text: string, interim: boolean): void {
    this.#latest.update((latest) => new Map(latest).set(participantId, { text, interim }));
  }
}
