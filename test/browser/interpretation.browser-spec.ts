import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import type { BroadcastTestServer } from '../e2e/harness/broadcast-server';
import type { PressConference } from '../e2e/harness/press-conference';
import { openBroadcastPage, WEB_DIR, type BroadcastPage } from './harness/broadcast-page';
import { eventually, videoPlays } from './harness/browser';

const ROOT = resolve(__dirname, '..', '..');
const VIEWER = join(WEB_DIR, 'viewer');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const INITIAL_BUDGET = 150 * 1024;
/** A French segment of the interpretation's rendition: `r3-audio-fr-00012.m4s`. */
const FRENCH_SEGMENT = /\/r\d+-audio-fr-\d+\.m4s/;
/** A segment of a video rendition: `r3-v720-00012.m4s`. */
const VIDEO_SEGMENT = /\/r\d+-v\d+-\d+\.m4s/;

describe('interpretation on the event page in Chromium: listen in a language, remembered, budget kept', () => {
  let on: BroadcastPage | undefined;
  let broadcast: BroadcastTestServer;
  let room: PressConference;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    on = await openBroadcastPage({
      title: 'Budget 2026: interpreted',
      interpreterLanguage: 'fr',
      beforePage: (context) => context.on('request', (request) => requests.push(request.url())),
    });
    ({ broadcast, room, page } = on);
  }, 60_000);

  afterAll(() => on?.close());

  const since = (from: number, pattern: RegExp) => requests.slice(from).filter((url) => pattern.test(url));
  /** The video plays on: a picture, and its time moves 2 s more. */
  const playsOn = (what: string, startTimeoutMs = 30_000) =>
    videoPlays(page.locator('#video'), what, { advanceSeconds: 2, startTimeoutMs, advanceTimeoutMs: 15_000 });

  /** The French sound's element plays: its time moves on by 2 s. */
  const frenchPlays = async () => {
    const read = () =>
      page.locator('#listen audio[data-language="fr"]').evaluate((audio: { paused: boolean; currentTime: number }) => ({
        paused: audio.paused,
        time: audio.currentTime,
      }));
    const first = await eventually(read, (state) => (!state.paused && state.time > 0 ? state : undefined), {
      timeoutMs: 20_000,
      intervalMs: 250,
      what: 'the French sound playing',
    });
    await eventually(read, (state) => (state.time > first.time + 2 ? state : undefined), {
      timeoutMs: 15_000,
      intervalMs: 250,
      what: 'the French sound advancing',
    });
  };

  it('the initial page stays within its budget', () => {
    const html = readFileSync(join(VIEWER, 'index.html'), 'utf8');
    const named = [...html.matchAll(/"\/assets\/([^"]+)"/g)].map((match) => match[1]!);
    const size = [join(VIEWER, 'index.html'), ...named.map((name) => join(VIEWER, 'assets', name))].reduce(
      (total, file) => total + gzipSync(readFileSync(file), { level: 9 }).length,
      0,
    );
    console.log(`initial event page: ${(size / 1024).toFixed(1)} KB gzipped (budget ${INITIAL_BUDGET / 1024} KB)`);
    expect(size).toBeLessThanOrEqual(INITIAL_BUDGET);
  });

  it('lists the floor and French; the floor plays; the menu passes axe-core', async () => {
    await page.goto(`${broadcast!.server.url}/${room.event.slug}`);
    // The first segments of a broadcast just started take a while on a busy machine.
    await playsOn('the broadcast', 90_000);
    const menu = page.getByLabel('Listen in');
    await menu.waitFor({ timeout: 30_000 });
    expect(await menu.locator('option').allTextContents()).toEqual(['Floor', 'Français']);
    expect(await menu.inputValue()).toBe('');
    expect(since(0, FRENCH_SEGMENT)).toEqual([]);

    await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<unknown> } }).axe;
      const result = (await axe.run('#listen', {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      })) as { violations: Array<{ id: string }> };
      return result.violations.map((violation) => violation.id);
    });
    expect(violations).toEqual([]);
  }, 150_000);

  it('picking French fetches the French segments and plays them beside the picture, which keeps playing', async () => {
    const from = requests.length;
    await page.getByLabel('Listen in').selectOption({ label: 'Français' });
    await eventually(
      async () => since(from, FRENCH_SEGMENT).length,
      (count) => (count >= 3 ? count : undefined),
      { timeoutMs: 30_000, intervalMs: 250, what: 'three French segments requested' },
    );
    await playsOn('the broadcast in French');
    await frenchPlays();
    // The picture still comes from the video rendition.
    expect(since(from, VIDEO_SEGMENT).length).toBeGreaterThan(0);
    await page
      .screenshot({ path: join(ROOT, 'reports', 'screenshots', 'interpretation-viewer.png') })
      .catch(() => undefined);
  }, 90_000);

  it('a reload remembers French; Audio only plays the French rendition alone; Floor goes back', async () => {
    let from = requests.length;
    await page.reload();
    await playsOn('the broadcast after the reload');
    expect(await page.getByLabel('Listen in').inputValue()).toBe('fr');
    await eventually(
      async () => since(from, FRENCH_SEGMENT).length,
      (count) => (count >= 2 ? count : undefined),
      { timeoutMs: 30_000, intervalMs: 250, what: 'French segments requested after the reload' },
    );
    await frenchPlays();

    await page.getByLabel('Quality').selectOption({ label: 'Audio only' });
    await eventually(
      async () => since(from, /\/audio-fr\.m3u8/).length,
      (count) => (count > 0 ? count : undefined),
      { timeoutMs: 15_000, intervalMs: 250, what: 'audio-fr.m3u8 played' },
    );
    // Once audio only plays, no more video segments are fetched, and French ones go on.
    await new Promise((done) => setTimeout(done, 3_000));
    from = requests.length;
    await eventually(
      async () => since(from, FRENCH_SEGMENT).length,
      (count) => (count >= 3 ? count : undefined),
      { timeoutMs: 20_000, intervalMs: 250, what: 'French segments in audio only' },
    );
    expect(since(from, VIDEO_SEGMENT)).toEqual([]);

    // The floor, with the picture again: no more French segments.
    await page.getByLabel('Listen in').selectOption({ label: 'Floor' });
    await page.getByLabel('Quality').selectOption({ label: 'Auto' });
    await playsOn('the floor');
    await new Promise((done) => setTimeout(done, 2_000));
    from = requests.length;
    await playsOn('the floor, later');
    expect(since(from, FRENCH_SEGMENT)).toEqual([]);
    expect(since(from, VIDEO_SEGMENT).length).toBeGreaterThan(0);
  }, 150_000);
});
