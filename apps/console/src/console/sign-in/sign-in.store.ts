import { inject, Injectable, signal } from '@angular/core';
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
  if (!(error instanceof ApiError)) return 'Signing in failed. Try again.';
  switch (error.code) {
    case 'unauthorized':
      return 'The email or the password is not right.';
    case 'rate_limited':
      return 'Too many attempts. Wait a minute, then try again.';
    case 'bad_request':
      return 'Enter a valid email address and your password.';
    default:
      return error.message;
  }
}
