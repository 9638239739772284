import { studioEventLanguage, studioSlug } from './event-language';

describe("the studio's event language before the start", () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reads the slug of /studio/:slug', () => {
    expect(studioSlug('/studio/budget-2027')).toBe('budget-2027');
    expect(studioSlug('/studio/budget-2027/')).toBe('budget-2027');
    expect(studioSlug('/studio/caf%C3%A9')).toBe('café');
    expect(studioSlug('/studio/')).toBeNull();
    expect(studioSlug('/console/events')).toBeNull();
    expect(studioSlug('/studio/%E0%A4%A')).toBeNull();
  });

  it("asks GET /api/events/:slug for the event's language", async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ slug: 'budget', language: 'es' })));
    vi.stubGlobal('fetch', fetch);
    expect(await studioEventLanguage('/studio/budget')).toBe('es');
    expect(fetch).toHaveBeenCalledWith('/api/events/budget', expect.anything());
  });

  it('goes on without one for an event without language, a refusal, a network error or no slug', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ slug: 'budget', language: null })));
    expect(await studioEventLanguage('/studio/budget')).toBeNull();
    vi.stubGlobal('fetch', async () => new Response('{"code":"not_found"}', { status: 404 }));
    expect(await studioEventLanguage('/studio/budget')).toBeNull();
    vi.stubGlobal('fetch', async () => Promise.reject(new TypeError('Failed to fetch')));
    expect(await studioEventLanguage('/studio/budget')).toBeNull();
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    expect(await studioEventLanguage('/studio/')).toBeNull();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('gives up after the timeout when the server does not answer', async () => {
    vi.stubGlobal(
      'fetch',
      (_url: string, init: RequestInit) =>
        new Promise((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason))),
    );
    const started = Date.now();
    expect(await studioEventLanguage('/studio/budget', 50)).toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
