import { Injectable, signal } from '@angular/core';

export interface Notice {
  id: number;
  /** Errors stay until dismissed; information goes by itself. */
  kind: 'error' | 'info';
  text: string;
}

const INFO_MS = 4000;
const MAX_SHOWN = 4;

/** Short messages for the moderator: what failed (and was undone), what was done out of sight (a copy). */
@Injectable({ providedIn: 'root' })
export class NoticesStore {
  readonly #notices = signal<readonly Notice[]>([]);
  readonly notices = this.#notices.asReadonly();
  #nextId = 1;

  error(text: string): void {
    this.#add('error', text);
  }

  info(text: string): void {
    const id = this.#add('info', text);
    setTimeout(() => this.dismiss(id), INFO_MS);
  }

  dismiss(id: number): void {
    this.#notices.update((notices) => notices.filter((notice) => notice.id !== id));
  }

  #add(kind: Notice['kind'], text: string): number {
    const id = this.#nextId++;
    this.#notices.update((notices) => [...notices, { id, kind, text }].slice(-MAX_SHOWN));
    return id;
  }
}
