import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { startBroadcastServer, type BroadcastTestServer } from '../e2e/harness/broadcast-server';
import { Api } from '../e2e/harness/api';
import { startRtmpServer, type RtmpServer } from '../e2e/harness/nginx';
import { ADMIN } from '../e2e/harness/server';
import { launchChromium } from './harness/browser';

const ROOT = resolve(__dirname, '..', '..');
const WEB_DIR = join(ROOT, 'dist');
const CONSOLE_INDEX = join(WEB_DIR, 'console', 'index.html');
const SCREENSHOTS = join(ROOT, 'reports', 'screenshots');
const KEY = `browser-key-${Math.random().toString(36).slice(2)}-WXYZ`;

/**
 * The control room's Restream panel (the production build, the real API, a real RTMP server on 127.0.0.1)
 * in Debian's Chromium: a moderator adds a platform, goes live, sees it live, then retrying when the
 * ingest dies.
 */
describe('console in Chromium: restream to a platform', () => {
  let broadcast: BroadcastTestServer;
  let browser: Browser;
  let rtmp: RtmpServer | undefined;

  beforeAll(async () => {
    if (!existsSync(CONSOLE_INDEX)) {
      throw new Error(`${CONSOLE_INDEX} is missing: build the console first (cd apps/console && npx ng build console)`);
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    [broadcast, browser, rtmp] = await Promise.all([
      startBroadcastServer({ WEB_DIR }),
      launchChromium(),
      startRtmpServer(),
    ]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await rtmp?.kill();
    if (rtmp) rmSync(rtmp.recordDir, { recursive: true, force: true });
    await broadcast?.close();
  });

  it('adds a platform (the key never shown again), shows it live, then retrying when the ingest dies', async () => {
    const { server } = broadcast;
    await (await Api.asModerator(server.url)).createEvent({ title: 'Restreamed briefing' });
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Open the control room of Restreamed briefing' }).click();

    const panel = page.getByRole('region', { name: /^Restream/ });
    await panel.getByText('No platform yet').waitFor();
    await panel.getByLabel('Platform').fill('Local ingest');
    await panel.getByLabel('Server URL').fill('https://example.org/live');
    await panel.getByText('url must start with rtmp:// or rtmps://').waitFor();
    expect(await panel.getByRole('button', { name: 'Add destination' }).isDisabled()).toBe(true);
    await panel.getByLabel('Server URL').fill(rtmp!.url);
    await panel.getByLabel('Stream key').fill(KEY);
    await panel.getByRole('button', { name: 'Add destination' }).click();

    const entry = panel.getByRole('listitem', { name: 'Restream to Local ingest' });
    await entry.getByText(`${rtmp!.url} · key ••••WXYZ`).waitFor();
    await entry.getByText('Starts when the event goes live').waitFor();
    expect(await panel.getByLabel('Stream key').inputValue()).toBe('');
    expect(await page.content()).not.toContain(KEY);

    await page.getByRole('button', { name: 'Start broadcast' }).click();
    await entry.locator('.status', { hasText: /^Live$/ }).waitFor({ timeout: 60_000 });
    expect(await panel.getByRole('button', { name: 'Remove Local ingest' }).count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-restream-live.png') });

    await rtmp!.kill();
    rtmp = undefined;
    await entry.getByText(/^Retrying (in \d+ s|now) · .+/).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'console-restream-retrying.png') });
    expect(await page.content()).not.toContain(KEY);
    await context.close();
  }, 120_000);
});
