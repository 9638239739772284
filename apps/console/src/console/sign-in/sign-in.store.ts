import { inject, Injectable, signal } from '@angular/core';
import { errorText } from '../../shared/i18n/error-text';
import type { LoginRequest, LoginResponse } from '@pressroom/protocol';
import { ApiClient, ApiError } from '@pressroom/live-client';
import { ModeratorSession } from '../session/moderator-session';

/** Signing a moderator in with email and password. */
@Injectable({ providedIn: 'root' })
export class SignInStore {
  readonly #api = inject(ApiClient);
  readonly #session = inject(ModeratorSession);
  readonly #busy = signal(false);
  readonly #error = signal<string | null>(null);
  readonly busy = this.#busy.asReadonly();
  readonly error = this.#error.asReadonly();

  /** Resolves true once signed in; false with `error` set otherwise. */
  async signIn(request: LoginRequest): Promise<boolean> {
    this.#busy.set(true);
    this.#error.set(null);
    try {
      this.#session.start(await this.#api.post<LoginResponse>('/api/auth/login', request));
      return true;
    } catch (error) {
      this.#error.set(describeLoginError(error));
      return false;
    } finally {
      this.#busy.set(false);
    }
  }
}

function describeLoginError(error: unknown): string {
  if (!(error instanceof ApiError)) return $localize`:@@signIn.error.failed:Signing in failed. Try again.`;
  switch (error.code) {
    case 'unauthorized':
      return $localize`:@@signIn.error.unauthorized:The email or the password is not right.`;
    case 'rate_limited':
      return $localize`:@@signIn.error.rateLimited:Too many attempts. Wait a minute, then try again.`;
    case 'bad_request':
      return $localize`:@@signIn.error.badRequest:Enter a valid email address and your password.`;
    default:
      return errorText(error);
  }
}
