/** The socket.io connection to `/live`: typed actions and events, reconnection, and the snapshot rule. */
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
import type { ConnectionStatus } from './store';

const ACK_TIMEOUT_MS = 10_000;
/** After the server closed the connection on its side (not a refusal): wait, then come back. */
const RETURN_AFTER_MS = 2_000;

type Handler<E extends ServerEventName> = (payload: ServerEvents[E]) => void;

export interface LiveConnectionCallbacks {
  status(status: ConnectionStatus): void;
  /** The server refused the token (expired, revoked, banned, event purged): reconnecting cannot help. */
  refused(error: ActionError): void;
}

export class LiveConnection {
  #socket: Socket | null = null;
  /** Events between a (re)connect and its `state` are covered by that snapshot, so they are dropped. */
  #awaitingState = true;
  readonly #handlers = new Map<ServerEventName, Array<Handler<never>>>();

  constructor(private readonly callbacks: LiveConnectionCallbacks) {}

  /** Connects with this access token, closing any earlier connection. */
  connect(token: string): void {
    this.close();
    const auth: LiveAuth = { token };
    const socket = io(LIVE_NAMESPACE, {
      auth,
      // WebSocket first (thousands of viewers); long polling where a proxy blocks it.
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnectionDelayMax: 10_000,
    });
    this.#socket = socket;
    this.callbacks.status('connecting');
    socket.on('connect', () => (this.#awaitingState = true));
    socket.on('connect_error', (error: Error & { data?: ActionError }) => {
      if (socket.active) return this.callbacks.status('reconnecting');
      this.callbacks.status('refused');
      this.callbacks.refused(error.data ?? { code: 'unauthorized', message: error.message });
    });
    socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') return;
      this.callbacks.status('reconnecting');
      if (reason === 'io server disconnect')
        window.setTimeout(() => this.#socket === socket && socket.connect(), RETURN_AFTER_MS);
    });
    socket.onAny((name: ServerEventName, payload: unknown) => {
      if (name !== 'state' && this.#awaitingState) return;
      for (const handler of this.#handlers.get(name) ?? []) (handler as Handler<typeof name>)(payload as never);
      if (name === 'state') {
        this.#awaitingState = false;
        this.callbacks.status('online');
      }
    });
  }

  on<E extends ServerEventName>(name: E, handler: Handler<E>): void {
    this.#handlers.set(name, [...(this.#handlers.get(name) ?? []), handler as Handler<never>]);
  }

  /** Sends an action; a failure to deliver it comes back as a refusal with a message for people. */
  async send<A extends ClientActionName>(action: A, request: ActionRequest<A>): Promise<ActionReply<A>> {
    const socket = this.#socket;
    if (!socket?.connected) return failed('Not connected to the event right now: try again in a moment');
    try {
      return (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(action, request)) as ActionReply<A>;
    } catch {
      return failed('The server did not answer: check your connection and try again');
    }
  }

  close(): void {
    this.#socket?.close();
    this.#socket = null;
  }
}

function failed(message: string): { ok: false; error: ActionError } {
  return { ok: false, error: { code: 'internal', message } };
}
