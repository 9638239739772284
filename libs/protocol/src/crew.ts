/**
 * The broadcast's crew: people invited like speakers (personal, revocable links) for a job other than
 * speaking on camera. A captioner types live captions in one language; an interpreter speaks one other
 * language over the floor's sound (an alternate audio rendition, not in the picture); a signer is a
 * sign-language interpreter whose camera has a fixed place in the broadcast that nothing covers.
 */
import type { Role } from './dtos';
import { FLOOR_STUDIO_ROLES, type StudioRole, type TrackSource } from './studio';

/** What an invite is for; `speaker` when a moderator does not say. */
export const INVITE_ROLES = ['speaker', 'captioner', 'interpreter', 'signer'] as const;
export type InviteRole = (typeof INVITE_ROLES)[number];
export type CrewRole = Exclude<InviteRole, 'speaker'>;
export const CREW_ROLES: readonly CrewRole[] = ['captioner', 'interpreter', 'signer'];

export function isCrewRole(role: unknown): role is CrewRole {
  return (CREW_ROLES as readonly unknown[]).includes(role);
}

/** "A captioner", "An interpreter": a role in a sentence of a message, capitalised. */
export function aRole(role: string): string {
  return `${/^[aeiou]/.test(role) ? 'An' : 'A'} ${role}`;
}

/** Roles that need the language they work in (captions or interpretation into it). */
export const ROLES_WITH_LANGUAGE: readonly InviteRole[] = ['captioner', 'interpreter'];

/**
 * What each crew role may publish in the studio. A captioner publishes nothing (they type); an
 * interpreter only their microphone (their voice goes to their language's audio rendition, never into
 * the floor's mix nor to the speakers); a signer only their camera: signing is the interpretation, and a
 * signer's microphone would only add noise to the floor, so it is refused.
 */
export const CREW_TRACK_SOURCES: { readonly [R in CrewRole]: readonly TrackSource[] } = {
  captioner: [],
  interpreter: ['microphone'],
  signer: ['camera'],
};

/**
 * Whose tracks a studio client receives: everyone receives the floor (speakers, moderators, guests);
 * the crew's tracks (an interpreter's voice, a signer's camera) go to the broadcast, and only moderators
 * may receive them in the studio (the server refuses anyone else an interpreter's voice).
 */
export function receivesTracksOf(self: Role, peer: StudioRole): boolean {
  return FLOOR_STUDIO_ROLES.includes(peer) || self === 'moderator';
}

/**
 * A BCP 47 language tag as crew and events use it: a 2–3 letter primary language, optionally a region or
 * script (`es`, `fr`, `en-GB`, `zh-Hant`). Stored lower-cased primary, as given otherwise.
 */
export const LANGUAGE_TAG_PATTERN = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/;
export function isLanguageTag(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 35 && LANGUAGE_TAG_PATTERN.test(value);
}

/** The longest caption line a captioner may send, in characters. */
export const CAPTION_MAX_LENGTH = 300;

/** How many of the latest cues a moderator's `state` carries (the console preview's backlog). */
export const CAPTIONS_IN_STATE = 50;

/** A captioner who sent nothing (line or interim text) for this long is `silent`. */
export const CREW_SILENT_SECONDS = 20;

/** One caption line as the server keeps it and sends it to whoever shows captions (console preview, transcript). */
export interface CaptionCueView {
  id: string;
  /** The captioner's language (BCP 47). */
  language: string;
  text: string;
  /** When the captioner sent it (ISO 8601, the server's clock); the cue is timed from this against the program date-time. */
  sentAt: string;
  /** The captioner who sent it. */
  participantId: string;
}

/** Text a captioner is still typing: relayed as it comes, never stored. Empty text clears it. */
export interface CaptionInterimView {
  participantId: string;
  language: string;
  text: string;
  at: string;
}

/** How a crew member is doing, for the moderators' control room. */
export type CrewState = 'offline' | 'connected' | 'sending' | 'silent';
/**
 * One crew invite (not revoked) and its member's state: `offline` (no connection), `connected` (page
 * open; an interpreter or signer not publishing yet; a captioner who has sent nothing yet), `sending`
 * (a captioner who sent within `CREW_SILENT_SECONDS`; an interpreter's or signer's track live), `silent`
 * (a captioner quiet for longer; an interpreter's or signer's track paused).
 */
export interface CrewMemberView {
  inviteId: string;
  /** Null until the member first joins with their invite. */
  participantId: string | null;
  name: string;
  role: CrewRole;
  language: string | null;
  state: CrewState;
}

export interface CaptionSendRequest {
  /** One line (no line breaks), at most `CAPTION_MAX_LENGTH` characters; may be empty only when interim. */
  text: string;
  /** Text still being typed: relayed to moderators, not stored, never a cue. */
  interim?: boolean;
}

export interface CrewActions {
  /** Captioners only: a final line becomes a stored cue (`cue` in the reply); interim text only is relayed (`cue: null`). */
  'caption:send': { request: CaptionSendRequest; reply: { cue: CaptionCueView | null } };
}

export interface CrewServerEvents {
  /** Moderators: a captioner's final line. */
  'caption:cue': CaptionCueView;
  /** Moderators: a captioner's text as they type it. */
  'caption:interim': CaptionInterimView;
  /** Moderators: the whole crew after any change of a member's state or of the crew invites. */
  'crew:changed': { crew: CrewMemberView[] };
}
