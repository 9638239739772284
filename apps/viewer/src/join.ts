/**
 * Joining the event as its audience (`POST /api/events/:slug/join`): anonymously to watch, with a name to
 * chat, with a name and an outlet as a journalist; with the password when the event has one. Joining also
 * gives this browser the cookie that lets it fetch a password-protected stream.
 */
import type { JoinResponse } from '@pressroom/protocol';
import { ApiError } from '@pressroom/live-client';
import { joinEvent } from './api';
import { byId, show } from './dom';
import { rememberAccess, rememberedAccess, type Identity } from './remembered';

export class EventJoin {
  /** Kept for this page's life only, to join again under another name. */
  #password: string | null = null;

  constructor(
    private readonly slug: string,
    private readonly passwordRequired: boolean,
  ) {}

  /** The access this browser joined with before, while valid. */
  remembered(): JoinResponse | null {
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
  async join(identity: Identity | null, typed: string | null = null): Promise<JoinResponse> {
    const password = typed ?? this.#password;
    const joined = await joinEvent(this.slug, {
      name: identity?.name || undefined,
      outlet: identity?.outlet || undefined,
      password: this.passwordRequired ? (password ?? undefined) : undefined,
    });
    if (this.passwordRequired) this.#password = password;
    rememberAccess(this.slug, joined);
    return joined;
  }

  /** The remembered access stopped working (expired, revoked, the password changed). */
  forget(): void {
    rememberAccess(this.slug, null);
  }
}

/** Shows the password form until `enter` succeeds with what was typed. */
export function askPassword(enter: (password: string) => Promise<void>): void {
  const form = byId<HTMLFormElement>('password-form');
  const input = byId<HTMLInputElement>('password');
  const error = byId('password-error');
  const button = form.querySelector('button')!;
  show(form, true);
  input.focus();
  form.onsubmit = async (submitted) => {
    submitted.preventDefault();
    error.textContent = '';
    button.disabled = true;
    try {
      await enter(input.value);
      input.value = '';
      show(form, false);
    } catch (failure) {
      error.textContent = failure instanceof ApiError ? failure.message : 'Could not join the event';
      input.select();
    } finally {
      button.disabled = false;
    }
  };
}
