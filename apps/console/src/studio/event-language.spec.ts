import { TestBed } from '@angular/core/testing';
import { EarlyStudioEvent, studioSlug } from './event-language';
import { StudioConnector } from './session/studio-connector';

const EVENT = { slug: 'budget', title: 'Budget', status: 'scheduled', language: 'es' };
const answer = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

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
    const fetch = vi.fn(async () => answer(EVENT));
    vi.stubGlobal('fetch', fetch);
    expect(await new EarlyStudioEvent('/studio/budget').language()).toBe('es');
    expect(fetch).toHaveBeenCalledWith('/api/events/budget', expect.anything());
  });

  it('goes on without one for an event without language, a refusal, a network error or no slug', async () => {
    vi.stubGlobal('fetch', async () => answer({ ...EVENT, language: null }));
    expect(await new EarlyStudioEvent('/studio/budget').language()).toBeNull();
    vi.stubGlobal('fetch', async () => answer({ error: 'not_found', message: 'Event not found' }, 404));
    expect(await new EarlyStudioEvent('/studio/budget').language()).toBeNull();
    vi.stubGlobal('fetch', async () => Promise.reject(new TypeError('Failed to fetch')));
    expect(await new EarlyStudioEvent('/studio/budget').language()).toBeNull();
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    expect(await new EarlyStudioEvent('/studio/').language()).toBeNull();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('gives up after the timeout when the server does not answer, and the app then asks again', async () => {
    const fetch = vi.fn(() => new Promise<Response>(() => undefined));
    vi.stubGlobal('fetch', fetch);
    const early = new EarlyStudioEvent('/studio/budget');
    const started = Date.now();
    expect(await early.language(50)).toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(early.take('budget')).toBeNull();
  });
});

describe("the studio's read of its event", () => {
  afterEach(() => vi.unstubAllGlobals());

  function connector(early?: EarlyStudioEvent): StudioConnector {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: early ? [{ provide: EarlyStudioEvent, useValue: early }] : [] });
    return TestBed.inject(StudioConnector);
  }

  it("is the answer read for the language: one request for the event's language and the studio", async () => {
    const fetch = vi.fn(async () => answer(EVENT));
    vi.stubGlobal('fetch', fetch);
    const early = new EarlyStudioEvent('/studio/budget');
    expect(await early.language()).toBe('es');
    expect(await connector(early).event('budget')).toEqual(EVENT);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("keeps the read's refusal as it came (an unknown event is not_found)", async () => {
    const fetch = vi.fn(async () => answer({ error: 'not_found', message: 'Event not found' }, 404));
    vi.stubGlobal('fetch', fetch);
    const early = new EarlyStudioEvent('/studio/budget');
    expect(await early.language()).toBeNull();
    await expect(connector(early).event('budget')).rejects.toMatchObject({ code: 'not_found' });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('asks the server itself without an early read, for another event, and every later time', async () => {
    const fetch = vi.fn(async (_url: string) => answer(EVENT));
    vi.stubGlobal('fetch', fetch);
    expect(await connector().event('budget')).toEqual(EVENT);
    expect(fetch).toHaveBeenCalledTimes(1);

    const early = new EarlyStudioEvent('/studio/budget');
    await early.language();
    const studio = connector(early);
    await studio.event('other');
    await studio.event('budget');
    expect(fetch.mock.calls.map(([url]) => String(url).replace(/^https?:\/\/[^/]+/, ''))).toEqual([
      '/api/events/budget',
      '/api/events/budget',
      '/api/events/other',
      '/api/events/budget',
    ]);
  });
});
