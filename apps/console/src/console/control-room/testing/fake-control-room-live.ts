import { signal } from '@angular/core';
import type { LiveFailure, LiveReply, LiveStatus } from '@pressroom/live-client';
import type {
  ActionError,
  ActionRequest,
  ChatMessageView,
  ClientActionName,
  HandView,
  LiveState,
  QuestionView,
  RestrictionView,
  ServerEventName,
  ServerEvents,
  StageGuestView,
  StageInvitationView,
} from '@pressroom/protocol';
import { ControlRoomLive } from '../control-room-live';

interface SentAction {
  action: ClientActionName;
  request: unknown;
  answer(reply: { ok: true } | { ok: false; error: ActionError | LiveFailure['error'] }): void;
}

/**
 * Stands in for `ControlRoomLive` (the control room's socket) in unit tests: a test emits server
 * events, and answers the actions the stores sent, when it wants to.
 */
export class FakeControlRoomLive {
  readonly status = signal<LiveStatus>('connected');
  readonly problem = signal<string | null>(null);
  /** Actions sent and not answered yet, oldest first. */
  readonly sent: SentAction[] = [];
  readonly #listeners = new Map<string, Array<(payload: unknown) => void>>();

  async open(): Promise<void> {
    // connected from the start
  }

  on<E extends ServerEventName>(name: E, listener: (payload: ServerEvents[E]) => void): void {
    this.#listeners.set(name, [...(this.#listeners.get(name) ?? []), listener as (payload: unknown) => void]);
  }

  send<A extends ClientActionName>(action: A, request: ActionRequest<A>): Promise<LiveReply<A>> {
    return new Promise((resolve) =>
      this.sent.push({ action, request, answer: (reply) => resolve(reply as LiveReply<A>) }),
    );
  }

  emit<E extends ServerEventName>(name: E, payload: ServerEvents[E]): void {
    for (const listener of this.#listeners.get(name) ?? []) listener(payload);
  }

  /** Answers the oldest action still waiting: accepted, or refused with `message`. */
  answer(refusal?: { code: ActionError['code']; message: string }): SentAction {
    const action = this.sent.shift();
    if (!action) throw new Error('no action is waiting for an answer');
    action.answer(refusal ? { ok: false, error: refusal } : { ok: true });
    return action;
  }
}

/** Providers that put the fake in place of the real socket class. */
export function provideFakeLive(fake: FakeControlRoomLive) {
  return [{ provide: ControlRoomLive, useValue: fake }];
}

let sequence = 0;
const at = (minute: number) => new Date(Date.UTC(2026, 0, 15, 10, minute)).toISOString();

export function aQuestion(fields: Partial<QuestionView> = {}): QuestionView {
  const n = ++sequence;
  return {
    id: `q${n}`,
    participantId: `p${n}`,
    name: 'Ana García',
    outlet: 'El País',
    text: `Question ${n}`,
    status: 'pending',
    position: null,
    votes: 0,
    onAir: false,
    createdAt: at(n % 60),
    ...fields,
  };
}

export function aMessage(fields: Partial<ChatMessageView> = {}): ChatMessageView {
  const n = ++sequence;
  return {
    id: `m${n}`,
    participantId: `p${n}`,
    authorName: 'Ana García',
    authorOutlet: 'El País',
    authorRole: 'journalist',
    text: `Message ${n}`,
    status: 'visible',
    createdAt: at(n % 60),
    ...fields,
  };
}

export function aHand(fields: Partial<HandView> = {}): HandView {
  const n = ++sequence;
  return {
    id: `h${n}`,
    participantId: `p${n}`,
    name: 'Ana García',
    outlet: 'El País',
    topic: null,
    status: 'raised',
    raisedAt: at(n % 60),
    ...fields,
  };
}

export function aRestriction(fields: Partial<RestrictionView> = {}): RestrictionView {
  const n = ++sequence;
  return {
    participantId: `p${n}`,
    name: 'Ana García',
    outlet: 'El País',
    role: 'journalist',
    muted: true,
    banned: false,
    ...fields,
  };
}

/** A moderator's snapshot with the given parts, empty otherwise. */
export function aState(fields: Partial<LiveState> = {}): LiveState {
  return {
    me: { participantId: 'moderator', role: 'moderator', name: 'Moderator', outlet: null, muted: false },
    event: {
      slug: 'budget',
      title: 'Budget briefing',
      description: '',
      startsAt: at(0),
      status: 'scheduled',
      chatMode: 'post',
      questionsEnabled: true,
      passwordRequired: false,
      slowModeSeconds: 0,
      joinLocked: false,
      startedAt: null,
      endedAt: null,
      language: null,
    },
    chat: [],
    questions: [],
    votedQuestionIds: [],
    hand: null,
    hands: [],
    counters: { audienceOnline: 0, speakersOnline: 0 },
    restrictions: [],
    stage: null,
    myStage: null,
    ...fields,
  };
}

export function aGuest(fields: Partial<StageGuestView> = {}): StageGuestView {
  const n = ++sequence;
  return {
    participantId: `p${n}`,
    handId: `h${n}`,
    name: 'Ana García',
    outlet: 'El País',
    since: at(n % 60),
    muted: false,
    reconnectBy: null,
    ...fields,
  };
}

export function anInvitation(fields: Partial<StageInvitationView> = {}): StageInvitationView {
  const n = ++sequence;
  return {
    participantId: `p${n}`,
    handId: `h${n}`,
    name: 'Ana García',
    outlet: 'El País',
    invitedAt: at(n % 60),
    expiresAt: at((n % 60) + 1),
    ...fields,
  };
}
