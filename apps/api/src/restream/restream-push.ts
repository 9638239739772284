import { RESTREAM_RETRY_DELAYS_MS, type RestreamState, type RestreamStatus } from '@pressroom/protocol';
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import { failureReason, ProgressReader, pushArgs, pushTarget } from './restream-ffmpeg';

/** While the broadcast has no program yet, it is asked again this often. */
const SOURCE_POLL_MS = 1_000;
/** No byte sent for this long: the ingest or the program is stuck; the push starts again. */
const STALL_MS = 20_000;
const WATCH_MS = 2_000;
/** A push live this long before failing starts its retries from the first delay again. */
const HEALTHY_MS = 30_000;
const STDERR_LINES = 20;
const STOP_GRACE_MS = 2_000;

export interface RestreamPushOptions {
  destination: { url: string; streamKey: string };
  ffmpegPath: string;
  /** The certificate authorities an rtmps:// ingest must chain to. */
  caFile: string;
  /** The broadcast's local live playlist, once it has one. */
  programSource: () => Promise<string | undefined>;
  /** Every change of state; never carries the stream key. */
  onStatus: (status: RestreamStatus) => void;
}

/**
 * One destination's push while its event is live: an FFmpeg of its own that follows the broadcast's local
 * playlist and copies it to the ingest (see `pushArgs`). It only reads the broadcast's files, so an ingest
 * that refuses, stalls or disappears never reaches the HLS. When FFmpeg ends, the push says why and tries
 * again after 2 s, 5 s, 10 s, then every 30 s, until `close()`.
 */
export class RestreamPush {
  readonly #options: RestreamPushOptions;
  readonly #target: string;
  #status: RestreamStatus;
  #child?: ChildProcess;
  #exited?: Promise<void>;
  #timer?: NodeJS.Timeout;
  #watch?: NodeJS.Timeout;
  #failures = 0;
  #closed = false;

  constructor(options: RestreamPushOptions) {
    this.#options = options;
    this.#target = pushTarget(options.destination.url, options.destination.streamKey);
    this.#status = status('idle');
  }

  get status(): RestreamStatus {
    return this.#status;
  }

  start(): void {
    void this.#attempt();
  }

  /** Stops FFmpeg (it finishes the FLV stream) and any retry; `idle` at once. Safe twice. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearInterval(this.#watch);
    // Said before FFmpeg is gone: at the event's end the purge may close the moderators' sockets soon after.
    this.#set(status('idle'));
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const killed = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await this.#exited;
      clearTimeout(killed);
    }
  }

  async #attempt(): Promise<void> {
    if (this.#closed) return;
    this.#set(status('connecting'));
    const playlist = await this.#options.programSource().catch(() => undefined);
    if (this.#closed) return;
    if (!playlist) {
      this.#timer = setTimeout(() => void this.#attempt(), SOURCE_POLL_MS);
      return;
    }
    const child = spawn(this.#options.ffmpegPath, pushArgs(playlist, this.#target, this.#options.caFile), {
      // In the broadcast's directory: the broadcast's clean-up of orphaned FFmpegs covers this one too.
      cwd: dirname(playlist),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    const stderr: string[] = [];
    const progress = new ProgressReader();
    let sent = 0;
    let liveSince: number | undefined;
    let lastByteAt = Date.now();
    let stalled = false;
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      for (const total of progress.read(chunk)) {
        if (total <= sent) continue;
        sent = total;
        lastByteAt = Date.now();
        if (liveSince === undefined && !this.#closed) {
          liveSince = Date.now();
          this.#set(status('live'));
        }
      }
    });
    let partial = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      stderr.push(...lines);
      stderr.splice(0, Math.max(0, stderr.length - STDERR_LINES));
    });
    clearInterval(this.#watch);
    this.#watch = setInterval(() => {
      if (Date.now() - lastByteAt < STALL_MS) return;
      stalled = true;
      child.kill('SIGKILL');
    }, WATCH_MS);
    this.#exited = new Promise((resolve) => {
      let done = false;
      const exited = (code: number | null, signal: NodeJS.Signals | null) => {
        if (done) return;
        done = true;
        clearInterval(this.#watch);
        if (partial) stderr.push(partial);
        resolve();
        if (this.#closed || this.#child !== child) return;
        const reason = stalled
          ? `No data could be sent for ${STALL_MS / 1000} s`
          : failureReason(
              stderr,
              { target: this.#target, streamKey: this.#options.destination.streamKey },
              { code, signal },
            );
        if (liveSince !== undefined && Date.now() - liveSince >= HEALTHY_MS) this.#failures = 0;
        this.#retryAfterFailure(reason);
      };
      child.once('exit', exited);
      child.once('error', (error) => {
        stderr.push(error.message);
        exited(null, null);
      });
    });
  }

  #retryAfterFailure(reason: string): void {
    this.#set(status('failed', reason));
    const delay = RESTREAM_RETRY_DELAYS_MS[Math.min(this.#failures, RESTREAM_RETRY_DELAYS_MS.length - 1)]!;
    this.#failures++;
    this.#set(status('retrying', reason, new Date(Date.now() + delay)));
    this.#timer = setTimeout(() => void this.#attempt(), delay);
  }

  #set(next: RestreamStatus): void {
    if (
      next.state === this.#status.state &&
      next.reason === this.#status.reason &&
      next.retryAt === this.#status.retryAt
    )
      return;
    this.#status = next;
    this.#options.onStatus(next);
  }
}

function status(state: RestreamState, reason: string | null = null, retryAt?: Date): RestreamStatus {
  return { state, reason, retryAt: retryAt?.toISOString() ?? null, since: new Date().toISOString() };
}
