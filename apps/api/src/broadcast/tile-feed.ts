import { stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { tileFeedArgs, type TileFeedPlan } from './ffmpeg-command';
import { FfmpegProcess } from './ffmpeg-process';
import { writeFileAtomically } from './overlay-text';

/** The composite's background colour (0x14181f) in BT.601 limited-range YUV. */
const BLANK = { y: 36, u: 132, v: 126 };
const POLL_MS = 50;

export interface TileFeedOptions {
  /** The broadcast's directory: the feed's cwd, which the plan's paths are relative to. */
  dir: string;
  plan: TileFeedPlan;
  /** The SDP of the one RTP video the feed decodes, written to `plan.sdpFile`. */
  sdp: string;
  ffmpegPath: string;
}

/**
 * One speaker's video for one run of the broadcast: an FFmpeg that decodes the RTP as it comes and keeps
 * the tile's latest picture in a file, which the composite samples at its own steady rate. So the
 * composite never waits for a video that sends frames only when they change (a screen share, a canvas)
 * or that has not sent its first keyframe yet: until then the tile shows the background.
 */
export class TileFeed {
  readonly #dir: string;
  readonly #plan: TileFeedPlan;
  readonly #process: FfmpegProcess;
  readonly #blankInode: number;
  #closing?: Promise<void>;

  private constructor(options: TileFeedOptions, process: FfmpegProcess, blankInode: number) {
    this.#dir = options.dir;
    this.#plan = options.plan;
    this.#process = process;
    this.#blankInode = blankInode;
  }

  /** Writes a blank picture (the composite can start at once) and the SDP, then starts decoding. */
  static async start(options: TileFeedOptions): Promise<TileFeed> {
    const { dir, plan } = options;
    const frame = join(dir, plan.frameFile);
    await writeFileAtomically(frame, blankPicture(plan.width, plan.height));
    await writeFileAtomically(join(dir, plan.sdpFile), options.sdp);
    const { ino } = await stat(frame);
    return new TileFeed(options, FfmpegProcess.spawn(options.ffmpegPath, tileFeedArgs(plan), dir), ino);
  }

  get process(): FfmpegProcess {
    return this.#process;
  }

  /** Resolves true once the speaker's first picture replaced the blank one; false after `timeoutMs`. */
  async firstPicture(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.#process.running && !this.#closing) {
      const current = await stat(join(this.#dir, this.#plan.frameFile)).catch(() => undefined);
      if (current && current.ino !== this.#blankInode) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return false;
  }

  /** Nothing to finish: the process is killed and its files deleted. Safe twice. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#process.kill();
      const { frameFile, sdpFile } = this.#plan;
      await Promise.all(
        [frameFile, `${frameFile}.tmp`, sdpFile].map((file) => unlink(join(this.#dir, file)).catch(() => undefined)),
      );
    })();
    return this.#closing;
  }
}

/** A picture of the background's colour as PGMYUV: the Y plane, then each chroma row as U then V. */
export function blankPicture(width: number, height: number): Buffer {
  if (width % 2 || height % 2) throw new Error(`a YUV 4:2:0 picture needs even sides, not ${width}x${height}`);
  const header = Buffer.from(`P5\n${width} ${(height * 3) / 2}\n255\n`, 'ascii');
  const luma = Buffer.alloc(width * height, BLANK.y);
  const chromaRow = Buffer.concat([Buffer.alloc(width / 2, BLANK.u), Buffer.alloc(width / 2, BLANK.v)]);
  return Buffer.concat([header, luma, ...Array.from({ length: height / 2 }, () => chromaRow)]);
}
