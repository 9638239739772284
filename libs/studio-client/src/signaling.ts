import { LiveConnection, type ApiErrorCode } from '@pressroom/live-client';
import type {
  ActionRequest,
  CrewActions,
  ErrorCode,
  ServerEventName,
  ServerEvents,
  StudioActions,
  StudioServerEvents,
} from '@pressroom/protocol';

/** The studio's signalling, and the crew's actions (a captioner's lines) on the same connection. */
type SignalingActions = StudioActions & CrewActions;
export type StudioAction = keyof SignalingActions;
export type StudioEventName = keyof StudioServerEvents;
/** The payload of a successful acknowledgement. */
export type StudioReply<A extends StudioAction> = { ok: true } & SignalingActions[A]['reply'];

/** Why the studio connection could not be opened: the server's error code (`unreachable` when it did not answer), as for REST calls. */
export type StudioAccessCode = ApiErrorCode;

/** The server refused this speaker's `/live` connection (an expired or revoked token, a ban…), or could not be reached. */
export class StudioAccessError extends Error {
  override readonly name = 'StudioAccessError';

  constructor(
    readonly code: StudioAccessCode,
    message: string,
  ) {
    super(message);
  }
}

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
 * The studio's half of the `/live` connection: typed, acknowledged requests that throw when they fail,
 * and the connection's changes after it first opened, for whoever owns this object to rejoin.
 */
export class Signaling {
  readonly #live: LiveConnection;
  #opened = false;

  constructor(baseUrl: string, options: SignalingOptions = {}) {
    // A studio comes back quickly: a handful of people, and their media is waiting.
    this.#live = new LiveConnection({
      baseUrl,
      timeoutMs: options.requestTimeoutMs,
      reconnectionDelayMs: 250,
      reconnectionDelayMaxMs: 1000,
    });
  }

  /**
   * Connects (listeners added before hear the first `state`). Resolves once connected; rejects with a
   * `StudioAccessError` carrying the server's reason (an expired or revoked token, a ban), or `unreachable`.
   */
  open(token: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const stop = this.#live.onStatus(({ status, reason, refusal }) => {
        if (status === 'connected') {
          stop();
          this.#opened = true;
          resolve();
        } else if (status === 'reconnecting' || status === 'closed') {
          stop();
          this.#live.close();
          const code = refusal?.code ?? 'unreachable';
          reject(
            new StudioAccessError(code, `Could not connect to the studio: ${reason ?? 'the connection was closed'}`),
          );
        }
      });
      this.#live.connect(token);
    });
  }

  get connected(): boolean {
    return this.#live.connected;
  }

  /**
   * Sends one action and returns its successful reply; throws `StudioRequestError` otherwise. A
   * `rate_limited` refusal is retried after the delay the server asks for. Nothing is queued while
   * disconnected: after a reconnect the studio is joined afresh anyway.
   */
  async request<A extends StudioAction>(action: A, payload: ActionRequest<A>): Promise<StudioReply<A>> {
    for (let attempt = 0; ; attempt++) {
      const reply = await this.#live.send(action, payload);
      if (reply.ok) return reply as StudioReply<A>;
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
    return this.#live.on(name, listener);
  }

  /**
   * Connection changes after `open()` succeeded: `up` once connected again, `down` when the connection
   * dropped (`willRetry` false when it is over: the server refuses it for good, e.g. a revoked invite,
   * with the server's `code`, or kept closing it).
   */
  onConnection(listener: (change: ConnectionChange) => void): () => void {
    let up = true;
    return this.#live.onStatus((change) => {
      if (!this.#opened) return;
      if (change.status === 'connected') {
        up = true;
        listener({ up: true });
      } else if (change.status === 'reconnecting' && up) {
        up = false;
        listener({ up: false, willRetry: true, reason: change.reason });
      } else if (change.status === 'closed' && change.reason !== null) {
        up = false;
        listener({ up: false, willRetry: false, reason: change.reason, code: change.refusal?.code });
      }
    });
  }

  close(): void {
    this.#live.close();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
