import { ApiClient } from '@pressroom/live-client';
import type { PublicEvent } from '@pressroom/protocol';

/**
 * How long the studio waits for its event's language before it starts anyway (in the browser's language):
 * a slow network delays the device check by this much at most.
 */
export const EVENT_LANGUAGE_TIMEOUT_MS = 1_500;

/** The event's slug in a studio address (`/studio/:slug`), or null (the page then says the link is incomplete). */
export function studioSlug(pathname: string): string | null {
  const segment = /^\/studio\/([^/?#]+)/.exec(pathname)?.[1];
  if (!segment) return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * The studio's one read of its event (`GET /api/events/:slug`, public) when it is made before the app
 * starts: `main.ts` asks it for the event's language, and the app then takes the same answer
 * (`StudioConnector.event`) rather than asking the server again.
 */
export class EarlyStudioEvent {
  readonly #api: ApiClient;
  #early: { slug: string; event: Promise<PublicEvent> } | null = null;

  constructor(
    private readonly pathname: string,
    baseUrl = '',
  ) {
    this.#api = new ApiClient({ baseUrl });
  }

  /**
   * Reads the event and tells its language: null when the event has none, or after a refusal, a network
   * error or `timeoutMs` (the answer is then not kept: the app asks again).
   */
  async language(timeoutMs = EVENT_LANGUAGE_TIMEOUT_MS): Promise<string | null> {
    const slug = studioSlug(this.pathname);
    if (!slug) return null;
    const early = { slug, event: this.#api.get<PublicEvent>(`/api/events/${encodeURIComponent(slug)}`) };
    this.#early = early;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
    try {
      const first = await Promise.race([early.event, late]);
      if (first === 'late') {
        if (this.#early === early) this.#early = null;
        return null;
      }
      return typeof first?.language === 'string' ? first.language : null;
    } catch {
      return null; // a refusal or a network error: the app's own read (this same answer) says what went wrong
    } finally {
      clearTimeout(timer);
    }
  }

  /** The answer read before the start, once, if it was for `slug`; null: the caller asks the server. */
  take(slug: string): Promise<PublicEvent> | null {
    const early = this.#early;
    this.#early = null;
    return early?.slug === slug ? early.event : null;
  }
}
