import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Api } from '../e2e/harness/api';
import { parsePlaylist, waitFor } from '../e2e/harness/media';
import { startServer, type TestServer } from '../e2e/harness/server';
import { launchChromium, videoPlays } from './harness/browser';

const SHAKA = readFileSync(require.resolve('shaka-player/dist/shaka-player.compiled.js'), 'utf8');
const PASSWORD = 'press-only';

/** A newsroom's own page with Shaka Player, as the README's embed snippet shows it. */
const EMBED_PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Newsroom</title><script src="/shaka-player.compiled.js"></script></head>
  <body>
    <video id="video" muted autoplay playsinline width="640" height="360"></video>
    <script>
      shaka.polyfill.installAll();
      /** Plays an HLS address; resolves with how loading went. With credentials: sends the browser's cookies too. */
      window.playStream = async (src, withCredentials) => {
        const player = new shaka.Player();
        await player.attach(document.getElementById('video'));
        player.configure({ streaming: { retryParameters: { maxAttempts: 1 } }, manifest: { retryParameters: { maxAttempts: 1 } } });
        if (withCredentials) {
          player.getNetworkingEngine().registerRequestFilter((_type, request) => {
            request.allowCrossSiteCredentials = true;
          });
        }
        try {
          await player.load(src);
          return { loaded: true };
        } catch (error) {
          return { loaded: false, category: error.category, code: error.code };
        }
      };
    </script>
  </body>
</html>`;

/** The embedding site: another origin (another port) than Pressroom's. */
async function startNewsroom(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.url === '/shaka-player.compiled.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(SHAKA);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' }).end(EMBED_PAGE);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Shaka Player on another site plays a public event's stream, and gets nothing of a password-protected one. */
describe('embedding: Shaka Player on another origin', () => {
  let pressroom: TestServer;
  let newsroom: { server: Server; url: string };
  let browser: Browser;
  let moderator: Api;
  let context: BrowserContext;

  beforeAll(async () => {
    [pressroom, newsroom, browser] = await Promise.all([startServer(), startNewsroom(), launchChromium()]);
    moderator = await Api.asModerator(pressroom.url);
  }, 30_000);
  afterEach(() => context?.close());
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => newsroom?.server.close(resolve));
    await pressroom?.close();
  });

  /** The slate starts with the first request for the playlist: waits until it lists segments. */
  const warmUp = (slug: string, cookie?: string) =>
    waitFor(async () => {
      const answer = await fetch(`${pressroom.url}/hls/${slug}/index.m3u8`, { headers: cookie ? { cookie } : {} });
      return answer.status === 200 && parsePlaylist(await answer.text()).segments.length >= 2 ? true : undefined;
    }, 20_000);

  async function newsroomPage(): Promise<Page> {
    context = await browser.newContext();
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto(newsroom.url);
    return page;
  }

  const play = (page: Page, src: string, withCredentials = false) =>
    page.evaluate(
      ([address, credentials]) =>
        (
          globalThis as unknown as {
            playStream(src: string, credentials: boolean): Promise<{ loaded: boolean; category?: number }>;
          }
        ).playStream(address, credentials),
      [src, withCredentials] as const,
    );

  it('plays a public event', async () => {
    const { slug } = await moderator.createEvent({ title: 'Open briefing' });
    await warmUp(slug);
    const page = await newsroomPage();
    expect(await play(page, `${pressroom.url}/hls/${slug}/index.m3u8`)).toEqual({ loaded: true });
    await videoPlays(page.locator('#video'), 'the embedded public stream', { startTimeoutMs: 15_000 });
  }, 60_000);

  it('is refused a password-protected event, even in a browser that joined it', async () => {
    const { slug } = await moderator.createEvent({ title: 'Closed briefing', password: PASSWORD });
    const page = await newsroomPage();
    // This browser joined the event on Pressroom's page: it holds the stream pass (an HttpOnly cookie).
    const joined = await context.request.post(`${pressroom.url}/api/events/${slug}/join`, {
      data: { password: PASSWORD },
    });
    expect(joined.status()).toBe(200);
    const pass = (await context.cookies(`${pressroom.url}/hls/${slug}/`)).find(
      (cookie) => cookie.name === `pressroom_hls_${slug}`,
    );
    expect(pass).toBeDefined();
    await warmUp(slug, `${pass!.name}=${pass!.value}`);

    const src = `${pressroom.url}/hls/${slug}/index.m3u8`;
    for (const withCredentials of [false, true]) {
      const result = await play(page, src, withCredentials);
      // shaka.util.Error.Category.NETWORK: the browser gave the player nothing.
      expect({ withCredentials, ...result }).toMatchObject({ withCredentials, loaded: false, category: 1 });
    }
    const video = await page.locator('#video').evaluate((element: { videoWidth: number; currentTime: number }) => ({
      width: element.videoWidth,
      time: element.currentTime,
    }));
    expect(video).toEqual({ width: 0, time: 0 });
  }, 60_000);
});
