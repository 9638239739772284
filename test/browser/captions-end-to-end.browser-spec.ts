import type { EventDetails } from '@pressroom/protocol';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { Api } from '../e2e/harness/api';
import { startBroadcastServer, type BroadcastTestServer } from '../e2e/harness/broadcast-server';
import {
  eventually,
  launchChromium,
  textTracks,
  videoPlays,
  watchRequests,
  type TextTrackState,
  type WatchedRequests,
} from './harness/browser';
import { StudioCast } from './harness/crew';

const ROOT = resolve(__dirname, '..', '..');
const WEB_DIR = join(ROOT, 'dist');
const SCREENSHOTS = join(ROOT, 'reports', 'screenshots');

/**
 * Captions from end to end, every part real, in Debian's Chromium: a speaker in the studio (fake camera,
 * a tone), two captioners on their captioner's pages (Spanish and French) typing lines with the keyboard;
 * the API puts them into the broadcast's WebVTT renditions; a viewer on the event page turns captions on
 * and sees the Spanish lines drawn over the video (the active cues of its showing text track), then picks
 * French in the menu and sees the French lines.
 */
describe("captions from the captioners' keyboards to the viewer's player", () => {
  let broadcast: BroadcastTestServer | undefined;
  let browser: Browser;
  let event: EventDetails;
  let cast: StudioCast;
  let viewer: Page;
  const watched: WatchedRequests[] = [];
  const captioning: Array<Promise<void>> = [];
  let stopped = false;
  /** The lines each captioner's page sent (typed, then Enter), in order. */
  const sent: Record<'es' | 'fr', string[]> = { es: [], fr: [] };

  beforeAll(async () => {
    for (const page of ['viewer', 'studio']) {
      if (!existsSync(join(WEB_DIR, page, 'index.html'))) {
        throw new Error(`dist/${page}/index.html is missing: run "npm run build:web" before this test`);
      }
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    [broadcast, browser] = await Promise.all([startBroadcastServer({ WEB_DIR, HLS_LADDER: '720' }), launchChromium()]);
    const moderatorApi = await Api.asModerator(broadcast.server.url);
    event = await moderatorApi.createEvent({ title: 'Budget 2026: captioned by hand' });
    cast = new StudioCast(broadcast.server.url, moderatorApi, event.slug);
    await moderatorApi.expectOk('POST', `/api/events/${event.slug}/start`);
  }, 60_000);

  afterAll(async () => {
    stopped = true;
    const messages = [...(cast?.consoleMessages() ?? []), ...watched.flatMap((w) => w.console)];
    if (messages.length > 0) console.log(`browser console:\n${messages.join('\n')}`);
    await browser?.close();
    await Promise.allSettled(captioning);
    await broadcast?.close();
  }, 60_000);

  /**
   * The captioner types a short line with the keyboard and presses Enter, then the next one a second later,
   * until the test ends: each line stays on screen 2.5 s or more, so one is nearly always showing.
   */
  async function keepCaptioning(page: Page, language: 'es' | 'fr', line: (n: number) => string): Promise<void> {
    const box = page.getByLabel('Type what is said; Enter sends the line');
    await box.focus();
    for (let n = 1; !stopped; n++) {
      const text = line(n);
      await page.keyboard.type(text);
      await page.keyboard.press('Enter');
      sent[language].push(text);
      await page.waitForTimeout(1_000);
    }
  }

  const showing = (states: TextTrackState[]) => states.filter((track) => track.mode === 'showing');
  /** The one showing track's language and the cue it draws now, when that cue is a line `language`'s captioner sent. */
  const drawnLine = (language: 'es' | 'fr') => (states: TextTrackState[]) => {
    const shown = showing(states);
    if (shown.length !== 1 || shown[0]!.language !== language) return undefined;
    const drawn = shown[0]!.active.filter((text) => sent[language].includes(text));
    return drawn.length > 0 ? { track: shown[0]!, drawn } : undefined;
  };

  /**
   * Waits for a line of `language` drawn over the video, and saves the page as the viewer sees it then: taken
   * again until the same cue is still showing after the screenshot (a cue shows for 2.5–7 s).
   */
  async function seeLine(video: Locator, language: 'es' | 'fr', name: string, timeoutMs: number) {
    const what = `a line the ${language === 'es' ? 'Spanish' : 'French'} captioner typed, drawn over the video`;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = await eventually(() => textTracks(video), drawnLine(language), {
        timeoutMs: Math.max(1_000, deadline - Date.now()),
        intervalMs: 200,
        what,
      }).catch(async (error: Error) => {
        // Say what the player was doing: a stalled or paused video shows no cue.
        interface PageVideo {
          paused: boolean;
          readyState: number;
          currentTime: number;
          buffered: { length: number; end(index: number): number };
        }
        const player = await video.evaluate((v: PageVideo) => ({
          paused: v.paused,
          readyState: v.readyState,
          currentTime: v.currentTime,
          bufferedEnd: v.buffered.length > 0 ? v.buffered.end(v.buffered.length - 1) : null,
        }));
        throw new Error(`${error.message}; the video: ${JSON.stringify(player)}`);
      });
      await video.page().screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
      const after = drawnLine(language)(await textTracks(video));
      if (after?.drawn.includes(seen.drawn[0]!) || Date.now() > deadline) return seen;
    }
  }

  it('a speaker is in the studio; the captioners in Spanish and French join on their pages and type', async () => {
    const [speaker, spanish, french] = await Promise.all([
      cast.join(browser, 'Minister Ruiz'),
      cast.join(browser, 'Carla Captions', 'captioner', 'es'),
      cast.join(browser, 'Claire Sous-titres', 'captioner', 'fr'),
    ]);
    // Each captioner hears the speaker (the studio's sound over WebRTC), then types.
    for (const page of [spanish, french]) {
      await page.getByRole('region', { name: 'In the studio' }).getByText('Minister Ruiz').waitFor();
    }
    expect(await speaker.getByRole('figure', { name: /Carla Captions|Claire Sous-titres/ }).count()).toBe(0);
    captioning.push(
      keepCaptioning(spanish, 'es', (n) => `Línea ${n}: sube.`),
      keepCaptioning(french, 'fr', (n) => `Ligne ${n} : plus.`),
    );
    await eventually(
      async () => [sent.es.length, sent.fr.length],
      ([es, fr]) => (es! >= 1 && fr! >= 1 ? true : undefined),
      { timeoutMs: 60_000, what: 'a line typed by each captioner' },
    );
    await spanish.getByRole('list', { name: 'Lines sent' }).getByText(sent.es[0]!).waitFor();
  }, 150_000);

  it('the viewer turns captions on and sees the Spanish lines in the player, then switches to French', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    watched.push(watchRequests(context));
    context.setDefaultTimeout(20_000);
    viewer = await context.newPage();
    await viewer.goto(`${broadcast!.server.url}/${event.slug}`);
    const video = viewer.locator('#video');
    await videoPlays(video, 'the broadcast', { startTimeoutMs: 40_000 });

    const toggle = viewer.getByRole('button', { name: 'Captions' });
    await toggle.waitFor({ timeout: 30_000 });
    const languages = viewer.getByLabel('Caption language');
    expect(await languages.locator('option').allTextContents()).toEqual(['Español', 'Français']);
    expect(showing(await textTracks(video))).toEqual([]);
    await languages.selectOption({ label: 'Español' });
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');

    // The Spanish track is the one showing, and the browser draws a line the Spanish captioner typed.
    const spanish = await seeLine(video, 'es', 'captions-end-to-end-viewer', 60_000);
    expect(spanish.drawn[0]).toMatch(/^Línea \d+: sube\.$/);
    // Every cue the track holds is a line the captioner typed, whole: nothing French, nothing else.
    expect(spanish.track.cues.filter((text) => !sent.es.includes(text))).toEqual([]);
    console.log(`Spanish on screen: "${spanish.drawn.join(' / ')}" (${sent.es.length} lines typed)`);

    await languages.selectOption({ label: 'Français' });
    const french = await seeLine(video, 'fr', 'captions-end-to-end-viewer-fr', 60_000);
    expect(french.drawn[0]).toMatch(/^Ligne \d+ : plus\.$/);
    expect(french.track.cues.filter((text) => !sent.fr.includes(text))).toEqual([]);
    expect(showing(await textTracks(video)).map((track) => track.language)).toEqual(['fr']);
    console.log(`French on screen: "${french.drawn.join(' / ')}" (${sent.fr.length} lines typed)`);
    expect(watched.flatMap((w) => w.offsite)).toEqual([]);
  }, 180_000);
});
