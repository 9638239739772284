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
 * The language of the event this studio address is for (`GET /api/events/:slug`, public), before the app
 * starts: null when the event has none, or after a refusal, a network error or `timeoutMs`.
 */
export async function studioEventLanguage(
  pathname = location.pathname,
  timeoutMs = EVENT_LANGUAGE_TIMEOUT_MS,
): Promise<string | null> {
  const slug = studioSlug(pathname);
  if (!slug) return null;
  try {
    const response = await fetch(`/api/events/${encodeURIComponent(slug)}`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return null;
    const event = (await response.json()) as Partial<PublicEvent> | null;
    return typeof event?.language === 'string' ? event.language : null;
  } catch {
    return null;
  }
}
