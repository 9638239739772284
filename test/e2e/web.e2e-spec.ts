import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from './harness/api';
import { startServer, type TestServer } from './harness/server';

/** A stand-in for `npm run build:web`'s output: each app's page and one hashed asset. */
function fakeBuilds(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pressroom-web-'));
  for (const app of ['viewer', 'console', 'studio']) {
    const assets = app === 'viewer' ? join(dir, app, 'assets') : join(dir, app);
    mkdirSync(assets, { recursive: true });
    writeFileSync(join(dir, app, 'index.html'), `<title>${app} page</title>`);
    writeFileSync(join(assets, 'main-AB12CD34.js'), `console.log('${app}')`);
    writeFileSync(join(assets, 'favicon.ico'), 'icon');
  }
  return dir;
}

async function get(server: TestServer, path: string) {
  const response = await fetch(server.url + path);
  return { status: response.status, cache: response.headers.get('cache-control'), body: await response.text() };
}

describe('web: the viewer, console and studio builds are served from the API origin', () => {
  let server: TestServer;
  let webDir: string;

  beforeAll(async () => {
    webDir = fakeBuilds();
    server = await startServer({ WEB_DIR: webDir });
  });
  afterAll(async () => {
    await server.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  it.each([
    ['/', 'viewer'],
    ['/demo', 'viewer'],
    ['/press-briefing-a1b2c3?utm=x', 'viewer'],
    ['/console', 'console'],
    ['/console/', 'console'],
    ['/console/events/demo/control-room', 'console'],
    ['/studio/demo?invite=abc', 'studio'],
  ])('%s is the %s page, revalidated on every load', async (path, app) => {
    const page = await get(server, path);
    expect(page).toEqual({ status: 200, cache: 'no-cache', body: `<title>${app} page</title>` });
  });

  it('pages load nothing from elsewhere, leak no invite in a Referer, and only the viewer may be embedded', async () => {
    const viewer = await fetch(`${server.url}/demo`);
    const studio = await fetch(`${server.url}/studio/demo?invite=secret`);
    for (const page of [viewer, studio]) {
      expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'.*connect-src 'self'/);
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    }
    expect(viewer.headers.get('content-security-policy')).not.toMatch(/frame-ancestors/);
    expect(studio.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  });

  it.each([
    ['/assets/main-AB12CD34.js', 'viewer'],
    ['/console/main-AB12CD34.js', 'console'],
    ['/studio/main-AB12CD34.js', 'studio'],
  ])('the hashed asset %s is cached for a year', async (path, app) => {
    const asset = await get(server, path);
    expect(asset).toEqual({ status: 200, cache: 'public, max-age=31536000, immutable', body: `console.log('${app}')` });
  });

  it('an asset without a hash in its name is cached for an hour', async () => {
    expect((await get(server, '/console/favicon.ico')).cache).toBe('public, max-age=3600');
  });

  it.each(['/assets/missing-AB12CD34.js', '/console/missing-AB12CD34.js', '/demo/extra', '/favicon.png'])(
    '%s is a 404, not a page',
    async (path) => {
      expect((await get(server, path)).status).toBe(404);
    },
  );

  it('the API, health and metrics keep their paths', async () => {
    expect((await get(server, '/health')).body).toContain('"status":"ok"');
    expect((await get(server, '/metrics')).body).toContain('# HELP');
    const unknownEvent = await get(server, '/api/events/no-such-event');
    expect(unknownEvent.status).toBe(404);
    expect(JSON.parse(unknownEvent.body)).toMatchObject({ statusCode: 404 });
  });

  it("no event may take one of the server's paths as its slug", async () => {
    const moderator = await Api.asModerator(server.url);
    const { status, body } = await moderator.request<{ message: string }>('POST', '/api/events', {
      title: 'Console',
      slug: 'console',
      startsAt: new Date().toISOString(),
    });
    expect(status).toBe(400);
    expect(body.message).toMatch(/server's own paths/);
  });
});

describe('web: before the front ends are built', () => {
  let server: TestServer;
  let emptyDir: string;

  beforeAll(async () => {
    emptyDir = mkdtempSync(join(tmpdir(), 'pressroom-web-'));
    server = await startServer({ WEB_DIR: emptyDir });
  });
  afterAll(async () => {
    await server.close();
    rmSync(emptyDir, { recursive: true, force: true });
  });

  it('a page says how to build it', async () => {
    const page = await get(server, '/console');
    expect(page.status).toBe(503);
    expect(page.body).toMatch(/npm run build:web/);
  });
});
