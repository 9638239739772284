import { stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { tileFeedArgs } from '../ffmpeg-command';
import { FfmpegProcess } from '../ffmpeg-process';
import { writeFileAtomically } from '../overlay-text';
import type { TileTarget } from './continuous-composite';

const POLL_MS = 50;

export interface SlotFeedOptions {
  /** The broadcast's directory: the feed's cwd. */
  dir: string;
  /** Where the composite wants this video's pictures (ContinuousComposite.setProgram). */
  target: TileTarget;
  /** Relative to `dir`. */
  sdpFile: string;
  /** The SDP of the one RTP video the feed decodes. */
  sdp: string;
  ffmpegPath: string;
}

/**
 * One speaker's video for the continuous composite: an FFmpeg (ffmpeg-command.ts's tileFeedArgs: RTP decoded
 * as it comes, fitted, each picture renamed over the slot's file) that never deletes the slot's picture
 * file, because FFmpeg's image2 input ends for good when the file is missing. The composite blanks a slot
 * itself when another video takes it.
 */
export class SlotFeed {
  readonly #options: SlotFeedOptions;
  readonly #process: FfmpegProcess;
  readonly #startInode: number | undefined;
  #closing?: Promise<void>;

  private constructor(options: SlotFeedOptions, process: FfmpegProcess, startInode: number | undefined) {
    this.#options = options;
    this.#process = process;
    this.#startInode = startInode;
  }

  static async start(options: SlotFeedOptions): Promise<SlotFeed> {
    const { dir, target } = options;
    await writeFileAtomically(join(dir, options.sdpFile), options.sdp);
    const startInode = (await stat(join(dir, target.pictureFile)).catch(() => undefined))?.ino;
    const plan = {
      sdpFile: options.sdpFile,
      frameFile: target.pictureFile,
      width: target.width,
      height: target.height,
      fit: target.fit,
    };
    return new SlotFeed(options, FfmpegProcess.spawn(options.ffmpegPath, tileFeedArgs(plan), dir), startInode);
  }

  get process(): FfmpegProcess {
    return this.#process;
  }

  /** Resolves true once the speaker's first picture replaced the one in the slot; false after `timeoutMs`. */
  async firstPicture(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const file = join(this.#options.dir, this.#options.target.pictureFile);
    while (this.#process.running && !this.#closing) {
      const current = await stat(file).catch(() => undefined);
      if (current && current.ino !== this.#startInode) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return false;
  }

  /** Killed; its SDP and a half-written picture deleted — the slot's picture stays. Safe twice. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#process.kill();
      const { dir, sdpFile, target } = this.#options;
      await Promise.all(
        [sdpFile, `${target.pictureFile}.tmp`].map((file) => unlink(join(dir, file)).catch(() => undefined)),
      );
    })();
    return this.#closing;
  }
}
