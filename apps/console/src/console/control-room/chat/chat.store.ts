import { computed, inject, Injectable } from '@angular/core';
import type { ActionRequest, ChatMessageView, ClientActionName, RestrictionView } from '@pressroom/protocol';
import { OptimisticState, type Change } from '../../../shared/optimistic';
import { ControlRoomLive } from '../control-room-live';
import { Moderation } from '../moderation';

interface Chat {
  /** Oldest first: pending (pre-moderated) and visible ones. */
  messages: readonly ChatMessageView[];
  /** Audience members muted or banned, by any moderator of the event: the server tells each of them. */
  restrictions: readonly RestrictionView[];
}

/** How many messages the control room keeps: the snapshot brings at most 200. */
const KEPT_MESSAGES = 500;

/** The chat as moderators see it: messages waiting for approval, visible ones, who is muted or banned. */
@Injectable()
export class ChatStore {
  readonly #live = inject(ControlRoomLive);
  readonly #moderation = inject(Moderation);
  readonly #chat = new OptimisticState<Chat>({ messages: [], restrictions: [] });

  readonly pending = computed(() => this.#chat.value().messages.filter((message) => message.status === 'pending'));
  readonly visible = computed(() => this.#chat.value().messages.filter((message) => message.status === 'visible'));
  readonly restrictions = computed(() => this.#chat.value().restrictions);
  /** Ids of the muted and of the banned participants. */
  readonly muted = computed(() => participantIds(this.restrictions(), (person) => person.muted));
  readonly banned = computed(() => participantIds(this.restrictions(), (person) => person.banned));

  constructor() {
    this.#live.on('state', ({ chat, restrictions = [] }) => this.#chat.reset({ messages: chat, restrictions }));
    this.#live.on('chat:message', (message) => this.#chat.confirm(upsert(message)));
    this.#live.on('chat:removed', ({ id }) => this.#chat.confirm(remove(id)));
    this.#live.on('user:restriction', (restriction) => this.#chat.confirm(restrict(restriction)));
  }

  approve(messageId: string): Promise<boolean> {
    return this.#run(
      messages((list) =>
        list.map((m) => (m.id === messageId && m.status === 'pending' ? { ...m, status: 'visible' } : m)),
      ),
      'chat:approve',
      { messageId },
      $localize`:@@chat.approveFailed:Could not approve the message`,
    );
  }

  hide(messageId: string): Promise<boolean> {
    return this.#run(
      remove(messageId),
      'chat:hide',
      { messageId },
      $localize`:@@chat.hideFailed:Could not hide the message`,
    );
  }

  setMuted(participantId: string, muted: boolean): Promise<boolean> {
    return this.#run(
      restrictParticipant(participantId, { muted }),
      'user:mute',
      { participantId, muted },
      muted
        ? $localize`:@@chat.muteFailed:Could not mute this person`
        : $localize`:@@chat.unmuteFailed:Could not unmute this person`,
    );
  }

  /** Bans from the event: the person's access stops working and their connection is cut. */
  ban(participantId: string): Promise<boolean> {
    return this.#run(
      restrictParticipant(participantId, { banned: true }),
      'user:ban',
      { participantId },
      $localize`:@@chat.banFailed:Could not ban this person`,
    );
  }

  #run<A extends ClientActionName>(
    change: Change<Chat>,
    action: A,
    request: ActionRequest<A>,
    failure: string,
  ): Promise<boolean> {
    return this.#moderation.run(this.#chat, change, action, request, failure);
  }
}

function messages(change: (list: readonly ChatMessageView[]) => readonly ChatMessageView[]): Change<Chat> {
  return (state) => ({ ...state, messages: change(state.messages) });
}

/** A new message joins the end; a known one (a pending message now approved) is replaced; hidden ones go. */
function upsert(message: ChatMessageView): Change<Chat> {
  if (message.status === 'hidden') return remove(message.id);
  return messages((list) =>
    list.some((m) => m.id === message.id)
      ? list.map((m) => (m.id === message.id ? message : m))
      : [...list, message].slice(-KEPT_MESSAGES),
  );
}

function remove(messageId: string): Change<Chat> {
  return messages((list) => list.filter((m) => m.id !== messageId));
}

/** A participant's standing as the server tells it: listed while muted or banned, off the list once neither. */
function restrict(restriction: RestrictionView): Change<Chat> {
  return (state) => {
    const listed = state.restrictions.some((other) => other.participantId === restriction.participantId);
    const updated = listed
      ? state.restrictions.map((other) => (other.participantId === restriction.participantId ? restriction : other))
      : [...state.restrictions, restriction];
    return { ...state, restrictions: updated.filter((person) => person.muted || person.banned) };
  };
}

/**
 * This moderator's own mute or ban, shown before the server confirms it: on the participant's entry,
 * or on one made from their chat messages when they are not listed yet.
 */
function restrictParticipant(
  participantId: string,
  change: Partial<Pick<RestrictionView, 'muted' | 'banned'>>,
): Change<Chat> {
  return (state) => {
    const current =
      state.restrictions.find((person) => person.participantId === participantId) ??
      unrestrictedAuthor(state.messages, participantId);
    return current ? restrict({ ...current, ...change })(state) : state;
  };
}

function unrestrictedAuthor(list: readonly ChatMessageView[], participantId: string): RestrictionView | null {
  const message = list.find((m) => m.participantId === participantId);
  if (!message) return null;
  const { authorName: name, authorOutlet: outlet, authorRole: role } = message;
  return { participantId, name, outlet, role, muted: false, banned: false };
}

function participantIds(
  restrictions: readonly RestrictionView[],
  applies: (person: RestrictionView) => boolean,
): ReadonlySet<string> {
  return new Set(restrictions.filter(applies).map((person) => person.participantId));
}
