/**
 * The broadcast's crew: people invited like speakers (personal, revocable links) for a job other than
 * speaking on camera. A captioner types live captions in one language; an interpreter speaks one other
 * language over the floor's sound (an alternate audio rendition, not in the picture); a signer is a
 * sign-language interpreter whose camera has a fixed place in the broadcast that nothing covers.
 */

/** What an invite is for; `speaker` when a moderator does not say. */
export const INVITE_ROLES = ['speaker', 'captioner', 'interpreter', 'signer'] as const;
export type InviteRole = (typeof INVITE_ROLES)[number];
export type CrewRole = Exclude<InviteRole, 'speaker'>;
export const CREW_ROLES: readonly CrewRole[] = ['captioner', 'interpreter', 'signer'];

/** Roles that need the language they work in (captions or interpretation into it). */
export const ROLES_WITH_LANGUAGE: readonly InviteRole[] = ['captioner', 'interpreter'];

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

/** One caption line as the server keeps it and sends it to whoever shows captions (console preview, transcript). */
export interface CaptionCueView {
  id: string;
  /** The captioner's language (BCP 47). */
  language: string;
  text: string;
  /** When the captioner sent it (ISO 8601); the cue is timed from this against the program date-time. */
  sentAt: string;
}

/** How a crew member is doing, for the moderators' control room. */
export type CrewState = 'offline' | 'connected' | 'sending' | 'silent';
export interface CrewMemberView {
  participantId: string;
  name: string;
  role: CrewRole;
  language: string | null;
  state: CrewState;
}
