/**
 * The journalist on stage: a moderator invites a raised hand into the studio as a guest, who publishes a
 * microphone (and a camera) until the turn ends. Actions, events, views and the rules both sides share.
 */
import type { TrackSource } from './studio';

/** What a guest may publish in the studio: never a screen. */
export const GUEST_TRACK_SOURCES: readonly TrackSource[] = ['microphone', 'camera'];

/** Defaults of the server's settings (`STAGE_MAX_GUESTS`, `STAGE_INVITE_SECONDS`, `STAGE_RECONNECT_SECONDS`). */
export const STAGE_DEFAULTS = { maxGuests: 1, inviteSeconds: 60, reconnectSeconds: 30 } as const;

/** Why an invitation did not lead to a turn. */
export type StageDeclineReason = 'declined' | 'lapsed';

/**
 * Why a turn on stage ended (`removed` by a moderator, `left` by the guest, `disconnected` beyond the
 * grace, `event ended`), or why an invitation went before it was accepted (`withdrawn`, `lapsed`).
 */
export type StageEndReason = 'removed' | 'left' | 'disconnected' | 'event ended' | 'withdrawn' | 'lapsed';

/** A journalist on stage now. */
export interface StageGuestView {
  participantId: string;
  handId: string;
  name: string;
  outlet: string;
  /** When they accepted. */
  since: string;
  /** A moderator muted their microphone. */
  muted: boolean;
  /** Their connection dropped: the turn ends at `reconnectBy` unless they come back. */
  reconnectBy: string | null;
}

/** An invitation not answered yet. */
export interface StageInvitationView {
  participantId: string;
  handId: string;
  name: string;
  outlet: string;
  invitedAt: string;
  expiresAt: string;
}

/** The stage as moderators see it. */
export interface StageView {
  guests: StageGuestView[];
  invitations: StageInvitationView[];
  maxGuests: number;
}

/** The journalist's own place: invited (until `expiresAt`) or on stage (since `since`). */
export type MyStageView =
  | { status: 'invited'; handId: string; expiresAt: string }
  | { status: 'onStage'; handId: string; since: string; muted: boolean };

/** A guest appearance in the transcript. */
export interface StageAppearanceView {
  participantId: string;
  name: string;
  outlet: string;
  from: string;
  /** Null while on stage. */
  to: string | null;
}

export interface StageActions {
  /** Moderators: invite the journalist behind a raised hand on stage. */
  'stage:invite': { request: { handId: string }; reply: object };
  /** Moderators: end a guest's turn (or withdraw an invitation not answered yet). */
  'stage:remove': { request: { participantId: string }; reply: object };
  /** Moderators: mute or unmute a guest's microphone in the studio and the broadcast. */
  'stage:mute': { request: { participantId: string; muted: boolean }; reply: object };
  /** The invited journalist: accept (then join the studio) or decline. */
  'stage:accept': { request: Record<string, never>; reply: object };
  'stage:decline': { request: Record<string, never>; reply: object };
  /** The guest: end their own turn. */
  'stage:leave': { request: Record<string, never>; reply: object };
}

export interface StageServerEvents {
  /** To the journalist: a moderator invites them on stage; answer before `expiresAt`. */
  'stage:invited': { handId: string; expiresAt: string };
  /** To moderators: an invitation was declined or lapsed. */
  'stage:declined': { handId: string; participantId: string; reason: StageDeclineReason };
  /** To the journalist: their invitation went or their turn ended; their tracks are closed. */
  'stage:ended': { reason: StageEndReason };
  /** To the guest: a moderator muted or unmuted their microphone. */
  'stage:muted': { muted: boolean };
  /** To moderators: the whole stage after any change. */
  'stage:changed': StageView;
}
