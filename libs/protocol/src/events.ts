/** Realtime protocol of the socket.io namespace `/live`: client actions, server events, and the `state` snapshot. */
import type { ActionError } from './errors';
import type { CaptionCueView, CrewActions, CrewMemberView, CrewServerEvents } from './crew';
import type { RestreamServerEvents } from './restream';
import type { MyStageView, StageActions, StageServerEvents, StageView } from './stage';
import type { StudioActions, StudioServerEvents } from './studio';
import type { ChatMessageView, EventStatus, HandView, PublicEvent, QuestionView, RestrictionView, Role } from './dtos';

export const LIVE_NAMESPACE = '/live';

/** What the client puts in the handshake: `io(url + LIVE_NAMESPACE, { auth })`. */
export interface LiveAuth {
  token: string;
}

export interface Me {
  participantId: string;
  role: Role;
  name: string | null;
  outlet: string | null;
  muted: boolean;
  /** A captioner's or interpreter's language (BCP 47), from their invite; absent or null for everyone else. */
  language?: string | null;
}

/** Who is connected, for the moderators (queues are counted from the lists they already have). */
export interface Counters {
  /** Audience sockets connected to this API node. */
  audienceOnline: number;
  speakersOnline: number;
}

/** Full snapshot for one role, sent on every (re)connect. */
export interface LiveState {
  me: Me;
  event: PublicEvent;
  /** Newest last. Moderators also get pending messages. */
  chat: ChatMessageView[];
  /** Approved and answered questions in queue order; moderators also get pending ones. */
  questions: QuestionView[];
  /** Questions this participant has upvoted. */
  votedQuestionIds: string[];
  /** This journalist's own hand, if raised. */
  hand: HandView | null;
  /** The hand queue, in order: moderators only (empty for others). */
  hands: HandView[];
  /** Moderators only. */
  counters: Counters | null;
  /** The audience members muted or banned in this event, by any moderator: moderators only (empty for others). */
  restrictions: RestrictionView[];
  /** Who is on stage and who is invited: moderators only (null for others). */
  stage: StageView | null;
  /** This journalist's invitation or turn on stage, if any. */
  myStage: MyStageView | null;
  /** Moderators only: every crew invite and its member's state (absent for others). */
  crew?: CrewMemberView[];
  /** Moderators only: the latest `CAPTIONS_IN_STATE` caption cues, oldest first (absent for others). */
  captions?: CaptionCueView[];
}

// ---- client actions (all acknowledged) ----

export type Ack<T extends object = object> = ({ ok: true } & T) | ({ ok: false } & { error: ActionError });

export interface ClientActions extends StudioActions, StageActions, CrewActions {
  'chat:send': { request: { text: string }; reply: { message: ChatMessageView } };
  'question:ask': { request: { text: string }; reply: { question: QuestionView } };
  'question:vote': { request: { questionId: string }; reply: { votes: number } };
  'hand:raise': { request: { topic?: string }; reply: { hand: HandView } };
  'hand:lower': { request: Record<string, never>; reply: object };
  // moderators
  'chat:approve': { request: { messageId: string }; reply: object };
  'chat:hide': { request: { messageId: string }; reply: object };
  'question:approve': { request: { questionId: string }; reply: object };
  'question:reject': { request: { questionId: string }; reply: object };
  'question:edit': { request: { questionId: string; text: string }; reply: object };
  /** The whole approved queue in its new order. */
  'question:order': { request: { questionIds: string[] }; reply: object };
  'question:answered': { request: { questionId: string }; reply: object };
  /** Puts a question on air, or clears the air with `null`. */
  'question:onAir': { request: { questionId: string | null }; reply: object };
  'hand:ack': { request: { handId: string }; reply: object };
  'hand:dismiss': { request: { handId: string }; reply: object };
  'user:mute': { request: { participantId: string; muted: boolean }; reply: object };
  'user:ban': { request: { participantId: string }; reply: object };
}

export type ClientActionName = keyof ClientActions;
export type ActionRequest<A extends ClientActionName> = ClientActions[A]['request'];
export type ActionReply<A extends ClientActionName> = Ack<ClientActions[A]['reply']>;

