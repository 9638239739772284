import type { ServerEventName } from '@pressroom/protocol';
import type { LiveConnection, LiveStatus } from '../live-connection';

/** One thing a connection told its listeners: a status (with its reason and refusal code), or a server event. */
export type Heard = ['status', LiveStatus, string | null, string | null] | [ServerEventName, unknown];

/** Records what a connection tells its listeners, in order, for tests to await and compare. */
export class Recorder {
  readonly heard: Heard[] = [];
  #wake: Array<() => void> = [];

  constructor(connection: LiveConnection, events: readonly ServerEventName[]) {
    connection.onStatus(({ status, reason, refusal }) => this.#hear(['status', status, reason, refusal?.code ?? null]));
    for (const name of events) connection.on(name, (payload) => this.#hear([name, payload]));
  }

  /** The statuses heard, as `status` or `status: reason`. */
  get statuses(): string[] {
    return this.heard
      .filter((entry) => entry[0] === 'status')
      .map(([, status, reason]) => status + (reason ? `: ${reason}` : ''));
  }

  /** Resolves with the first matching thing heard from now on; rejects after `timeoutMs`. */
  next(match: (heard: Heard) => boolean, what: string, timeoutMs = 10_000): Promise<Heard> {
    let from = this.heard.length;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not heard within ${timeoutMs} ms: ${what}`)), timeoutMs);
      const check = () => {
        for (; from < this.heard.length; from++) {
          if (!match(this.heard[from]!)) continue;
          clearTimeout(timer);
          return resolve(this.heard[from]!);
        }
        this.#wake.push(check);
      };
      check();
    });
  }

  /** The next change to this status. */
  nextStatus(status: LiveStatus): Promise<Heard> {
    return this.next((heard) => heard[0] === 'status' && heard[1] === status, `status ${status}`);
  }

  /** The next time the server sends this event. */
  nextEvent(name: ServerEventName): Promise<Heard> {
    return this.next((heard) => heard[0] === name, `event ${name}`);
  }

  #hear(heard: Heard): void {
    this.heard.push(heard);
    for (const wake of this.#wake.splice(0)) wake();
  }
}
