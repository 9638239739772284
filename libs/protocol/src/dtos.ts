/** REST request and response shapes, and the views of domain objects that both REST and realtime send. */
import type { StageAppearanceView } from './stage';
import type { CaptionCueView, CrewRole, InviteRole } from './crew';
import type { UiLanguage } from './languages';

/** Crew roles (captioner, interpreter, signer) join by invite like speakers: see `crew.ts`. */
export type Role = 'moderator' | 'speaker' | 'journalist' | 'viewer' | CrewRole;
export type AudienceRole = Extract<Role, 'journalist' | 'viewer'>;

export type EventStatus = 'scheduled' | 'live' | 'ended' | 'purged';
/** `pre`: messages are held until a moderator approves them; `post`: visible at once, moderators can hide. */
export type ChatMode = 'pre' | 'post';

// ---- access ----

export interface LoginRequest {
  email: string;
  password: string;
}
export interface LoginResponse {
  accessToken: string;
  expiresAt: string;
}

export interface CreateModeratorRequest {
  email: string;
  password: string;
}
export interface ModeratorView {
  id: string;
  email: string;
  createdAt: string;
}

export interface JoinRequest {
  name?: string;
  outlet?: string;
  password?: string;
  /** A speaker invite token. */
  invite?: string;
}
export interface JoinResponse {
  accessToken: string;
  role: Role;
  participantId: string;
  expiresAt: string;
  /** A captioner's or interpreter's language (BCP 47), from their invite; absent for everyone else. */
  language?: string;
}

export interface CreateSpeakerRequest {
  name: string;
  /** `speaker` when left out; crew roles: see `crew.ts`. */
  role?: InviteRole;
  /** BCP 47; required for captioners and interpreters, refused for the others. */
  language?: string;
}
export interface SpeakerInviteView {
  id: string;
  name: string;
  inviteToken: string;
  inviteUrl: string;
  role: InviteRole;
  language: string | null;
  createdAt: string;
  revokedAt: string | null;
}

// ---- events ----

export interface CreateEventRequest {
  title: string;
  description?: string;
  /** Lower-case letters, digits and dashes; made from the title when left out. */
  slug?: string;
  startsAt: string;
  password?: string;
  chatMode?: ChatMode;
  questionsEnabled?: boolean;
  /** Hours after the end until chat, questions, hands and identities are purged (0 = at the end). */
  retentionHours?: number;
  /** Seconds an audience member waits between two chat messages (0 = off). */
  slowModeSeconds?: number;
  /**
   * The language the event's pages open in and its slate is written in (a Spanish ministry's briefing opens
   * in Spanish); `null`: each visitor's browser language. A visitor's own pick from a language menu wins.
   */
  language?: UiLanguage | null;
}

export interface UpdateEventRequest {
  title?: string;
  description?: string;
  startsAt?: string;
  /** A new password, or `null` to remove it. */
  password?: string | null;
  chatMode?: ChatMode;
  questionsEnabled?: boolean;
  retentionHours?: number;
  slowModeSeconds?: number;
  /** Locks joining: no new audience member may join; those already in keep watching and taking part. */
  joinLocked?: boolean;
  /**
   * The language the event's pages open in and its slate is written in (a Spanish ministry's briefing opens
   * in Spanish); `null`: each visitor's browser language. A visitor's own pick from a language menu wins.
   */
  language?: UiLanguage | null;
}

/** What anyone may read about an event: no secrets, no personal data. */
export interface PublicEvent {
  slug: string;
  title: string;
  description: string;
  startsAt: string;
  status: EventStatus;
  chatMode: ChatMode;
  questionsEnabled: boolean;
  passwordRequired: boolean;
  slowModeSeconds: number;
  /** Moderators locked joining: only those already in take part (see `UpdateEventRequest.joinLocked`). */
  joinLocked: boolean;
  startedAt: string | null;
  endedAt: string | null;
  /** See `CreateEventRequest.language`. */
  language: UiLanguage | null;
}

/** Aggregate counts kept after the purge. */
export interface EventStats {
  participants: number;
  journalists: number;
  chatMessages: number;
  questions: number;
  questionsApproved: number;
  hands: number;
}

export interface EventDetails extends PublicEvent {
  id: string;
  retentionHours: number;
  createdAt: string;
  purgeAt: string | null;
  purgedAt: string | null;
  /** Set once the event is purged. */
  stats: EventStats | null;
}

// ---- conversation views ----

export type ChatMessageStatus = 'pending' | 'visible' | 'hidden';
export interface ChatMessageView {
  id: string;
  participantId: string;
  authorName: string;
  authorOutlet: string | null;
  authorRole: Role;
  text: string;
  status: ChatMessageStatus;
  createdAt: string;
}

export type QuestionStatus = 'pending' | 'approved' | 'rejected' | 'answered';
export interface QuestionView {
  id: string;
  participantId: string;
  name: string;
  outlet: string;
  text: string;
  status: QuestionStatus;
  /** Place in the approved queue (lower goes first); null until approved. */
  position: number | null;
  votes: number;
  onAir: boolean;
  createdAt: string;
}

/** `answered`: the journalist had their turn on stage. */
export type HandStatus = 'raised' | 'acknowledged' | 'lowered' | 'dismissed' | 'answered';
export interface HandView {
  id: string;
  participantId: string;
  name: string;
  outlet: string;
  topic: string | null;
  status: HandStatus;
  raisedAt: string;
}

/** An audience member's standing in the chat: muted (cannot chat), banned (removed from the event), or neither. */
export interface RestrictionView {
  participantId: string;
  name: string | null;
  outlet: string | null;
  role: Role;
  muted: boolean;
  banned: boolean;
}

export interface AuditEntryView {
  id: string;
  actorParticipantId: string;
  action: string;
  targetType: 'chat' | 'question' | 'hand' | 'participant';
  targetId: string;
  at: string;
}

// ---- privacy ----

export interface Transcript {
  event: EventDetails;
  exportedAt: string;
  chat: ChatMessageView[];
  questions: QuestionView[];
  hands: HandView[];
  moderation: AuditEntryView[];
  /** Journalists who spoke on stage as guests, in order. */
  stage: StageAppearanceView[];
  /** The captioners' lines, in the order sent, every language. */
  captions: CaptionCueView[];
}
