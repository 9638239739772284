import { computed, DestroyRef, effect, inject, Injectable, signal, untracked } from '@angular/core';
import { errorText } from '../../../shared/i18n/error-text';
import type { RecordingStatus } from '@pressroom/protocol';
import { ApiClient, ApiError } from '@pressroom/live-client';
import { NoticesStore } from '../../notices/notices.store';
import { BroadcastStore } from './broadcast.store';

/** When to ask again after the status could not be had (the connection dropped, the server restarts). */
const AFTER_PROBLEM_SECONDS = 15;

/**
 * The recording of the event once it has ended (unless it is deleted at the end): asked for again while
 * it is being made, and while it is ready so that its download link (whose key expires) always works.
 */
@Injectable()
export class RecordingStore {
  readonly #api = inject(ApiClient);
  readonly #broadcast = inject(BroadcastStore);
  readonly #notices = inject(NoticesStore);
  readonly #recording = signal<RecordingStatus | null>(null);
  readonly #problem = signal<string | null>(null);
  readonly #retrying = signal(false);
  /** The event followed: ended, and kept after the end. */
  #slug: string | null = null;
  /** Bumped by every request for the status: only the latest answer counts. */
  #request = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Null until known. */
  readonly recording = this.#recording.asReadonly();
  /** Why the status could not be had, the last time it was asked for. */
  readonly problem = this.#problem.asReadonly();
  readonly retrying = this.#retrying.asReadonly();

  constructor() {
    const followed = computed(() => {
      const event = this.#broadcast.event();
      const kept = this.#broadcast.retentionHours() !== 0;
      return event?.status === 'ended' && kept ? event.slug : null;
    });
    effect(() => {
      const slug = followed();
      untracked(() => this.#follow(slug));
    });
    inject(DestroyRef).onDestroy(() => this.#follow(null));
  }

  /** Makes a failed recording again. */
  async retry(): Promise<void> {
    const slug = this.#slug;
    if (!slug) return;
    this.#retrying.set(true);
    try {
      // Asking for the file makes a failed recording again; its headers are enough. The status gives a
      // link whose key has not expired.
      const { downloadUrl } = await this.#api.get<RecordingStatus>(statusPath(slug));
      const response = await fetch(downloadUrl, { method: 'HEAD' });
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
    } catch (error) {
      this.#notices.error(
        $localize`:@@recording.retryFailed:Could not try the recording again: ${errorText(error)}:reason:`,
      );
    } finally {
      this.#retrying.set(false);
    }
    await this.#refresh();
  }

  #follow(slug: string | null): void {
    if (slug === this.#slug) return;
    this.#slug = slug;
    clearTimeout(this.#timer);
    this.#request++;
    this.#recording.set(null);
    this.#problem.set(null);
    if (slug) void this.#refresh();
  }

  async #refresh(): Promise<void> {
    const slug = this.#slug;
    if (!slug) return;
    clearTimeout(this.#timer);
    const request = ++this.#request;
    let askAgainSeconds: number | undefined;
    try {
      const recording = await this.#api.get<RecordingStatus>(statusPath(slug));
      if (request !== this.#request) return;
      this.#recording.set(recording);
      this.#problem.set(null);
      askAgainSeconds = askAgainAfter(recording);
    } catch (error) {
      if (request !== this.#request) return;
      // Purged meanwhile: the event's status says so.
      if (error instanceof ApiError && error.status === 404) return this.#recording.set(null);
      this.#problem.set($localize`:@@recording.checkFailed:Could not check the recording: ${errorText(error)}:reason:`);
      askAgainSeconds = AFTER_PROBLEM_SECONDS;
    }
    if (askAgainSeconds) this.#timer = setTimeout(() => void this.#refresh(), askAgainSeconds * 1000);
  }
}

const statusPath = (slug: string) => `/api/events/${encodeURIComponent(slug)}/recording`;

/** While it is being made, when the server says; once ready, well before the link's key expires. */
function askAgainAfter(recording: RecordingStatus): number | undefined {
  if (recording.state === 'preparing') return recording.retryAfterSeconds ?? AFTER_PROBLEM_SECONDS;
  if (recording.state === 'ready') return recording.downloadUrlExpiresInSeconds / 2;
  return undefined;
}
