import { Dealer } from 'zeromq';

/** How long a batch may wait for FFmpeg's replies (it answers once per frame, every 33 ms). */
export const COMMAND_TIMEOUT_MS = 3_000;

export interface CommandReply {
  command: string;
  /** 0, or the error's number (the zmq filter answers `-ret`: 22 for EINVAL, 38 for ENOSYS). */
  code: number;
  message: string;
}

export class CompositeCommandError extends Error {
  constructor(readonly failed: CommandReply[]) {
    super(`FFmpeg refused: ${failed.map((reply) => `"${reply.command}" (${reply.message})`).join(', ')}`);
  }
}

/** `0 Success`, `22 Invalid argument`: FFmpeg's zmq filter's reply. */
export function parseReply(command: string, reply: string): CommandReply {
  const match = /^(-?\d+)\s*(.*)$/s.exec(reply.trim());
  if (!match) return { command, code: Number.NaN, message: reply };
  return { command, code: Number(match[1]), message: match[2]!.trim() };
}

/**
 * The composite's control channel: FFmpeg's `zmq` filter listens (a ZeroMQ REP socket) and runs each
 * message `<filter> <command> <argument>` on its graph. This client is a DEALER, so a whole batch goes out
 * at once: the filter takes every queued message between two frames, so a layout changes in one frame
 * instead of assembling over one frame per command (a REQ client waits for each reply before the next).
 * Batches are sent one after the other; a batch that times out drops the socket (late replies would be
 * read as the next batch's) and the next one connects again.
 */
export class CompositeControl {
  readonly #endpoint: string;
  readonly #timeoutMs: number;
  #socket?: Dealer;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(endpoint: string, timeoutMs = COMMAND_TIMEOUT_MS) {
    this.#endpoint = endpoint;
    this.#timeoutMs = timeoutMs;
  }

  /** Runs the commands in order, between two frames; rejects with CompositeCommandError if one failed. */
  send(commands: readonly string[]): Promise<CommandReply[]> {
    const run = this.#queue.then(() => this.#send(commands));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#drop();
  }

  async #send(commands: readonly string[]): Promise<CommandReply[]> {
    if (this.#closed) throw new Error('the composite control is closed');
    if (commands.length === 0) return [];
    const socket = (this.#socket ??= this.#connect());
    try {
      for (const command of commands) await socket.send(['', command]);
      const replies: CommandReply[] = [];
      for (const command of commands) {
        const frames = await socket.receive();
        replies.push(parseReply(command, frames[frames.length - 1]?.toString() ?? ''));
      }
      const failed = replies.filter((reply) => reply.code !== 0);
      if (failed.length > 0) throw new CompositeCommandError(failed);
      return replies;
    } catch (error) {
      if (!(error instanceof CompositeCommandError)) this.#drop();
      throw error;
    }
  }

  #connect(): Dealer {
    const socket = new Dealer({ receiveTimeout: this.#timeoutMs, sendTimeout: this.#timeoutMs, linger: 0 });
    socket.connect(this.#endpoint);
    return socket;
  }

  #drop(): void {
    this.#socket?.close();
    this.#socket = undefined;
  }
}
