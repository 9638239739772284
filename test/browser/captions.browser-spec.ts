import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { BroadcastTestServer } from '../e2e/harness/broadcast-server';
import { Api } from '../e2e/harness/api';
import { LiveClient } from '../e2e/harness/live-client';
import type { PressConference } from '../e2e/harness/press-conference';
import { openBroadcastPage, type BroadcastPage } from './harness/broadcast-page';
import { eventually, videoPlays } from './harness/browser';

const ROOT = resolve(__dirname, '..', '..');

interface TrackState {
  language: string;
  mode: string;
  cues: string[];
  active: string[];
}

describe('captions on the event page in Chromium: CC toggle, language, size, remembered', () => {
  let on: BroadcastPage | undefined;
  let broadcast: BroadcastTestServer;
  let room: PressConference;
  let page: Page;
  let sending: NodeJS.Timeout | undefined;
  const captioners: Record<string, LiveClient> = {};

  beforeAll(async () => {
    // An interpreter too: the broadcast lists an alternate audio rendition, which the page's player (hls.js
    // light, no alternate audio) must take in its stride.
    on = await openBroadcastPage({ title: 'Budget 2026: captioned', interpreterLanguage: 'de' });
    ({ broadcast, room, page } = on);
    // The event's captioners work in Spanish and French.
    for (const language of ['es', 'fr']) {
      const invited = await room.moderatorApi.request<{ inviteToken: string }>(
        'POST',
        `/api/events/${room.event.slug}/speakers`,
        { name: `Captioner ${language}`, role: 'captioner', language },
      );
      const joined = await new Api(broadcast.server.url).join(room.event.slug, { invite: invited.body.inviteToken });
      captioners[language] = await LiveClient.connect(broadcast.server.url, joined.accessToken);
    }
  }, 60_000);

  afterAll(async () => {
    clearInterval(sending);
    Object.values(captioners).forEach((client) => client.close());
    await on?.close();
  });

  let line = 0;
  /** The captioner of each language sends a numbered line every 1.5 s (caption:send). */
  const startSending = () => {
    sending = setInterval(() => {
      line++;
      for (const [language, text] of [
        ['es', `Línea ${line} en español`],
        ['fr', `Ligne ${line} en français`],
      ] as const) {
        void captioners[language]!.send('caption:send', { text });
      }
    }, 1_500);
  };

  /** The video's text tracks as the page has them: language, mode, every cue's text and those on screen now. */
  interface PageTrack {
    language: string;
    mode: string;
    cues: ArrayLike<{ text: string }> | null;
    activeCues: ArrayLike<{ text: string }> | null;
  }
  const tracks = () =>
    page.locator('#video').evaluate((video: { textTracks: ArrayLike<PageTrack> }) =>
      Array.from(video.textTracks, (track) => ({
        language: track.language,
        mode: track.mode,
        cues: Array.from(track.cues ?? [], (cue) => cue.text),
        active: Array.from(track.activeCues ?? [], (cue) => cue.text),
      })),
    );
  const shown = (states: TrackState[]) => states.filter((t) => t.mode === 'showing');

  it('offers captions once the broadcast has caption languages; CC on shows the lines as they are sent', async () => {
    await page.goto(`${broadcast!.server.url}/${room.event.slug}`);
    await videoPlays(page.locator('#video'), 'the broadcast', { startTimeoutMs: 30_000 });
    const toggle = page.getByRole('button', { name: 'Captions' });
    await toggle.waitFor({ timeout: 30_000 });
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    const languages = page.getByLabel('Caption language');
    expect(await languages.locator('option').allTextContents()).toEqual(['Español', 'Français']);
    startSending();
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const clickedAt = line;
    // The Spanish lines, drawn over the picture as they come (active cues of the showing track): one sent
    // after captions were turned on.
    const seen = await eventually(
      tracks,
      (states) => {
        const showing = shown(states);
        if (showing.length !== 1 || showing[0]!.language !== 'es') return undefined;
        return showing[0]!.active.find((text) => Number(/\d+/.exec(text)?.[0]) > clickedAt + 1);
      },
      { timeoutMs: 40_000, intervalMs: 200, what: 'a Spanish caption sent after CC was turned on, on screen' },
    );
    expect(seen).toMatch(/^Línea \d+ en español$/);
    console.log(`on screen: "${seen}" while line ${line} was being sent`);
    await page.screenshot({ path: join(ROOT, 'reports', 'screenshots', 'captions-viewer.png') }).catch(() => undefined);
  }, 120_000);

  it('switches language and size; the choice is remembered after a reload', async () => {
    await page.getByLabel('Caption language').selectOption({ label: 'Français' });
    await eventually(
      tracks,
      (states) => {
        const showing = shown(states);
        return showing.length === 1 &&
          showing[0]!.language === 'fr' &&
          showing[0]!.active.some((t) => t.startsWith('Ligne'))
          ? true
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'a French caption on screen, and no Spanish one' },
    );
    await page.getByLabel('Caption size').selectOption({ label: 'Large' });
    expect(await page.locator('.screen').getAttribute('class')).toContain('cc-large');

    await page.reload();
    const toggle = page.getByRole('button', { name: 'Captions' });
    await toggle.waitFor({ timeout: 30_000 });
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByLabel('Caption language').inputValue()).toBe('fr');
    expect(await page.getByLabel('Caption size').inputValue()).toBe('large');
    await eventually(
      tracks,
      (states) => (shown(states)[0]?.active.some((t) => t.startsWith('Ligne')) ? true : undefined),
      { timeoutMs: 40_000, intervalMs: 200, what: 'French captions after the reload' },
    );

    // Off: nothing is shown.
    await toggle.click();
    expect(shown(await tracks())).toEqual([]);
  }, 120_000);
});
