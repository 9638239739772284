import { computed, Injectable, signal } from '@angular/core';
import type { LoginResponse } from '@pressroom/protocol';

const STORAGE_KEY = 'pressroom.console.login';

/**
 * The signed-in moderator's bearer token. Kept in sessionStorage: it survives a reload but not the
 * closing of the tab, and other tabs sign in on their own.
 */
@Injectable({ providedIn: 'root' })
export class ModeratorSession {
  readonly #login = signal<LoginResponse | null>(readStored());
  readonly token = computed(() => this.#login()?.accessToken ?? null);

  /** Whether there is a token that has not expired yet. */
  isValid(now = Date.now()): boolean {
    const login = this.#login();
    return login !== null && Date.parse(login.expiresAt) > now;
  }

  start(login: LoginResponse): void {
    this.#login.set(login);
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(login));
    } catch {
      // storage disabled: the session lasts as long as the page
    }
  }

  end(): void {
    this.#login.set(null);
    try {
      sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // storage disabled: nothing was kept
    }
  }
}

function readStored(): LoginResponse | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<LoginResponse> | null;
    return typeof stored?.accessToken === 'string' && typeof stored.expiresAt === 'string'
      ? { accessToken: stored.accessToken, expiresAt: stored.expiresAt }
      : null;
  } catch {
    return null;
  }
}
