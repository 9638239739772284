import { Api } from './harness/api';
import { ADMIN, startServer, type TestServer } from './harness/server';

const METRICS_TOKEN = 'scrape-me-please-0123456789';

async function call(server: TestServer, method: string, path: string, body?: unknown, headers = {}) {
  return fetch(server.url + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('headers of a server reached over https (PUBLIC_URL)', () => {
  let server: TestServer;
  let bearer: { authorization: string };

  beforeAll(async () => {
    server = await startServer({ PUBLIC_URL: 'https://press.example.org' });
    bearer = { authorization: `Bearer ${(await Api.asModerator(server.url)).bearer}` };
  });
  afterAll(() => server?.close());

  it('answers carrying tokens, invites and moderator lists are never stored by a cache', async () => {
    const login = await call(server, 'POST', '/api/auth/login', ADMIN);
    expect(login.status).toBe(200);
    expect(login.headers.get('cache-control')).toBe('no-store');

    const created = await call(
      server,
      'POST',
      '/api/events',
      { title: 'Briefing', startsAt: new Date().toISOString(), password: 'press-only' },
      bearer,
    );
    expect(created.status).toBe(201);
    const { slug } = (await created.json()) as { slug: string };

    const join = await call(server, 'POST', `/api/events/${slug}/join`, { password: 'press-only' });
    expect(join.status).toBe(200);
    expect(join.headers.get('cache-control')).toBe('no-store');

    const invite = await call(server, 'POST', `/api/events/${slug}/speakers`, { name: 'Speaker' }, bearer);
    expect(invite.status).toBe(201);
    expect(invite.headers.get('cache-control')).toBe('no-store');

    for (const path of [`/api/events/${slug}/speakers`, '/api/moderators', '/api/events']) {
      const listing = await call(server, 'GET', path, undefined, bearer);
      expect({ path, status: listing.status, cache: listing.headers.get('cache-control') }).toEqual({
        path,
        status: 200,
        cache: 'no-store',
      });
    }
  });

  it('the stream pass cookie is Secure, and every response asks for https from now on', async () => {
    const moderator = await Api.asModerator(server.url);
    const { slug } = await moderator.createEvent({ password: 'press-only' });
    const join = await call(server, 'POST', `/api/events/${slug}/join`, { password: 'press-only' });
    const [cookie] = join.headers.getSetCookie();
    expect(cookie).toMatch(/; HttpOnly; Secure; SameSite=Strict$/);

    for (const path of ['/api/auth/login', '/health', `/${slug}`, '/no-such-page/at-all']) {
      const response = await call(server, 'GET', path);
      expect({ path, hsts: response.headers.get('strict-transport-security') }).toEqual({
        path,
        hsts: 'max-age=31536000',
      });
    }
  });

  it('no response names the framework', async () => {
    for (const [method, path] of [
      ['POST', '/api/auth/login'],
      ['GET', '/health'],
      ['GET', '/api/events/nope'],
      ['GET', '/console'],
    ] as const) {
      const response = await call(server, method, path, method === 'POST' ? ADMIN : undefined);
      expect({ path, poweredBy: response.headers.get('x-powered-by') }).toEqual({ path, poweredBy: null });
    }
  });
});

describe('headers of a server reached over plain http', () => {
  let server: TestServer;
  beforeAll(async () => (server = await startServer()));
  afterAll(() => server?.close());

  it('sends no HSTS and a cookie without Secure (browsers would drop it over http)', async () => {
    const { slug } = await (await Api.asModerator(server.url)).createEvent({ password: 'press-only' });
    const join = await call(server, 'POST', `/api/events/${slug}/join`, { password: 'press-only' });
    expect(join.headers.getSetCookie()[0]).not.toMatch(/Secure/);
    expect(join.headers.get('strict-transport-security')).toBeNull();
    expect(join.headers.get('x-powered-by')).toBeNull();
  });
});

describe('metrics and API docs access', () => {
  let server: TestServer;
  beforeAll(async () => (server = await startServer({ TRUST_PROXY: 'loopback', METRICS_TOKEN })));
  afterAll(() => server?.close());

  const fromAfar = { 'x-forwarded-for': '203.0.113.9' };

  it('by default, metrics answer this machine and the metrics token only', async () => {
    expect((await call(server, 'GET', '/metrics')).status).toBe(200);

    const refused = await call(server, 'GET', '/metrics', undefined, fromAfar);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: 'forbidden', message: expect.stringMatching(/metrics token/) });

    const wrongToken = { ...fromAfar, authorization: 'Bearer not-the-metrics-token' };
    expect((await call(server, 'GET', '/metrics', undefined, wrongToken)).status).toBe(403);

    const withToken = await call(server, 'GET', '/metrics', undefined, {
      ...fromAfar,
      authorization: `Bearer ${METRICS_TOKEN}`,
    });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain('pressroom_live_connections');
  });

  it('a local proxy does not make the world look local, even without TRUST_PROXY', async () => {
    const untrusting = await startServer({ METRICS_TOKEN });
    try {
      expect((await call(untrusting, 'GET', '/metrics', undefined, fromAfar)).status).toBe(403);
      expect((await call(untrusting, 'GET', '/metrics', undefined, { 'x-real-ip': '203.0.113.9' })).status).toBe(403);
      expect((await call(untrusting, 'GET', '/metrics')).status).toBe(200);
    } finally {
      await untrusting.close();
    }
  });

  it('API docs are public by default', async () => {
    expect((await call(server, 'GET', '/api/docs-json', undefined, fromAfar)).status).toBe(200);
  });
});

describe('metrics and API docs for moderators only, or off', () => {
  let server: TestServer;
  beforeAll(
    async () => (server = await startServer({ METRICS_ACCESS: 'off', API_DOCS_ACCESS: 'moderator', METRICS_TOKEN })),
  );
  afterAll(() => server?.close());

  it('docs need a moderator (or the metrics token); metrics are gone', async () => {
    for (const path of ['/api/docs', '/api/docs-json', '/api/docs-yaml']) {
      const refused = await call(server, 'GET', path);
      expect({ path, status: refused.status }).toEqual({ path, status: 403 });
    }
    const moderator = { authorization: `Bearer ${(await Api.asModerator(server.url)).bearer}` };
    expect((await call(server, 'GET', '/api/docs-json', undefined, moderator)).status).toBe(200);
    const token = { authorization: `Bearer ${METRICS_TOKEN}` };
    expect((await call(server, 'GET', '/api/docs-json', undefined, token)).status).toBe(200);
    expect((await call(server, 'GET', '/api/docs-json', undefined, { authorization: 'Bearer junk' })).status).toBe(403);

    expect((await call(server, 'GET', '/metrics')).status).toBe(404);
    expect((await call(server, 'GET', '/metrics', undefined, token)).status).toBe(404);
  });

  it('refuses a configuration that needs a token without one', async () => {
    await expect(startServer({ METRICS_ACCESS: 'token' })).rejects.toThrow(/METRICS_TOKEN is required/);
    await expect(startServer({ TRUST_PROXY: 'true' })).rejects.toThrow(/TRUST_PROXY must be/);
  });
});
