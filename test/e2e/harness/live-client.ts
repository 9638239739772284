import {
  LIVE_NAMESPACE,
  type ActionReply,
  type ActionRequest,
  type ClientActionName,
  type LiveState,
  type ServerEventName,
  type ServerEvents,
} from '@pressroom/protocol';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { io, type Socket } from 'socket.io-client';

interface Received {
  name: string;
  payload: unknown;
}

/** A real socket.io client on `/live` that records everything it receives, for tests to await. */
export class LiveClient {
  readonly received: Received[] = [];
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: Socket) {
    socket.onAny((name: string, payload: unknown) => {
      this.received.push({ name, payload });
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Connects and resolves with the first `state`; rejects with the server's `connect_error`. */
  static connect(
    baseUrl: string,
    token: string,
    options: {
      reconnection?: boolean;
      localAddress?: string;
      extraHeaders?: Record<string, string>;
      /** A certificate to trust for wss:// (a test's self-signed one). */
      ca?: string;
      /**
       * As the pages connect: HTTP long-polling first, then the WebSocket (a test of what a proxy does with
       * those requests). By default, the WebSocket at once.
       */
      polling?: boolean;
    } = {},
  ): Promise<LiveClient> {
    const { localAddress, ca } = options;
    // Long-polling requests go through an agent: the one place that takes the client's address.
    const agent =
      options.polling && localAddress
        ? baseUrl.startsWith('https:')
          ? new HttpsAgent({ localAddress, ...(ca ? { ca } : {}) })
          : new HttpAgent({ localAddress })
        : undefined;
    const socket = io(baseUrl + LIVE_NAMESPACE, {
      auth: { token },
      ...(localAddress ? { localAddress } : {}),
      // Typed as the browser's option; engine.io-client in Node takes an http(s).Agent.
      ...(agent ? { agent: agent as unknown as string } : {}),
      ...(options.extraHeaders ? { extraHeaders: options.extraHeaders } : {}),
      ...(ca ? { ca } : {}),
      transports: options.polling ? ['polling', 'websocket'] : ['websocket'],
      reconnection: options.reconnection ?? false,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
      forceNew: true,
    });
    const client = new LiveClient(socket);
    return new Promise((resolve, reject) => {
      const refused = (error: Error & { data?: unknown }) => {
        socket.close();
        reject(Object.assign(error, { data: error.data }));
      };
      socket.once('connect_error', refused);
      client.next('state').then(() => {
        // Later connect errors belong to reconnection attempts, which must go on.
        socket.off('connect_error', refused);
        resolve(client);
      }, reject);
    });
  }

  get state(): LiveState {
    const states = this.received.filter((r) => r.name === 'state');
    return states[states.length - 1]!.payload as LiveState;
  }

  send<A extends ClientActionName>(
    action: A,
    request: ActionRequest<A> | unknown,
    timeoutMs = 5000,
  ): Promise<ActionReply<A>> {
    return this.socket.timeout(timeoutMs).emitWithAck(action, request) as Promise<ActionReply<A>>;
  }

  /** The first matching event received from now on (or already received, with `{ past: true }`). */
  next<E extends ServerEventName>(
    name: E,
    match: (payload: ServerEvents[E]) => boolean = () => true,
    { timeoutMs = 5000, past = false } = {},
  ): Promise<ServerEvents[E]> {
    let from = past ? 0 : this.received.length;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${name}" within ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        for (; from < this.received.length; from++) {
          const { name: got, payload } = this.received[from]!;
          if (got === name && match(payload as ServerEvents[E])) {
            clearTimeout(timer);
            return resolve(payload as ServerEvents[E]);
          }
        }
        this.waiters.push(check);
      };
      check();
    });
  }

  /** Everything of one event name received so far. */
  all<E extends ServerEventName>(name: E): Array<ServerEvents[E]> {
    return this.received.filter((r) => r.name === name).map((r) => r.payload as ServerEvents[E]);
  }

  close(): void {
    this.socket.close();
  }
}
