import { spawn, type ChildProcess } from 'node:child_process';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { writeFileAtomically } from '../overlay-text';
import { PCM } from './composite-command';

const STDERR_LINES = 20;

/**
 * A speaker's microphone for the continuous composite: one RTP stream (an SDP with one audio m-line, as
 * mediasoup's PlainTransport consumer sends it) decoded as it comes into s16le stereo 48 kHz on stdout.
 * A gap in the RTP (DTX, a muted microphone) is not filled here: the mixer plays a source that ran dry as
 * silence and waits for a prebuffer again (audio-mixer.ts), so the speaker's delay does not grow.
 */
export function audioFeedArgs(sdpFile: string): string[] {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(sdpFile) || sdpFile.includes('..')) {
    throw new Error(`unsafe path: ${sdpFile}`);
  }
  // prettier-ignore
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning',
    '-protocol_whitelist', 'file,udp,rtp', '-localaddr', '127.0.0.1', '-buffer_size', '1048576',
    '-analyzeduration', '100000', '-probesize', '32', '-threads', '1',
    '-i', sdpFile,
    '-map', '0:a:0',
    '-f', 's16le', '-ar', String(PCM.rate), '-ac', String(PCM.channels), '-flush_packets', '1', 'pipe:1',
  ];
}

export interface AudioFeedOptions {
  /** The broadcast's directory: the feed's cwd. */
  dir: string;
  /** Relative to `dir`. */
  sdpFile: string;
  sdp: string;
  ffmpegPath: string;
  /** Each chunk of decoded PCM as it comes (hand it to ContinuousComposite.pushAudio). */
  onPcm: (pcm: Buffer) => void;
}

/** One speaker's sound decoded by a small FFmpeg of its own; it comes and goes without the composite. */
export class AudioFeed {
  readonly #options: AudioFeedOptions;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  readonly #stderr: string[] = [];
  #running = true;
  #closing?: Promise<void>;

  private constructor(options: AudioFeedOptions, child: ChildProcess) {
    this.#options = options;
    this.#child = child;
    (child.stdout as Readable).on('data', (pcm: Buffer) => options.onPcm(pcm));
    (child.stderr as Readable).setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr.push(...chunk.split('\n').filter(Boolean));
      this.#stderr.splice(0, Math.max(0, this.#stderr.length - STDERR_LINES));
    });
    this.#exited = new Promise((resolve) => {
      const done = () => {
        this.#running = false;
        resolve();
      };
      child.once('exit', done);
      child.once('error', (error) => {
        this.#stderr.push(error.message);
        done();
      });
    });
  }

  /** Writes the SDP, then starts decoding (start the RTP after this resolves: FFmpeg must be listening). */
  static async start(options: AudioFeedOptions): Promise<AudioFeed> {
    await writeFileAtomically(join(options.dir, options.sdpFile), options.sdp);
    const child = spawn(options.ffmpegPath, audioFeedArgs(options.sdpFile), {
      cwd: options.dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new AudioFeed(options, child);
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get running(): boolean {
    return this.#running;
  }

  get stderrTail(): string {
    return this.#stderr.join('\n');
  }

  /** Nothing to finish: killed, its SDP deleted. Safe twice. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#running) this.#child.kill('SIGKILL');
      await this.#exited;
      await unlink(join(this.#options.dir, this.#options.sdpFile)).catch(() => undefined);
    })();
    return this.#closing;
  }
}
