import type { EventDetails } from '@pressroom/protocol';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Api } from '../e2e/harness/api';
import { LiveClient } from '../e2e/harness/live-client';
import { startDeployedNginx, type TlsNginx } from '../e2e/harness/nginx';
import { freePort, startServer, type TestServer } from '../e2e/harness/server';
import { StudioService } from '../../apps/api/src/studio/studio.service';
import { eventually, launchChromium, videoPlays, watchRequests, type WatchedRequests } from './harness/browser';

const WEB_DIR = join(resolve(__dirname, '..', '..'), 'dist');

/**
 * The whole service as a deployment runs it: Chromium on https://, nginx with deploy/nginx/pressroom.conf
 * (TLS, HTTP/2, the WebSocket location, the HLS cache) in front of the server, PUBLIC_URL the https address.
 */
describe('in Chromium through nginx over https (deploy/nginx/pressroom.conf)', () => {
  let server: TestServer;
  let nginx: TlsNginx;
  let browser: Browser;
  let event: EventDetails;
  let moderatorApi: Api;
  const watched: WatchedRequests[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    for (const page of ['viewer', 'studio']) {
      if (!existsSync(join(WEB_DIR, page, 'index.html'))) throw new Error(`dist/${page} is missing: run set-up first`);
    }
    const port = await freePort();
    [server, browser] = await Promise.all([
      startServer({ WEB_DIR, TRUST_PROXY: 'loopback', PUBLIC_URL: `https://127.0.0.1:${port}` }),
      launchChromium(),
    ]);
    nginx = await startDeployedNginx(server.url, port);
    moderatorApi = await Api.asModerator(server.url);
    event = await moderatorApi.createEvent({ title: 'Budget press conference' });
  }, 30_000);

  afterAll(async () => {
    const messages = watched.flatMap((w) => w.console);
    if (messages.length > 0) console.log(`browser console:\n${messages.join('\n')}`);
    for (const context of contexts) await context.close();
    await browser?.close();
    await nginx?.stop();
    await server?.close();
  });

  /** A browser that accepts the test's self-signed certificate (as it would a real one). */
  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    watched.push(watchRequests(context));
    context.setDefaultTimeout(15_000);
    return context.newPage();
  }

  it('a viewer plays the broadcast from the proxy, and the live socket (wss) brings the chat', async () => {
    const viewer = await newPage();
    const sockets: string[] = [];
    viewer.on('websocket', (socket) => sockets.push(socket.url()));
    const segments: Array<string | null> = [];
    viewer.on('response', (response) => {
      if (/\/hls\/.+\.m4s$/.test(response.url())) segments.push(response.headers()['x-cache-status'] ?? null);
    });
    await viewer.goto(`${nginx.url}/${event.slug}`);
    await viewer.getByRole('heading', { level: 1, name: 'Budget press conference' }).waitFor();
    await videoPlays(viewer.locator('video'), 'the video through nginx', {
      startTimeoutMs: 30_000,
      advanceTimeoutMs: 10_000,
    });
    // The segments came through the proxy's cache.
    expect(segments.length).toBeGreaterThan(0);
    for (const status of segments) expect(['HIT', 'MISS']).toContain(status);

    expect(sockets.some((url) => url.startsWith(`wss://127.0.0.1:${new URL(nginx.url).port}/socket.io/`))).toBe(true);
    const moderator = await LiveClient.connect(server.url, (await moderatorApi.join(event.slug)).accessToken);
    try {
      expect(await moderator.send('chat:send', { text: 'Welcome, everyone' })).toMatchObject({ ok: true });
      await viewer.locator('#chat-log', { hasText: 'Welcome, everyone' }).waitFor();
    } finally {
      moderator.close();
    }
  }, 60_000);

  it('a speaker opens the https invite link, joins the studio and publishes camera and microphone', async () => {
    const invite = await moderatorApi.inviteSpeaker(event.slug, 'Minister Ruiz');
    // The invite link is made from PUBLIC_URL: the proxy's https address.
    expect(invite.inviteUrl.startsWith(`${nginx.url}/`)).toBe(true);
    const speaker = await newPage();
    await speaker.goto(invite.inviteUrl);
    await speaker.getByRole('button', { name: 'Join the studio', exact: true }).click();
    await speaker.getByRole('button', { name: 'Mute microphone', exact: true }).waitFor();
    await videoPlays(
      speaker.getByRole('figure', { name: 'Minister Ruiz (you)' }).locator('video'),
      'the speaker’s own picture',
      {
        advanceSeconds: 0.3,
      },
    );
    expect(await speaker.getByRole('alert').count()).toBe(0);
    // The server receives both tracks: the signalling went through the proxy's WebSocket.
    const room = await server.app.get(StudioService).existingRoom(event.id);
    const kinds = await eventually(
      async () => (room?.tracks() ?? []).map((track) => `${track.speakerName} ${track.kind}`).sort(),
      (tracks) => (tracks.length === 2 ? tracks : undefined),
      { what: 'the speaker’s camera and microphone on the server' },
    );
    expect(kinds).toEqual(['Minister Ruiz audio', 'Minister Ruiz video']);
  }, 60_000);
});
