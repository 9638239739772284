import { computed, inject, Injectable } from '@angular/core';
import type { ActionRequest, ChatMessageView, ClientActionName } from '@pressroom/protocol';
import { OptimisticState, type Change } from '../../../shared/optimistic';
import { ControlRoomLive } from '../control-room-live';
import { Moderation } from '../moderation';

interface Chat {
  /** Oldest first: pending (pre-moderated) and visible ones. */
  messages: readonly ChatMessageView[];
  /**
   * Participants muted or banned from this console. The server tells moderators neither, so this is
   * what this moderator did since opening the control room.
   */
  muted: ReadonlySet<string>;
  banned: ReadonlySet<string>;
}

/** How many messages the control room keeps: the snapshot brings at most 200. */
const KEPT_MESSAGES = 500;

/** The chat as moderators see it: messages waiting for approval, visible ones, who was muted or banned. */
@Injectable()
export class ChatStore {
  readonly #live = inject(ControlRoomLive);
  readonly #moderation = inject(Moderation);
  readonly #chat = new OptimisticState<Chat>({ messages: [], muted: new Set(), banned: new Set() });

  readonly pending = computed(() => this.#chat.value().messages.filter((message) => message.status === 'pending'));
  readonly visible = computed(() => this.#chat.value().messages.filter((message) => message.status === 'visible'));
  readonly muted = computed(() => this.#chat.value().muted);
  readonly banned = computed(() => this.#chat.value().banned);

  constructor() {
    this.#live.on('state', ({ chat }) => this.#chat.confirm((state) => ({ ...state, messages: chat })));
    this.#live.on('chat:message', (message) => this.#chat.confirm(upsert(message)));
    this.#live.on('chat:removed', ({ id }) => this.#chat.confirm(remove(id)));
  }

  approve(messageId: string): Promise<boolean> {
    return this.#run(
      messages((list) =>
        list.map((m) => (m.id === messageId && m.status === 'pending' ? { ...m, status: 'visible' } : m)),
      ),
      'chat:approve',
      { messageId },
      'Could not approve the message',
    );
  }

  hide(messageId: string): Promise<boolean> {
    return this.#run(remove(messageId), 'chat:hide', { messageId }, 'Could not hide the message');
  }

  setMuted(participantId: string, muted: boolean): Promise<boolean> {
    return this.#run(
      (state) => ({ ...state, muted: toggled(state.muted, participantId, muted) }),
      'user:mute',
      { participantId, muted },
      muted ? 'Could not mute this person' : 'Could not unmute this person',
    );
  }

  /** Bans from the event: the person's access stops working and their connection is cut. */
  ban(participantId: string): Promise<boolean> {
    return this.#run(
      (state) => ({ ...state, banned: toggled(state.banned, participantId, true) }),
      'user:ban',
      { participantId },
      'Could not ban this person',
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

function toggled(set: ReadonlySet<string>, id: string, present: boolean): ReadonlySet<string> {
  if (set.has(id) === present) return set;
  const next = new Set(set);
  if (present) next.add(id);
  else next.delete(id);
  return next;
}
