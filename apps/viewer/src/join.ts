/**
 * Joining the event as its audience (`POST /api/events/:slug/join`): anonymously to watch, with a name to
 * chat, with a name and an outlet as a journalist; with the password when the event has one. Joining also
 * gives this browser the cookie that lets it fetch a password-protected stream.
 */
import type { Me } from '@pressroom/protocol';
import { ApiError } from '@pressroom/live-client';
import { joinEvent } from './api';
import { byId, errorText, setText, show } from './dom';
import { t } from './i18n';
import { revealFooter } from './privacy';
import { rememberAccess, rememberedAccess, type Identity, type RememberedAccess } from './remembered';

export class EventJoin {
  /** Kept for this page's life only, to join again under another name. */
  #password: string | null = null;

  constructor(
    private readonly slug: string,
    private readonly passwordRequired: boolean,
  ) {}

  /** The access this browser joined with before, while valid. */
  remembered(): RememberedAccess | null {
    return rememberedAccess(this.slug);
  }

  /** True when joining again needs the password typed once more (it is never stored). */
  get needsPassword(): boolean {
    return this.passwordRequired && this.#password === null;
  }

  /**
   * Joins as `identity` (null: an anonymous viewer), with `password` or else the one typed before.
   * Throws `ApiError` with a message for people.
   */
  async join(identity: Identity | null, typed: string | null = null): Promise<RememberedAccess> {
    const password = typed ?? this.#password;
    const joined = await joinEvent(this.slug, {
      name: identity?.name || undefined,
      outlet: identity?.outlet || undefined,
      password: this.passwordRequired ? (password ?? undefined) : undefined,
    });
    if (this.passwordRequired) this.#password = password;
    const access = { ...joined, identity: identity?.name ? identity : null };
    rememberAccess(this.slug, access);
    return access;
  }

  /** The remembered access stopped working (expired, revoked, the password changed). */
  forget(): void {
    rememberAccess(this.slug, null);
  }
}

/**
 * Who this browser is in the event as far as the join tells, before the live state says it: lets the page
 * draw "Take part", asking and chatting in their final shape at once. Unknown for an access an older page
 * kept without its identity.
 */
export function expectedMe(access: RememberedAccess): Me | null {
  if (access.identity === undefined) return null;
  return {
    participantId: access.participantId,
    role: access.role,
    name: access.identity?.name ?? null,
    outlet: access.identity?.outlet || null,
    muted: false,
  };
}

/** Shows the password form until `enter` succeeds with what was typed. */
export function askPassword(enter: (password: string) => Promise<void>): void {
  const form = byId<HTMLFormElement>('password-form');
  const input = byId<HTMLInputElement>('password');
  const error = byId('password-error');
  const button = form.querySelector('button')!;
  show(form, true);
  revealFooter();
  input.focus();
  form.onsubmit = async (submitted) => {
    submitted.preventDefault();
    setText(error, '');
    button.disabled = true;
    try {
      await enter(input.value);
      input.value = '';
      show(form, false);
    } catch (failure) {
      setText(error, () => (failure instanceof ApiError ? errorText(failure) : t('join.failed')));
      input.select();
    } finally {
      button.disabled = false;
    }
  };
}
