import type { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { lowerThirdText, oneLine, wrap, writeFileAtomically, type OnAirQuestion } from './overlay-text';
import { WORK_FILES, type SlateKind } from './pipeline';

export const SLATE_TEXT: Record<SlateKind, string> = {
  soon: 'Starting soon',
  waiting: 'We are live: the speakers join in a moment',
  ended: 'This event has ended. Thank you for watching.',
};

/**
 * The texts every pipeline of a broadcast draws from files (the event's title, the slates' lines, the
 * lower third), in its work directory. FFmpeg re-reads the lower third's files every frame: each is
 * replaced in one step, one change after the other. `close()` waits for the last write; safe twice.
 */
export class OverlayFiles {
  readonly #dir: string;
  readonly #logger: Logger;
  #writing: Promise<void> = Promise.resolve();
  #closing?: Promise<void>;

  private constructor(dir: string, logger: Logger) {
    this.#dir = dir;
    this.#logger = logger;
  }

  /** Writes every text (the work directory must exist); resolves once they are all there. */
  static async create(dir: string, title: string, onAir: OnAirQuestion | null, logger: Logger): Promise<OverlayFiles> {
    await writeFileAtomically(join(dir, WORK_FILES.title), wrap(oneLine(title), 40, 2));
    for (const [kind, text] of Object.entries(SLATE_TEXT)) {
      await writeFileAtomically(join(dir, WORK_FILES.slate(kind as SlateKind)), text);
    }
    const files = new OverlayFiles(dir, logger);
    await files.setLowerThird(onAir);
    return files;
  }

  /** The question on air, or nothing (the lower third disappears); resolves once written. */
  setLowerThird(question: OnAirQuestion | null): Promise<void> {
    if (this.#closing) return this.#closing;
    const { heading, body } = lowerThirdText(question);
    this.#writing = this.#writing.then(async () => {
      try {
        await writeFileAtomically(join(this.#dir, WORK_FILES.lowerHeading), heading);
        await writeFileAtomically(join(this.#dir, WORK_FILES.lowerBody), body);
      } catch (error) {
        this.#logger.error(`writing the lower third failed: ${error instanceof Error ? error.message : error}`);
      }
    });
    return this.#writing;
  }

  close(): Promise<void> {
    this.#closing ??= this.#writing;
    return this.#closing;
  }
}
