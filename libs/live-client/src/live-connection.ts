import {
  LIVE_NAMESPACE,
  type ActionError,
  type ActionReply,
  type ActionRequest,
  type ClientActionName,
  type LiveAuth,
  type ServerEventName,
  type ServerEvents,
} from '@pressroom/protocol';
import { io, type Socket } from 'socket.io-client';

/**
 * `idle` until `connect()`; `connecting` until the connection is up; `connected`; `reconnecting` after an
 * attempt failed or the connection dropped, while it is tried again; `closed` when the server refused the
 * token or kept closing the connection, or after `close()`.
 */
export type LiveStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** A new status, with why the connection is not up (for people) while socket.io tries again or once it is over. */
export type LiveStatusChange =
  | { status: 'idle' | 'connecting' | 'connected'; reason: null; refusal: null }
  | { status: 'reconnecting'; reason: string; refusal: null }
  /**
   * `reason` is null after `close()`. `refusal`: the server refused the token (expired, revoked, banned,
   * event purged), and no retry can help.
   */
  | { status: 'closed'; reason: string | null; refusal: ActionError | null };

/** An action that got no answer from the server: it may or may not have been applied. */
export interface LiveFailure {
  ok: false;
  error: { code: 'timeout' | 'disconnected'; message: string; retryAfterMs?: never };
}

/** The server's acknowledgement of an action, or why none came. */
export type LiveReply<A extends ClientActionName> = ActionReply<A> | LiveFailure;

export interface LiveConnectionOptions {
  /** Where the API is; the page's own origin when left out. */
  baseUrl?: string;
  /** How long an acknowledgement may take. Default 10 s. */
  timeoutMs?: number;
  /**
   * socket.io's wait before trying again, doubling up to the longest. Default 1 s up to 10 s: gentle on a
   * server that thousands of viewers come back to at once.
   */
  reconnectionDelayMs?: number;
  reconnectionDelayMaxMs?: number;
}

type Listener<E extends ServerEventName> = (payload: ServerEvents[E]) => void;

/**
 * How often in a row a connection the server closed is opened again (the count starts afresh with each
 * snapshot): either it was a hiccup, or the server now refuses and says why (a ban, a revoked invite, a
 * purged event), which a close does not.
 */
const SERVER_CLOSE_RETURNS = 3;
/** The wait before such a return, spread up to twice as long so that a whole audience does not return at once. */
const RETURN_AFTER_MS = 1000;

const NOT_CONNECTED = 'Not connected to the server right now: try again in a moment';
const NO_ANSWER = 'The server did not answer: check your connection and try again';
const DROPPED = 'The connection dropped before the server answered: try again';

/**
 * One socket.io connection to `/live`, typed by `@pressroom/protocol`. Listen to server events with `on()`
 * (also before connecting); send acknowledged actions with `send()`, which never throws: a refusal or a
 * missing answer comes back as `{ ok: false, error }`. socket.io reconnects by itself and the server then
 * sends a fresh `state`; events that arrive between a (re)connect and its `state` are covered by that
 * snapshot, so listeners never hear them. Studio signalling is not in the snapshot: its events always pass.
 *
 * ```ts
 * const live = new LiveConnection();
 * live.on('state', (state) => render(state));
 * live.onStatus(({ status, reason }) => showStatus(status, reason));
 * live.connect(joinResponse.accessToken);
 * const reply = await live.send('question:vote', { questionId });
 * ```
 */
