import { Injectable, signal } from '@angular/core';
import { CAPTION_MAX_LENGTH } from '@pressroom/protocol';
import type { StudioClient } from '@pressroom/studio-client';

/** A line the captioner sent, as their page lists it. */
export interface SentLine {
  /** The cue's id once stored; a local one while sending or after a failure. */
  id: string;
  text: string;
  /** The server's time of the cue (ISO), or the local time while sending. */
  at: string;
  status: 'sending' | 'sent' | 'failed';
}

/** How often interim text goes out while the captioner types (the moderators' preview). */
const INTERIM_INTERVAL_MS = 400;
/** The lines the page keeps on screen. */
const KEPT_LINES = 50;

/**
 * The captioner's lines: each one sent as it is finished (a cue), the text being typed sent now and
 * then as interim text; what was sent, and what could not be.
 */
@Injectable({ providedIn: 'root' })
export class CaptionerStore {
  readonly #lines = signal<readonly SentLine[]>([]);
  readonly #problem = signal<string | null>(null);

  /** Newest last. */
  readonly lines = this.#lines.asReadonly();
  /** Why the last line could not be sent, until the next one is. */
  readonly problem = this.#problem.asReadonly();
  readonly maxLength = CAPTION_MAX_LENGTH;

  #client: StudioClient | null = null;
  #interimTimer: ReturnType<typeof setTimeout> | undefined;
  #interimText = '';
  #interimSent = '';
  #localIds = 0;

  enter(client: StudioClient): void {
    this.exit();
    this.#client = client;
  }

  exit(): void {
    clearTimeout(this.#interimTimer);
    this.#interimTimer = undefined;
    this.#client = null;
    this.#interimText = this.#interimSent = '';
    this.#lines.set([]);
    this.#problem.set(null);
  }

  /** Sends a finished line (white space around it trimmed); blank lines are not sent. */
  async send(text: string): Promise<void> {
    const client = this.#client;
    const line = text.trim().replace(/\s+/g, ' ');
    if (!client || !line) return;
    clearTimeout(this.#interimTimer);
    this.#interimTimer = undefined;
    this.#interimText = this.#interimSent = '';
    const id = `local-${++this.#localIds}`;
    this.#lines.update((lines) =>
      [...lines, { id, text: line, at: new Date().toISOString(), status: 'sending' as const }].slice(-KEPT_LINES),
    );
    try {
      const cue = await client.sendCaption(line);
      this.#replace(id, { id: cue?.id ?? id, text: line, at: cue?.sentAt ?? new Date().toISOString(), status: 'sent' });
      this.#problem.set(null);
    } catch (error) {
      this.#replace(id, { id, text: line, at: new Date().toISOString(), status: 'failed' });
      this.#problem.set(
        error instanceof Error
          ? $localize`:@@captioner.sendFailed:This line was not sent: ${error.message}:reason:.`
          : $localize`:@@captioner.sendFailedOffline:This line was not sent: no connection.`,
      );
    }
  }

  /** What the captioner is typing now: sent as interim text at most every `INTERIM_INTERVAL_MS`. */
  typing(text: string): void {
    this.#interimText = text.trim().replace(/\s+/g, ' ').slice(0, CAPTION_MAX_LENGTH);
    if (this.#interimTimer || !this.#client) return;
    this.#interimTimer = setTimeout(() => {
      this.#interimTimer = undefined;
      const client = this.#client;
      const text = this.#interimText;
      if (!client || text === this.#interimSent) return;
      this.#interimSent = text;
      client.sendCaption(text, true).catch(() => undefined);
    }, INTERIM_INTERVAL_MS);
  }

  #replace(id: string, line: SentLine): void {
    this.#lines.update((lines) => lines.map((existing) => (existing.id === id ? line : existing)));
  }
}
