import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { Api } from '../e2e/harness/api';
import { startServer, type TestServer } from '../e2e/harness/server';
import { launchChromium } from './harness/browser';

const WEB_DIR = join(resolve(__dirname, '..', '..'), 'dist');

describe('event page in Chromium while moderators lock joining', () => {
  let server: TestServer;
  let browser: Browser;
  let moderator: Api;

  beforeAll(async () => {
    if (!existsSync(join(WEB_DIR, 'viewer', 'index.html'))) {
      throw new Error('dist/viewer/index.html is missing: run "npm run build:viewer" before this test');
    }
    [server, browser] = await Promise.all([startServer({ WEB_DIR }), launchChromium()]);
    moderator = await Api.asModerator(server.url);
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('tells a newcomer that joining is closed, asks no password, and lets them in once it is open again', async () => {
    const event = await moderator.createEvent({ title: 'Locked briefing', password: 'press-only' });
    await moderator.expectOk('PATCH', `/api/events/${event.slug}`, { joinLocked: true });
    const context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();

    await page.goto(`${server.url}/${event.slug}`);
    await page.getByRole('heading', { name: 'Joining is closed for now' }).waitFor();
    await page.getByText('The moderators have closed this event to new arrivals.').waitFor();
    expect(await page.locator('#password-form').isHidden()).toBe(true);

    await moderator.expectOk('PATCH', `/api/events/${event.slug}`, { joinLocked: false });
    await page.reload();
    await page.getByLabel('Password', { exact: true }).fill('press-only');
    await page.getByRole('button', { name: 'Enter' }).click();
    await page.locator('#watch').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Locked briefing' }).waitFor();
    await context.close();
  }, 40_000);
});
