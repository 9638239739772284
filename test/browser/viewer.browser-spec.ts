import type { EventDetails, HandView } from '@pressroom/protocol';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Api } from '../e2e/harness/api';
import { LiveClient } from '../e2e/harness/live-client';
import { startServer, type TestServer } from '../e2e/harness/server';
import { launchChromium, videoPlays, watchRequests, type WatchedRequests } from './harness/browser';

const ROOT = resolve(__dirname, '..', '..');
const WEB_DIR = join(ROOT, 'dist');
const SCREENSHOTS = join(ROOT, 'reports', 'screenshots');
const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 900 };
const TITLE = 'Budget press conference';
const PASSWORD = 'press-only';

describe('viewer page in Chromium: the audience watches, chats, asks questions and raises a hand', () => {
  let server: TestServer;
  let browser: Browser;
  const watched: WatchedRequests[] = [];
  let moderatorApi: Api;
  let moderator: LiveClient;
  let event: EventDetails;
  /** An anonymous viewer on a phone, and a journalist at a desk. */
  let viewer: Page;
  let journalist: Page;

  beforeAll(async () => {
    if (!existsSync(join(WEB_DIR, 'viewer', 'index.html'))) {
      throw new Error('dist/viewer/index.html is missing: run "npm run build:viewer" before this test');
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([startServer({ WEB_DIR }), launchChromium()]);
    moderatorApi = await Api.asModerator(server.url);
    event = await moderatorApi.createEvent({
      title: TITLE,
      description: 'The minister presents next year’s budget.',
      password: PASSWORD,
      chatMode: 'pre',
    });
    moderator = await LiveClient.connect(server.url, (await moderatorApi.join(event.slug)).accessToken);
  }, 30_000);

  afterAll(async () => {
    const messages = watched.flatMap((w) => w.console);
    if (messages.length > 0) console.log(`browser console:\n${messages.join('\n')}`);
    moderator?.close();
    await browser?.close();
    await server?.close();
  });

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    watched.push(watchRequests(context));
    // Fail with Playwright's own account of what it waited for, before Jest's timeout.
    context.setDefaultTimeout(10_000);
    return context.newPage();
  }

  /** Opens the event's link and gets past the password prompt. */
  async function enterEvent(page: Page): Promise<void> {
    await page.goto(`${server.url}/${event.slug}`);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Enter' }).click();
    await page.locator('#watch').waitFor();
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `viewer-${name}.png`), fullPage: true });
  // The tests compile without the DOM's types: elements are described by the fields read.
  /**
   * The moderator's wait for what a page's user does: it starts before the page is filled in and clicked,
   * which alone took over 5 s (the live client's default) on this loaded machine.
   */
  const WHILE_THE_PAGE_ACTS = { timeoutMs: 20_000 };
  const questionItem = (page: Page, text: string) => page.locator('#question-list li', { hasText: text });

  it('at / shows a short landing that points organisers to the console', async () => {
    const page = await newPage(PHONE);
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: /open the link you were given/ }).waitFor();
    expect(await page.getByRole('link', { name: /console/ }).getAttribute('href')).toBe('/console');
    await page.context().close();
  });

  it('asks for the password of a protected event, then shows it starting soon with its title', async () => {
    viewer = await newPage(PHONE);
    await viewer.goto(`${server.url}/${event.slug}`);
    await viewer.getByRole('heading', { name: 'This event needs a password' }).waitFor();
    await viewer.getByLabel('Password', { exact: true }).fill('wrong');
    await viewer.getByRole('button', { name: 'Enter' }).click();
    await viewer.getByText('The password is not right').waitFor();
    await shot(viewer, 'phone-password');

    await viewer.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await viewer.getByRole('button', { name: 'Enter' }).click();
    await viewer.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await viewer.locator('#event-status', { hasText: 'Starting soon' }).waitFor();
    await viewer.locator('#password-form').waitFor({ state: 'hidden' });
    await viewer.getByText('No questions yet').waitFor();
  });

  it('plays the broadcast (the starting-soon slate is HLS too)', async () => {
    await videoPlays(viewer.locator('video'), 'the video', { startTimeoutMs: 20_000, advanceTimeoutMs: 8000 });
    expect(await viewer.locator('#slate').isHidden()).toBe(true);
    await shot(viewer, 'phone-starting-soon');
  }, 40_000);

  it('a journalist chats (held for approval) and asks a question; approved, it shows for everyone, on air; the audience upvotes', async () => {
    journalist = await newPage(DESKTOP);
    await enterEvent(journalist);
    await journalist.getByLabel('Name').fill('Ana García');
    await journalist.getByLabel(/Outlet/).fill('El País');
    await journalist.getByRole('button', { name: 'Join the conversation' }).click();
    await journalist.getByText('You take part as Ana García, El País (journalist).').waitFor();

    const pendingChat = moderator.next('chat:message', (m) => m.status === 'pending', WHILE_THE_PAGE_ACTS);
    await journalist.getByRole('textbox', { name: 'Message' }).fill('Good morning from Madrid');
    await journalist.getByRole('button', { name: 'Send' }).click();
    await journalist.locator('.message.pending', { hasText: 'Awaiting approval' }).waitFor();
    expect(await moderator.send('chat:approve', { messageId: (await pendingChat).id })).toEqual({ ok: true });
    await viewer.locator('#chat-log', { hasText: 'Good morning from Madrid' }).waitFor();
    await journalist.locator('.message:not(.pending)', { hasText: 'Good morning from Madrid' }).waitFor();

    const text = 'Will the budget include the new rail line?';
    const pendingQuestion = moderator.next('question:pending', (q) => q.text === text, WHILE_THE_PAGE_ACTS);
    await journalist.getByLabel('Your question').fill(text);
    await journalist.getByRole('button', { name: 'Ask' }).click();
    await journalist.locator('#my-question-list', { hasText: text }).waitFor();
    const question = await pendingQuestion;
    expect(question).toMatchObject({ name: 'Ana García', outlet: 'El País' });
    expect(await viewer.locator('#question-list').textContent()).not.toContain(text);

    expect(await moderator.send('question:approve', { questionId: question.id })).toEqual({ ok: true });
    for (const page of [viewer, journalist]) await questionItem(page, text).waitFor();
    expect(await journalist.locator('#my-questions').isHidden()).toBe(true);

    expect(await moderator.send('question:onAir', { questionId: question.id })).toEqual({ ok: true });
    for (const page of [viewer, journalist])
      await questionItem(page, text).locator('.badge', { hasText: 'On air' }).waitFor();

    await questionItem(viewer, text).getByRole('button', { name: 'Upvote' }).click();
    await questionItem(viewer, text).getByRole('button', { name: 'Upvoted' }).waitFor();
    for (const page of [viewer, journalist]) await questionItem(page, text).getByText('1 vote').waitFor();
    await moderator.next('question:updated', (q) => q.id === question.id && q.votes === 1, { past: true });
    await shot(viewer, 'phone-questions');
  });

  it('a journalist raises a hand, the moderator sees it and acknowledges; lowered, it leaves the queue', async () => {
    const inQueue = (hands: HandView[]) => hands.find((hand) => hand.name === 'Ana García');
    const raised = moderator.next('hand:queue', ({ hands }) => inQueue(hands) !== undefined, WHILE_THE_PAGE_ACTS);
    await journalist.getByLabel(/Topic/).fill('Rail funding');
    await journalist.getByRole('button', { name: 'Raise hand' }).click();
    const hand = inQueue((await raised).hands)!;
    expect(hand).toMatchObject({ outlet: 'El País', topic: 'Rail funding', status: 'raised' });
    await journalist.getByText('Your hand is up (Rail funding).').waitFor();

    expect(await moderator.send('hand:ack', { handId: hand.id })).toEqual({ ok: true });
    await journalist.locator('#hand-status', { hasText: 'A moderator has seen your hand' }).waitFor();
    await shot(journalist, 'desktop-journalist');

    const lowered = moderator.next('hand:queue', ({ hands }) => inQueue(hands) === undefined, WHILE_THE_PAGE_ACTS);
    await journalist.getByRole('button', { name: 'Lower hand' }).click();
    await lowered;
    await journalist.getByRole('button', { name: 'Raise hand' }).waitFor();
  });

  it('slow mode: the page says so, and a refused message tells when to try again', async () => {
    await moderatorApi.expectOk('PATCH', `/api/events/${event.slug}`, { slowModeSeconds: 30 });
    await journalist.getByText('Slow mode: one message every 30 s.').waitFor();
    await journalist.getByRole('textbox', { name: 'Message' }).fill('First under slow mode');
    await journalist.getByRole('button', { name: 'Send' }).click();
    await journalist.getByRole('button', { name: /^Wait \d+ s$/ }).waitFor();

    // After a reload the page no longer counts down itself: the server refuses, and the page says why.
    await journalist.reload();
    await journalist.getByText('You take part as Ana García, El País (journalist).').waitFor();
    await journalist.getByRole('textbox', { name: 'Message' }).fill('Second under slow mode');
    await journalist.getByRole('button', { name: 'Send' }).click();
    await journalist.getByRole('alert').filter({ hasText: 'Slow mode: one message every 30 s' }).waitFor();
    await journalist.getByRole('button', { name: /^Wait \d+ s$/ }).waitFor();
    expect(await journalist.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('Second under slow mode');
  });

  it('every field has a label', async () => {
    for (const page of [viewer, journalist]) {
      const unlabelled = await page
        .locator('input, textarea')
        .evaluateAll((fields) =>
          (fields as unknown as Array<{ id: string; labels: { length: number } | null }>)
            .filter((field) => (field.labels?.length ?? 0) === 0)
            .map((field) => field.id),
        );
      expect(unlabelled).toEqual([]);
    }
  });

  it('when the event ends, the page says so and closes the chat and questions', async () => {
    await moderatorApi.expectOk('POST', `/api/events/${event.slug}/start`);
    await viewer.locator('#event-status', { hasText: 'Live' }).waitFor();
    await moderatorApi.expectOk('POST', `/api/events/${event.slug}/end`);
    for (const page of [viewer, journalist]) {
      await page.locator('#event-status', { hasText: 'This event has ended' }).waitFor();
      await page.getByText('The event has ended: the chat is closed.').waitFor();
      expect(await page.locator('#ask-form').isHidden()).toBe(true);
    }
    await shot(journalist, 'desktop-ended');
  });

  it('no page made a request beyond 127.0.0.1', () => {
    expect(watched.reduce((count, w) => count + w.count, 0)).toBeGreaterThan(0);
    expect(watched.flatMap((w) => w.offsite)).toEqual([]);
  });
});
