import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Api } from '../e2e/harness/api';
import { LiveClient } from '../e2e/harness/live-client';
import { startServer, type TestServer } from '../e2e/harness/server';
import { launchChromium } from './harness/browser';

const ROOT = resolve(__dirname, '..', '..');
const WEB_DIR = join(ROOT, 'dist');
const PHONE = { width: 412, height: 823 };
const DESKTOP = { width: 1280, height: 900 };

/** Collects the page's layout shifts from its very start, as Lighthouse and the Web Vitals count them (CLS). */
const RECORD_SHIFTS = `
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      window.__shifts.push({
        value: entry.value,
        at: Math.round(entry.startTime),
        sources: (entry.sources || []).map((source) => {
          const node = source.node;
          const name = node && node.nodeType === 1 ? node.tagName.toLowerCase() + (node.id ? '#' + node.id : '') + (node.className ? '.' + String(node.className).split(' ').join('.') : '') : String(node && node.nodeName);
          return name + ' ' + source.previousRect.y + '→' + source.currentRect.y + ' h' + source.previousRect.height + '→' + source.currentRect.height;
        }),
      });
    }
  }).observe({ type: 'layout-shift', buffered: true });
`;

interface Shift {
  value: number;
  at: number;
  sources: string[];
}

/**
 * The event page does not move under the reader while it loads: the event, the join, the player and the
 * live state (questions, chat, who I am) arrive one after another into space kept for them.
 */
describe('event page: no layout shift while it loads and its state arrives (CLS)', () => {
  let server: TestServer;
  let browser: Browser;
  let slug: string;
  let protectedSlug: string;

  beforeAll(async () => {
    if (!existsSync(join(WEB_DIR, 'viewer', 'index.html'))) {
      throw new Error('dist/viewer/index.html is missing: run "npm run build:viewer" before this test');
    }
    [server, browser] = await Promise.all([startServer({ WEB_DIR }), launchChromium()]);
    const moderatorApi = await Api.asModerator(server.url);
    const event = await moderatorApi.createEvent({
      title: 'Budget press conference',
      description: 'The minister presents next year’s budget.',
      chatMode: 'post',
    });
    slug = event.slug;
    protectedSlug = (await moderatorApi.createEvent({ title: 'Closed briefing', password: 'press-only' })).slug;
    // A conversation under way: approved questions and chat arrive with the state.
    const moderator = await LiveClient.connect(server.url, (await moderatorApi.join(slug)).accessToken);
    const access = await new Api(server.url).join(slug, { name: 'Ana García', outlet: 'El País' });
    const journalist = await LiveClient.connect(server.url, access.accessToken);
    for (const text of ['Is the rail line funded?', 'When will the tax cut take effect?']) {
      const asked = (await journalist.send('question:ask', { text })) as { ok: boolean; question: { id: string } };
      await moderator.send('question:approve', { questionId: asked.question.id });
    }
    for (const text of ['Good morning', 'Is there a transcript later?']) await journalist.send('chat:send', { text });
    journalist.close();
    moderator.close();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function shiftsWhileLoading(
    url: string,
    viewport: { width: number; height: number },
    ready: (page: Page) => Promise<void>,
  ): Promise<Shift[]> {
    const context = await browser.newContext({ viewport });
    context.setDefaultTimeout(15_000);
    await context.addInitScript(RECORD_SHIFTS);
    const page = await context.newPage();
    await page.goto(url);
    await ready(page);
    // Whatever else comes (the player's first frames, a late font) has a moment to arrive.
    await page.waitForTimeout(1500);
    const shifts = await page.evaluate(() => (globalThis as unknown as { __shifts: Shift[] }).__shifts);
    await context.close();
    return shifts;
  }

  const cls = (shifts: Shift[]) => shifts.reduce((sum, shift) => sum + shift.value, 0);
  /** CLS ≈ 0; on failure, says what moved, when, and from where to where. */
  const describeShifts = (shifts: Shift[]) =>
    shifts.map((shift) => `${shift.value.toFixed(4)} at ${shift.at} ms: ${shift.sources.join('; ')}`);
  const expectNothingMoved = (shifts: Shift[]) => {
    expect({ cls: Number(cls(shifts).toFixed(3)), moved: describeShifts(shifts) }).toEqual({ cls: 0, moved: [] });
  };
  const stateArrived = async (page: Page) => {
    await page.locator('#question-list li').first().waitFor();
    await page.locator('#chat-log li').first().waitFor();
  };

  it.each([
    ['a phone', PHONE],
    ['a desktop', DESKTOP],
  ])('on %s, an anonymous viewer sees nothing move (CLS 0)', async (_what, viewport) => {
    const shifts = await shiftsWhileLoading(`${server.url}/${slug}`, viewport, stateArrived);
    expectNothingMoved(shifts);
  });

  /**
   * Their name, the ask box and the chat box are drawn from the join at once. What the live state brings
   * (the questions asked so far) may still push the ask box down at the foot of the screen: CLS stays far
   * below 0.1, Lighthouse's "good".
   */
  it('on a phone, a journalist coming back sees nothing move but the questions arriving (CLS < 0.02)', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    context.setDefaultTimeout(15_000);
    await context.addInitScript(RECORD_SHIFTS);
    const page = await context.newPage();
    await page.goto(`${server.url}/${slug}`);
    await page.getByLabel('Name').fill('Ana García');
    await page.getByLabel(/^Outlet/).fill('El País');
    await page.getByRole('button', { name: 'Join the conversation' }).click();
    await page.locator('#identity-summary', { hasText: 'Ana García' }).waitFor();

    await page.reload();
    await stateArrived(page);
    await page.locator('#identity-summary', { hasText: 'Ana García' }).waitFor();
    await page.locator('#ask-text').waitFor();
    await page.waitForTimeout(1500);
    const shifts = await page.evaluate(() => (globalThis as unknown as { __shifts: Shift[] }).__shifts);
    await context.close();
    const moved = describeShifts(shifts);
    expect({ moved, below: cls(shifts) < 0.02 }).toEqual({ moved, below: true });
    expect(moved.filter((shift) => !/form#ask-form|#my-questions|#hand\b/.test(shift))).toEqual([]);
  });

  it('on a phone, the password prompt does not move as it appears (CLS 0)', async () => {
    const shifts = await shiftsWhileLoading(`${server.url}/${protectedSlug}`, PHONE, (page) =>
      page.locator('#password').waitFor(),
    );
    expectNothingMoved(shifts);
  });
});
