import type { EventDetails } from '@pressroom/protocol';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Api } from '../e2e/harness/api';
import { putSpeakerOnAir, type SpeakerOnAir } from '../e2e/harness/broadcast-server';
import { startServer, type TestServer } from '../e2e/harness/server';
import { eventually, launchChromium, videoPlays, watchRequests, type WatchedRequests } from './harness/browser';

const WEB_DIR = join(resolve(__dirname, '..', '..'), 'dist');

/**
 * The event page of a scheduled event plays its looping slate (files `s<key>-…`); when the event starts
 * it plays the broadcast (files `r<run>-…`) without a reload of the page.
 */
describe('event page: from the "starting soon" slate to the live broadcast', () => {
  let server: TestServer;
  let browser: Browser;
  let watched: WatchedRequests;
  let moderator: Api;
  let event: EventDetails;
  let page: Page;
  let speaker: SpeakerOnAir | undefined;
  const segments: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(WEB_DIR, 'viewer', 'index.html'))) {
      throw new Error('dist/viewer/index.html is missing: run "npm run build:viewer" before this test');
    }
    [server, browser] = await Promise.all([startServer({ WEB_DIR }), launchChromium()]);
    moderator = await Api.asModerator(server.url);
    event = await moderator.createEvent({ title: 'Budget 2027: the slate, then live' });
  }, 30_000);

  afterAll(async () => {
    if (watched?.console.length) console.log(`browser console:\n${watched.console.join('\n')}`);
    await speaker?.source.close();
    await browser?.close();
    await server?.close();
  });

  const played = (pattern: RegExp) => segments.filter((url) => pattern.test(url)).length;
  /** A broadcast segment of any rendition of the ladder (`r1-v720-00001.m4s`, `r1-audio-00001.m4s`). */
  const BROADCAST_SEGMENT = /\/r\d+-[a-z0-9]+-\d+\.m4s$/;

  it('plays the slate loop before the start', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    watched = watchRequests(context);
    page = await context.newPage();
    page.on('response', (response) => {
      if (response.status() === 200 && /\/hls\/.*\.m4s$/.test(response.url())) segments.push(response.url());
    });
    await page.goto(`${server.url}/${event.slug}`);
    await videoPlays(page.locator('#video'), 'the slate', { startTimeoutMs: 40_000, advanceTimeoutMs: 20_000 });
    expect(played(/\/s[0-9a-f]{16}-\d{5}\.m4s$/)).toBeGreaterThan(0);
    expect(played(BROADCAST_SEGMENT)).toBe(0);
  }, 90_000);

  it('plays the broadcast once the event starts', async () => {
    await moderator.expectOk('POST', `/api/events/${event.slug}/start`);
    speaker = await putSpeakerOnAir(server, event.id);
    await page.locator('#event-status', { hasText: 'Live' }).waitFor({ timeout: 30_000 });
    await eventually(
      async () => played(BROADCAST_SEGMENT),
      (count) => (count >= 3 ? count : undefined),
      { timeoutMs: 40_000, intervalMs: 500, what: "the page playing the broadcast's segments" },
    );
    await videoPlays(page.locator('#video'), 'the broadcast', { startTimeoutMs: 20_000, advanceSeconds: 2 });
    const slateAfter = played(/\/s[0-9a-f]{16}-\d{5}\.m4s$/);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(played(/\/s[0-9a-f]{16}-\d{5}\.m4s$/)).toBe(slateAfter);
  }, 120_000);
});
