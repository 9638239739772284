import { uiLanguage } from './ui-language';
import type { ErrorCode } from '@pressroom/protocol';

/**
 * A failure as a sentence in the page's language. In English, the server's own message (the server writes
 * English, and says the most: "This hand is lowered"). In the other languages, by the server's error `code`
 * (libs/protocol errors.ts); the server's message only for `bad_request`, whose message names the field at
 * fault, and for a code this page does not know yet. No code at all: the server could not be reached.
 */
export function errorText(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const found = (error as { message?: unknown } | null)?.message;
  const message = typeof found === 'string' ? found : typeof error === 'string' ? error : '';
  if (uiLanguage() === 'en' && message) return message;
  if (typeof code !== 'string')
    return message || $localize`:@@error.unreachable:The server could not be reached: try again.`;
  if (code === 'unreachable') return $localize`:@@error.unreachable:The server could not be reached: try again.`;
  if (code === 'bad_request') return message || $localize`:@@error.bad_request:The request was refused.`;
  return codeText(code as ErrorCode) ?? message;
}

function codeText(code: ErrorCode): string | undefined {
  switch (code) {
    case 'bad_request':
      return $localize`:@@error.bad_request:The request was refused.`;
    case 'unknown_event':
      return $localize`:@@error.unknown_event:There is no such event.`;
    case 'unauthorized':
      return $localize`:@@error.unauthorized:Sign in again to go on.`;
    case 'forbidden':
      return $localize`:@@error.forbidden:You may not do this.`;
    case 'not_found':
      return $localize`:@@error.not_found:It is not there any more.`;
    case 'rate_limited':
      return $localize`:@@error.rate_limited:Too many attempts. Wait a moment, then try again.`;
    case 'unsupported_media_type':
      return $localize`:@@error.unsupported_media_type:The request was refused.`;
    case 'internal':
      return $localize`:@@error.internal:Something went wrong on the server. Try again.`;
    case 'slug_taken':
      return $localize`:@@error.slug_taken:Another event already has this address.`;
    case 'invalid_transition':
      return $localize`:@@error.invalid_transition:The event is not in a state that allows this.`;
    case 'event_closed':
      return $localize`:@@error.event_closed:The event has ended.`;
    case 'event_purged':
      return $localize`:@@error.event_purged:The event's data has been purged.`;
    case 'password_required':
      return $localize`:@@error.password_required:This event needs a password.`;
    case 'wrong_password':
      return $localize`:@@error.wrong_password:The password is not right.`;
    case 'invite_revoked':
      return $localize`:@@error.invite_revoked:This invite link has been revoked.`;
    case 'banned':
      return $localize`:@@error.banned:You were removed from this event.`;
    case 'join_locked':
      return $localize`:@@error.join_locked:Joining is closed for now.`;
    case 'muted':
      return $localize`:@@error.muted:You are muted in the chat.`;
    case 'slow_mode':
      return $localize`:@@error.slow_mode:Slow mode: wait a moment before the next message.`;
    case 'name_required':
      return $localize`:@@error.name_required:Give your name first.`;
    case 'questions_closed':
      return $localize`:@@error.questions_closed:Questions are closed.`;
    case 'already_voted':
      return $localize`:@@error.already_voted:You already voted for this question.`;
    case 'invalid_order':
      return $localize`:@@error.invalid_order:The queue changed meanwhile. Try again.`;
    case 'invalid_state':
      return $localize`:@@error.invalid_state:It changed meanwhile. Try again.`;
    case 'already_raised':
      return $localize`:@@error.already_raised:The hand is already raised.`;
    case 'stage_full':
      return $localize`:@@error.stage_full:The stage is full.`;
    case 'restream_locked':
      return $localize`:@@error.restream_locked:Destinations cannot change while the event is live or after it.`;
    case 'restream_full':
      return $localize`:@@error.restream_full:The event has as many destinations as it may.`;
    default:
      return undefined;
  }
}
