import {
  LIVE_NAMESPACE,
  type ActionError,
  type ActionRequest,
  type ErrorCode,
  type ServerEventName,
  type ServerEvents,
  type StudioActions,
  type StudioServerEvents,
} from '@pressroom/protocol';
import { io, type Socket } from 'socket.io-client';
import { StudioAccessError } from './access';

export type StudioAction = keyof StudioActions;
export type StudioEventName = keyof StudioServerEvents;
/** The payload of a successful acknowledgement. */
export type StudioReply<A extends StudioAction> = { ok: true } & StudioActions[A]['reply'];
type Ack<A extends StudioAction> =
  StudioReply<A> | { ok: false; error: { code: ErrorCode; message: string; retryAfterMs?: number } };

/** Why a studio action failed: the server's error code, or `timeout` / `disconnected` on our side. */
export class StudioRequestError extends Error {
  override readonly name = 'StudioRequestError';

  constructor(
    readonly action: StudioAction,
    readonly code: ErrorCode | 'timeout' | 'disconnected',
    message: string,
  ) {
    super(`${action} failed (${code}): ${message}`);
  }
}

export interface SignalingOptions {
  /** How long one acknowledgement may take. */
  requestTimeoutMs?: number;
}

/** A change of the connection after the first connect (see `Signaling.onConnection`). */
export type ConnectionChange = { up: true } | { up: false; willRetry: boolean; reason: string; code?: ErrorCode };

const RATE_LIMIT_RETRIES = 3;
/**
 * How often a connection the server closed is opened again: either it was a hiccup and the studio goes
 * on, or the server refuses and says why (a revoked invite, a ban), which a closed connection does not.
 */
const SERVER_CLOSE_RECONNECTS = 3;

/** socket.io puts the server's refusal (`connect_error`'s `data`) on the error. */
type ConnectError = Error & { data?: Partial<ActionError> };

/**
 * The studio's half of the `/live` socket: typed, acknowledged requests and typed server events.
 * socket.io reconnects by itself; whoever owns this object listens to `connection` and rejoins.
 */
export class Signaling {
  readonly #socket: Socket;
  readonly #timeoutMs: number;
  #serverCloseReconnects = SERVER_CLOSE_RECONNECTS;

  private constructor(socket: Socket, timeoutMs: number) {
    this.#socket = socket;
    this.#timeoutMs = timeoutMs;
    // Registered first, so that listeners of `onConnection` already see the reconnect under way.
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect' && this.#serverCloseReconnects-- > 0) socket.connect();
    });
  }

  /**
   * Resolves once connected; rejects with a `StudioAccessError` carrying the server's reason (an
   * expired or revoked token, a ban), or `unreachable`.
   */
  static connect(baseUrl: string, token: string, options: SignalingOptions = {}): Promise<Signaling> {
    const socket = io(baseUrl.replace(/\/$/, '') + LIVE_NAMESPACE, {
      auth: { token },
      transports: ['websocket', 'polling'],
      reconnectionDelay: 250,
      reconnectionDelayMax: 1000,
      forceNew: true,
    });
    return new Promise((resolve, reject) => {
      const fail = (error: ConnectError) => {
        socket.off('connect', succeed);
        socket.close();
        reject(
          new StudioAccessError(error.data?.code ?? 'unreachable', `Could not connect to the studio: ${error.message}`),
        );
      };
      const succeed = () => {
        socket.off('connect_error', fail);
        resolve(new Signaling(socket, options.requestTimeoutMs ?? 10_000));
      };
      socket.once('connect', succeed);
      socket.once('connect_error', fail);
    });
  }

  get connected(): boolean {
    return this.#socket.connected;
  }

  /**
   * Sends one action and returns its successful reply; throws `StudioRequestError` otherwise. A
   * `rate_limited` refusal is retried after the delay the server asks for. Nothing is queued while
   * disconnected: after a reconnect the studio is joined afresh anyway.
   */
  async request<A extends StudioAction>(action: A, payload: ActionRequest<A>): Promise<StudioReply<A>> {
    for (let attempt = 0; ; attempt++) {
      if (!this.#socket.connected) throw new StudioRequestError(action, 'disconnected', 'not connected');
      let reply: Ack<A>;
      try {
        reply = (await this.#socket.timeout(this.#timeoutMs).emitWithAck(action, payload)) as Ack<A>;
      } catch {
        // socket.io fails pending acknowledgements at once when the connection drops.
        throw this.#socket.connected
          ? new StudioRequestError(action, 'timeout', `no answer within ${this.#timeoutMs} ms`)
          : new StudioRequestError(action, 'disconnected', 'the connection dropped');
      }
      if (reply.ok) return reply;
      const { code, message, retryAfterMs } = reply.error;
      if (code === 'rate_limited' && attempt < RATE_LIMIT_RETRIES) {
        await sleep(retryAfterMs ?? 1000);
        continue;
      }
      throw new StudioRequestError(action, code, message);
    }
  }

  /** Listens to one server event; returns the function that stops listening. */
  on<E extends ServerEventName>(name: E, listener: (payload: ServerEvents[E]) => void): () => void {
    const handler = listener as (payload: unknown) => void;
    this.#socket.on(name as string, handler);
    return () => this.#socket.off(name as string, handler);
  }

  /**
   * Connection changes after the first connect: `up` after socket.io reconnected by itself, `down`
   * when the connection dropped (`willRetry` false when the server refuses it for good, e.g. a revoked
   * invite, with the server's `code`).
   */
  onConnection(listener: (change: ConnectionChange) => void): () => void {
    const up = () => listener({ up: true });
    const down = (reason: string) => listener({ up: false, willRetry: this.#socket.active, reason });
    const refused = (error: ConnectError) => {
      if (!this.#socket.active) {
        listener({ up: false, willRetry: false, reason: error.message, code: error.data?.code });
      }
    };
    this.#socket.on('connect', up);
    this.#socket.on('disconnect', down);
    this.#socket.on('connect_error', refused);
    return () => {
      this.#socket.off('connect', up);
      this.#socket.off('disconnect', down);
      this.#socket.off('connect_error', refused);
    };
  }

  close(): void {
    this.#socket.close();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
