import { createHmac } from 'node:crypto';
import type { IceServer } from '@pressroom/protocol';
import type { Environment } from '../config/environment';
import { turnUrls } from '../config/settings';

/** coturn's TURN REST scheme (`use-auth-secret`): the password of a username is base64(HMAC-SHA1(secret, username)). */
export function turnPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/**
 * The TURN servers handed to studio browsers (speakers, moderators, the guest on stage), each time with a
 * new credential: `<expiry unix time>:<participant id>`, valid TURN_TTL_SECONDS. coturn checks it with the
 * same secret and nothing shared at run time. The secret itself never leaves the server.
 */
export class TurnCredentials {
  readonly #urls: string[];
  readonly #secret: string | undefined;
  readonly #ttlSeconds: number;

  constructor(environment: Pick<Environment, 'TURN_URLS' | 'TURN_SECRET' | 'TURN_TTL_SECONDS'>) {
    this.#urls = turnUrls(environment.TURN_URLS);
    this.#secret = environment.TURN_SECRET;
    this.#ttlSeconds = environment.TURN_TTL_SECONDS;
  }

  /** None without TURN_URLS. */
  for(participantId: string, nowMs = Date.now()): IceServer[] {
    if (this.#urls.length === 0 || !this.#secret) return [];
    const expiry = Math.floor(nowMs / 1000) + this.#ttlSeconds;
    const username = `${expiry}:${participantId}`;
    return [{ urls: [...this.#urls], username, credential: turnPassword(this.#secret, username) }];
  }
}