export class LiveConnection {
  readonly #baseUrl: string;
  readonly #timeoutMs: number;
  readonly #reconnectionDelay: number;
  readonly #reconnectionDelayMax: number;
  readonly #listeners = new Map<ServerEventName, Set<Listener<never>>>();
  readonly #statusListeners = new Set<(change: LiveStatusChange) => void>();
  #socket: Socket | null = null;
  #status: LiveStatus = 'idle';
  #reason: string | null = null;
  /** Between a (re)connect and its `state`: events then are covered by that snapshot. */
  #awaitingState = true;
  #serverCloseReturns = SERVER_CLOSE_RETURNS;
  #returnTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: LiveConnectionOptions = {}) {
    this.#baseUrl = (options.baseUrl ?? '').replace(/\/$/, '');
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#reconnectionDelay = options.reconnectionDelayMs ?? 1000;
    this.#reconnectionDelayMax = options.reconnectionDelayMaxMs ?? 10_000;
  }

  get status(): LiveStatus {
    return this.#status;
  }

  get connected(): boolean {
    return this.#socket?.connected ?? false;
  }

  /** Connects with an access token (from `POST /api/events/:slug/join`), replacing any earlier connection. */
  connect(token: string): void {
    this.#dropSocket();
    const auth: LiveAuth = { token };
    const socket = io(this.#baseUrl + LIVE_NAMESPACE, {
      auth,
      // WebSocket first (thousands of viewers); long polling where a proxy blocks it.
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnectionDelay: this.#reconnectionDelay,
      reconnectionDelayMax: this.#reconnectionDelayMax,
      forceNew: true,
    });
    this.#socket = socket;
    this.#serverCloseReturns = SERVER_CLOSE_RETURNS;
    this.#setStatus('connecting', null);
    socket.on('connect', () => {
      this.#awaitingState = true;
      this.#setStatus('connected', null);
    });
    socket.on('connect_error', (error: Error & { data?: Partial<ActionError> }) => {
      if (socket.active) return this.#setStatus('reconnecting', error.message);
      // No longer active: the server refused the handshake, and its reason is the error's data.
      this.#dropSocket();
      const refusal: ActionError = {
        code: error.data?.code ?? 'unauthorized',
        message: error.data?.message ?? error.message,
      };
      this.#setStatus('closed', refusal.message, refusal);
    });
    socket.on('disconnect', (reason) => {
      // By `close()` or another `connect()`, which report it themselves.
      if (reason === 'io client disconnect') return;
      if (reason !== 'io server disconnect') return this.#setStatus('reconnecting', 'The connection dropped');
      if (this.#serverCloseReturns-- <= 0) {
        this.#dropSocket();
        return this.#setStatus('closed', 'The server closed the connection');
      }
      this.#setStatus('reconnecting', 'The server closed the connection');
      this.#returnTimer = setTimeout(() => socket.connect(), RETURN_AFTER_MS * (1 + Math.random()));
    });
    socket.onAny((name: ServerEventName, payload: unknown) => this.#receive(name, payload));
  }

  /** Listens to one server event; returns the function that stops listening. */
  on<E extends ServerEventName>(name: E, listener: Listener<E>): () => void {
    const listeners = this.#listeners.get(name) ?? new Set<Listener<never>>();
    this.#listeners.set(name, listeners);
    listeners.add(listener as Listener<never>);
    return () => void listeners.delete(listener as Listener<never>);
  }

  /** Listens to status changes; returns the function that stops listening. */
  onStatus(listener: (change: LiveStatusChange) => void): () => void {
    this.#statusListeners.add(listener);
    return () => void this.#statusListeners.delete(listener);
  }

  /** Sends an action and resolves with its acknowledgement, or with a `timeout` or `disconnected` failure. */
  async send<A extends ClientActionName>(action: A, request: ActionRequest<A>): Promise<LiveReply<A>> {
    const socket = this.#socket;
    // Checked here, or socket.io would buffer the action until some later reconnection.
    if (!socket?.connected) return failure('disconnected', NOT_CONNECTED);
    try {
      return (await socket.timeout(this.#timeoutMs).emitWithAck(action, request)) as ActionReply<A>;
    } catch {
      // socket.io fails a pending acknowledgement at once when the connection drops, else on timeout.
      return socket.connected ? failure('timeout', NO_ANSWER) : failure('disconnected', DROPPED);
    }
  }

  close(): void {
    this.#dropSocket();
    this.#setStatus('closed', null);
  }

  #receive(name: ServerEventName, payload: unknown): void {
    if (name === 'state') {
      this.#awaitingState = false;
      this.#serverCloseReturns = SERVER_CLOSE_RETURNS;
    } else if (this.#awaitingState && !name.startsWith('studio:')) {
      return;
    }
    for (const listener of [...(this.#listeners.get(name) ?? [])]) callSafely(() => listener(payload as never));
  }

  #dropSocket(): void {
    clearTimeout(this.#returnTimer);
    this.#socket?.close();
    this.#socket = null;
  }

  #setStatus(status: LiveStatus, reason: string | null, refusal: ActionError | null = null): void {
    if (status === this.#status && reason === this.#reason && !refusal) return;
    this.#status = status;
    this.#reason = reason;
    const change = { status, reason, refusal } as LiveStatusChange;
    for (const listener of [...this.#statusListeners]) callSafely(() => listener(change));
  }
}

function failure(code: LiveFailure['error']['code'], message: string): LiveFailure {
  return { ok: false, error: { code, message } };
}

/** A listener that throws is reported (as uncaught) and does not keep the others from hearing. */
function callSafely(call: () => void): void {
  try {
    call();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
