import { ApiError, type ApiErrorCode } from '@pressroom/live-client';
import { StudioAccessError, StudioRequestError, type StudioFailure } from '@pressroom/studio-client';

/** Why a visit cannot go on (or not yet), in the speaker's words. */
export interface Closure {
  heading: string;
  message: string;
  /** Joining again may work (a network problem, an expired session), so the page offers it. */
  canRetry: boolean;
  /** `info` for a normal ending (the event is over), `problem` for the rest. */
  tone: 'info' | 'problem';
}

export type ClosureCode = ApiErrorCode | StudioFailure['code'] | 'incomplete_link';

/** `invite`: while checking the link, before joining; `stay`: after having joined. */
export type Moment = 'invite' | 'stay';

export function closureFor(code: ClosureCode, moment: Moment): Closure {
  switch (code) {
    case 'incomplete_link':
      return {
        heading: $localize`:@@closure.incomplete_link.heading:This link is incomplete`,
        message: $localize`:@@closure.incomplete_link.message:An invite link ends with “?invite=” and a long code. Open the link exactly as you received it, or ask the organisers to send it again.`,
        canRetry: false,
        tone: 'problem',
      };
    case 'invite_revoked':
      return {
        heading: $localize`:@@closure.invite_revoked.heading:This invite was withdrawn`,
        message: $localize`:@@closure.invite_revoked.message:The organisers revoked this invite link. If you think this is a mistake, ask them for a new one.`,
        canRetry: false,
        tone: 'problem',
      };
    case 'event_closed':
      return {
        heading: $localize`:@@closure.event_closed.heading:This event has ended`,
        message: $localize`:@@closure.event_closed.message:Thank you for taking part. The studio is closed now.`,
        canRetry: false,
        tone: 'info',
      };
    case 'event_purged':
      return {
        heading: $localize`:@@closure.event_purged.heading:This event is over`,
        message: $localize`:@@closure.event_purged.message:The event has ended and its data was deleted, so this invite link no longer works.`,
        canRetry: false,
        tone: 'info',
      };
    case 'not_found':
      return {
        heading: $localize`:@@closure.not_found.heading:We could not find this event`,
        message: $localize`:@@closure.not_found.message:Check that you opened the whole invite link. If it still does not work, ask the organisers for a new one.`,
        canRetry: false,
        tone: 'problem',
      };
    case 'banned':
      return {
        heading: $localize`:@@closure.banned.heading:You were removed from this event`,
        message: $localize`:@@closure.banned.message:A moderator removed you. Contact the organisers if you think this is a mistake.`,
        canRetry: false,
        tone: 'problem',
      };
    case 'unauthorized':
      return moment === 'invite'
        ? {
            heading: $localize`:@@closure.unauthorized.heading:This invite link does not work`,
            message: $localize`:@@closure.unauthorized.message:It may be incomplete, changed, or meant for another event. Open the link exactly as you received it, or ask the organisers for a new one.`,
            canRetry: false,
            tone: 'problem',
          }
        : {
            heading: $localize`:@@closure.expired.heading:Your session has expired`,
            message: $localize`:@@closure.expired.message:Join again with the same invite link to go on.`,
            canRetry: true,
            tone: 'problem',
          };
    default:
      return moment === 'invite'
        ? {
            heading: $localize`:@@closure.unreachable.heading:We could not reach the studio`,
            message: $localize`:@@closure.unreachable.message:Check your internet connection, then try again.`,
            canRetry: true,
            tone: 'problem',
          }
        : {
            heading: $localize`:@@closure.lost.heading:The connection to the studio was lost`,
            message: $localize`:@@closure.lost.message:Check your internet connection, then join again.`,
            canRetry: true,
            tone: 'problem',
          };
  }
}

/** The code behind anything the studio client or the connector throws. */
export function codeOf(error: unknown): ClosureCode {
  const known = error instanceof ApiError || error instanceof StudioAccessError || error instanceof StudioRequestError;
  return known ? error.code : 'unreachable';
}