/**
 * The studio's actions. A journalist may send them only while on stage (invited by a moderator and
 * accepted, until the turn ends): the server checks that on top of this table. The crew joins the
 * studio to hear the floor; captioners publish nothing, and what interpreters and signers may publish
 * is `CREW_TRACK_SOURCES` (checked by the server on `studio:produce`).
 */
const STUDIO: readonly Role[] = ['speaker', 'moderator', 'journalist', 'captioner', 'interpreter', 'signer'];
const STUDIO_PUBLISHERS: readonly Role[] = ['speaker', 'moderator', 'journalist', 'interpreter', 'signer'];

/** Who may send each action. */
export const ACTION_ROLES: { readonly [A in ClientActionName]: readonly Role[] } = {
  'chat:send': ['moderator', 'speaker', 'journalist', 'viewer'],
  'question:ask': ['journalist'],
  'question:vote': ['journalist', 'viewer'],
  'hand:raise': ['journalist'],
  'hand:lower': ['journalist'],
  'chat:approve': ['moderator'],
  'chat:hide': ['moderator'],
  'question:approve': ['moderator'],
  'question:reject': ['moderator'],
  'question:edit': ['moderator'],
  'question:order': ['moderator'],
  'question:answered': ['moderator'],
  'question:onAir': ['moderator'],
  'hand:ack': ['moderator'],
  'hand:dismiss': ['moderator'],
  'user:mute': ['moderator'],
  'user:ban': ['moderator'],
  'stage:invite': ['moderator'],
  'stage:remove': ['moderator'],
  'stage:mute': ['moderator'],
  'stage:accept': ['journalist'],
  'stage:decline': ['journalist'],
  'stage:leave': ['journalist'],
  'caption:send': ['captioner'],
  'studio:join': STUDIO,
  'studio:leave': STUDIO,
  'studio:createTransport': STUDIO,
  'studio:connectTransport': STUDIO,
  'studio:produce': STUDIO_PUBLISHERS,
  'studio:consume': STUDIO,
  'studio:resumeConsumer': STUDIO,
  'studio:pauseProducer': STUDIO_PUBLISHERS,
  'studio:resumeProducer': STUDIO_PUBLISHERS,
  'studio:closeProducer': STUDIO_PUBLISHERS,
};

/** Every action name (the keys of `ACTION_ROLES`), for servers that answer unknown ones and clients that enumerate them. */
export const CLIENT_ACTIONS = Object.keys(ACTION_ROLES) as readonly ClientActionName[];

// ---- server events ----

export interface ServerEvents extends StudioServerEvents, StageServerEvents, RestreamServerEvents, CrewServerEvents {
  state: LiveState;
  'chat:message': ChatMessageView;
  'chat:removed': { id: string };
  /** Moderators only. */
  'question:pending': QuestionView;
  'question:approved': QuestionView;
  'question:updated': QuestionView;
  /** A question left the view of the receiver (rejected, or removed from the queue). */
  'question:removed': { id: string };
  /** The approved queue in its new order. */
  'question:reordered': { questionIds: string[] };
  /** Moderators only: the whole hand queue after any change. */
  'hand:queue': { hands: HandView[] };
  /** To the journalist: their own hand changed (null once lowered or dismissed). */
  'hand:status': { hand: HandView | null };
  /** To the participant: a moderator muted or unmuted them. */
  'user:status': { muted: boolean };
  /** To the participant, just before the server disconnects them. */
  'user:banned': { reason: string };
  /**
   * Moderators only: a moderator muted, unmuted or banned someone. Neither muted nor banned: no longer
   * restricted.
   */
  'user:restriction': RestrictionView;
  'event:status': { status: EventStatus; event: PublicEvent };
  /** Moderators only, every few seconds while something changes. */
  counters: Counters;
  /** An action sent without an acknowledgement callback failed (or was unknown). */
  'action:error': { action: string; error: ActionError };
}

export type ServerEventName = keyof ServerEvents;

export function isClientAction(name: string): name is ClientActionName {
  return (CLIENT_ACTIONS as readonly string[]).includes(name);
}
