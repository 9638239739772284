import { DestroyRef, inject, Injectable, signal } from '@angular/core';
import { errorText } from '../../shared/i18n/error-text';
import { ApiClient, LiveConnection, type LiveReply, type LiveStatus } from '@pressroom/live-client';
import type { ActionRequest, ClientActionName, JoinResponse, ServerEventName, ServerEvents } from '@pressroom/protocol';

/**
 * The control room's realtime I/O, and nothing else: joins the event as its moderator, keeps one
 * `/live` connection, hands server events to the stores that listen, and sends their actions.
 * One per control room page; it closes with the page.
 */
@Injectable()
export class ControlRoomLive {
  readonly #api = inject(ApiClient);
  readonly #connection = new LiveConnection({ reconnectionDelayMs: 500, reconnectionDelayMaxMs: 5000 });
  readonly #status = signal<LiveStatus>('idle');
  readonly #problem = signal<string | null>(null);
  readonly status = this.#status.asReadonly();
  /** Why the connection is down or could not be made. */
  readonly problem = this.#problem.asReadonly();

  constructor() {
    this.#connection.onStatus(({ status, reason }) => {
      this.#status.set(status);
      this.#problem.set(status === 'connected' ? null : reason);
    });
    inject(DestroyRef).onDestroy(() => this.#connection.close());
  }

  /** Joins the event (the server answers a moderator's bearer token with an access token) and connects. */
  async open(slug: string): Promise<void> {
    this.#status.set('connecting');
    this.#problem.set(null);
    try {
      const joined = await this.#api.post<JoinResponse>(`/api/events/${encodeURIComponent(slug)}/join`, {});
      this.#connection.connect(joined.accessToken);
    } catch (error) {
      this.#status.set('closed');
      this.#problem.set(errorText(error));
    }
  }

  on<E extends ServerEventName>(name: E, listener: (payload: ServerEvents[E]) => void): void {
    this.#connection.on(name, listener);
  }

  send<A extends ClientActionName>(action: A, request: ActionRequest<A>): Promise<LiveReply<A>> {
    return this.#connection.send(action, request);
  }
}
