import {
  LIVE_NAMESPACE,
  type ActionReply,
  type ActionRequest,
  type ClientActionName,
  type LiveAuth,
  type ServerEventName,
  type ServerEvents,
} from '@pressroom/protocol';
import { io, type Socket } from 'socket.io-client';

/**
 * `idle` until `connect()`; `connecting` until the first connection; `connected`; `reconnecting` while
 * socket.io tries again by itself; `closed` when it gave up: the server refused the token or cut the
 * connection for good (event purged, ban), or `close()` was called.
 */
export type LiveStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** An action that got no answer from the server: it may or may not have been applied. */
export interface LiveFailure {
  ok: false;
  error: { code: 'timeout' | 'disconnected'; message: string };
}

/** The server's acknowledgement of an action, or why none came. */
export type LiveReply<A extends ClientActionName> = ActionReply<A> | LiveFailure;

export interface LiveConnectionOptions {
  /** Where the API is; the page's own origin when left out. */
  baseUrl?: string;
  /** How long an acknowledgement may take. */
  timeoutMs?: number;
}

/**
 * One socket.io connection to `/live`, typed by `@pressroom/protocol`: listen to server events with
 * `on()` (also before connecting), send acknowledged actions with `send()` (never throws: a refusal or
 * a missing answer comes back as `{ ok: false, error }`). socket.io reconnects by itself, and the server
 * then sends a fresh `state`: listeners of `state` rebuild from it.
 *
 * ```ts
 * const live = new LiveConnection();
 * live.on('state', (state) => render(state));
 * live.connect(joinResponse.accessToken);
 * const reply = await live.send('question:approve', { questionId });
 * ```
 */
export class LiveConnection {
  readonly #socket: Socket;
  readonly #timeoutMs: number;
  #status: LiveStatus = 'idle';
  readonly #statusListeners = new Set<(status: LiveStatus, reason: string | null) => void>();

  constructor(options: LiveConnectionOptions = {}) {
    const baseUrl = (options.baseUrl ?? globalThis.location?.origin ?? '').replace(/\/$/, '');
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#socket = io(baseUrl + LIVE_NAMESPACE, {
      autoConnect: false,
      transports: ['websocket', 'polling'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      forceNew: true,
    });
    this.#socket.on('connect', () => this.#setStatus('connected', null));
    this.#socket.on('disconnect', (reason) =>
      this.#setStatus(this.#socket.active ? 'reconnecting' : 'closed', describeDisconnect(reason)),
    );
    this.#socket.on('connect_error', (error: Error) => {
      // Not active: the server refused the handshake (its reason is the message); otherwise a retry follows.
      if (!this.#socket.active) this.#setStatus('closed', error.message);
      else if (this.#status !== 'connecting') this.#setStatus('reconnecting', error.message);
    });
  }

  /** Connects with an access token (from `POST /api/events/:slug/join`); again with a new token after `close()`. */
  connect(token: string): void {
    if (this.#socket.active) this.#socket.disconnect();
    const auth: LiveAuth = { token };
    this.#socket.auth = auth;
    this.#setStatus('connecting', null);
    this.#socket.connect();
  }

  /** Listens to one server event; returns the function that stops listening. */
  on<E extends ServerEventName>(name: E, listener: (payload: ServerEvents[E]) => void): () => void {
    const handler = listener as (payload: unknown) => void;
    this.#socket.on(name as string, handler);
    return () => this.#socket.off(name as string, handler);
  }

  /** Listens to status changes, with the reason of a disconnection; returns the function that stops listening. */
  onStatus(listener: (status: LiveStatus, reason: string | null) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  async send<A extends ClientActionName>(action: A, request: ActionRequest<A>): Promise<LiveReply<A>> {
    if (!this.#socket.connected) {
      return { ok: false, error: { code: 'disconnected', message: 'Not connected to the server' } };
    }
    try {
      return (await this.#socket.timeout(this.#timeoutMs).emitWithAck(action, request)) as ActionReply<A>;
    } catch {
      // socket.io fails a pending acknowledgement at once when the connection drops, else on timeout.
      return this.#socket.connected
        ? { ok: false, error: { code: 'timeout', message: 'The server did not answer in time' } }
        : { ok: false, error: { code: 'disconnected', message: 'The connection dropped' } };
    }
  }

  close(): void {
    this.#socket.close();
    this.#setStatus('closed', null);
  }

  #setStatus(status: LiveStatus, reason: string | null): void {
    if (status === this.#status && reason === null) return;
    this.#status = status;
    for (const listener of this.#statusListeners) listener(status, reason);
  }
}

function describeDisconnect(reason: Socket.DisconnectReason): string {
  switch (reason) {
    case 'io server disconnect':
      return 'The server closed the connection';
    case 'io client disconnect':
      return 'Disconnected';
    default:
      return 'The connection dropped';
  }
}
