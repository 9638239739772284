import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';

export type FfmpegProcessEvents = {
  /** The process is gone, whoever ended it. */
  exit: [code: number | null, signal: NodeJS.Signals | null];
};

/** How long FFmpeg gets after each SIGINT before the next step (second SIGINT, then SIGKILL). */
export const STOP_GRACE_MS = 1_500;
const STDERR_LINES = 30;

/**
 * One FFmpeg process. `stop()` asks it to finish its files: SIGINT, then a second SIGINT (FFmpeg
 * ignores the first while it waits for RTP that no longer comes), then SIGKILL.
 */
export class FfmpegProcess extends EventEmitter<FfmpegProcessEvents> {
  readonly #child: ChildProcess;
  readonly #stderr: string[] = [];
  readonly #exited: Promise<void>;
  #running = true;

  private constructor(child: ChildProcess) {
    super();
    this.#child = child;
    let partial = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      this.#stderr.push(...lines.filter(Boolean));
      this.#stderr.splice(0, Math.max(0, this.#stderr.length - STDERR_LINES));
    });
    this.#exited = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null) => {
        if (!this.#running) return;
        this.#running = false;
        resolve();
        this.emit('exit', code, signal);
      };
      child.once('exit', done);
      child.once('error', (error) => {
        this.#stderr.push(error.message);
        done(null, null);
      });
    });
  }

  /**
   * In a process group of its own: a Ctrl-C in the terminal reaches the API, which stops FFmpeg in
   * order (finishing its files), rather than FFmpeg directly.
   */
  static spawn(path: string, args: string[], cwd: string): FfmpegProcess {
    return new FfmpegProcess(spawn(path, args, { cwd, detached: true, stdio: ['ignore', 'ignore', 'pipe'] }));
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get running(): boolean {
    return this.#running;
  }

  /** The last lines FFmpeg wrote to stderr, for logs. */
  get stderrTail(): string {
    return this.#stderr.join('\n');
  }

  /** Resolves once the process is gone; safe to call twice. */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    for (const signal of ['SIGINT', 'SIGINT', 'SIGKILL'] as const) {
      if (!this.#running) return;
      this.#child.kill(signal);
      await Promise.race([this.#exited, delay(signal === 'SIGKILL' ? graceMs * 2 : graceMs)]);
    }
  }

  /** For a process with nothing to finish: SIGKILL, resolved once it is gone. */
  kill(): Promise<void> {
    if (this.#running) this.#child.kill('SIGKILL');
    return this.#exited;
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
