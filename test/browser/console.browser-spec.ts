import type { QuestionView } from '@pressroom/protocol';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { Api } from '../e2e/harness/api';
import { LiveClient } from '../e2e/harness/live-client';
import { ADMIN, startServer, type TestServer } from '../e2e/harness/server';
import { launchChromium, videoPlays, watchRequests, type WatchedRequests } from './harness/browser';

const ROOT = resolve(__dirname, '..', '..');
const WEB_DIR = join(ROOT, 'dist');
const CONSOLE_INDEX = join(WEB_DIR, 'console', 'index.html');
const SCREENSHOTS = join(ROOT, 'reports', 'screenshots');
const UI_TIMEOUT_MS = 10_000;

/**
 * The moderator console (the production build in dist/console, served by the real API) in Debian's
 * Chromium: a moderator signs in, creates an event and runs it while a journalist (a socket.io client)
 * asks questions and raises a hand, and a second moderator (another socket.io client) mutes and bans.
 */
describe('console in Chromium: a moderator runs an event', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watched: WatchedRequests;
  let slug: string;
  let journalist: LiveClient;
  /** Frames from the server to the page that a test holds back, to make the page's view stale. */
  let dropFromServer: (frame: string) => boolean = () => false;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    if (!existsSync(CONSOLE_INDEX)) {
      throw new Error(`${CONSOLE_INDEX} is missing: build the console first (cd apps/console && npx ng build console)`);
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([
      startServer({ WEB_DIR, QUESTION_RATE_LIMIT: '50', MEDIASOUP_WORKERS: '1' }),
      launchChromium(),
    ]);
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    watched = watchRequests(context);
    // The page's /live connection passes through the test, which can hold back chosen frames.
    await context.routeWebSocket(/\/socket\.io\//, (socket) => {
      const toServer = socket.connectToServer();
      socket.onMessage((frame) => toServer.send(frame));
      toServer.onMessage((frame) => {
        if (typeof frame === 'string' && dropFromServer(frame)) return;
        socket.send(frame);
      });
    });
    page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
  }, 30_000);

  afterAll(async () => {
    if (watched?.console.length) console.log(`browser console:\n${watched.console.join('\n')}`);
    for (const client of clients) client.close();
    await browser?.close();
    await server?.close();
  });

  const region = (name: string) => page.getByRole('region', { name });
  const item = (within: Locator, text: string) => within.getByRole('listitem').filter({ hasText: text });
  const screenshot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `console-${name}.png`) });

  async function connect(token: string): Promise<LiveClient> {
    const client = await LiveClient.connect(server.url, token);
    clients.push(client);
    return client;
  }

  /** A second moderator account, signed in: a colleague running the same event. */
  async function colleagueApi(): Promise<Api> {
    const colleague = { email: 'colleague@example.org', password: 'another long password' };
    await (await Api.asModerator(server.url)).expectOk('POST', '/api/moderators', colleague);
    const { accessToken } = await new Api(server.url).expectOk<{ accessToken: string }>(
      'POST',
      '/api/auth/login',
      colleague,
    );
    return new Api(server.url, accessToken);
  }

  async function ask(text: string): Promise<QuestionView> {
    const reply = await journalist.send('question:ask', { text });
    if (!reply.ok) throw new Error(`asking failed: ${reply.error.message}`);
    return reply.question;
  }

  /** Texts of the approved queue, top to bottom. */
  async function queueTexts(): Promise<string[]> {
    return region('Approved queue').locator('li p').allInnerTexts();
  }

  it('signs in and creates an event, landing in its control room', async () => {
    await page.goto(`${server.url}/console/`);
    await page.waitForURL(/\/console\/sign-in/);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The email or the password is not right' }).waitFor();
    await screenshot('sign-in');
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Events' }).waitFor();

    await page.getByRole('link', { name: 'New event' }).click();
    await page.getByLabel('Title').fill('Budget briefing');
    await page.getByLabel('Description').fill('The minister presents the budget; questions from the press.');
    await page.getByLabel('Retention (hours after the end)').fill('2');
    await screenshot('new-event');
    await page.getByRole('button', { name: 'Create event' }).click();

    await page.waitForURL(/\/console\/events\/budget-briefing-[0-9a-f]+$/);
    slug = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByRole('heading', { name: 'Budget briefing' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Viewer link' }).inputValue()).toBe(`${server.url}/${slug}`);
    const details = await (
      await Api.asModerator(server.url)
    ).expectOk<{ retentionHours: number; status: string }>('GET', `/api/events/${slug}/details`);
    expect(details).toMatchObject({ retentionHours: 2, status: 'scheduled' });

    const joined = await new Api(server.url).join(slug, { name: 'Ana García', outlet: 'El País' });
    journalist = await connect(joined.accessToken);
  }, 30_000);

  it('shows a journalist’s question as it is asked; approving queues it and putting it on air reaches the audience', async () => {
    const question = await ask('Will the budget include the new rail line?');
    const pending = item(region('Pending questions'), question.text);
    await pending.waitFor();
    expect(await pending.innerText()).toContain('El País');
    expect(await page.getByTestId('counter-pending').innerText()).toBe('1');

    const approved = journalist.next('question:approved', (q) => q.id === question.id);
    await pending.getByRole('button', { name: 'Approve' }).click();
    const queued = item(region('Approved queue'), question.text);
    await queued.waitFor();
    await approved;
    await pending.waitFor({ state: 'detached' });

    const onAir = journalist.next('question:updated', (q) => q.id === question.id && q.onAir);
    await queued.getByRole('button', { name: 'Put on air' }).click();
    await onAir;
    await region('On air').getByText(question.text).waitFor();
    await queued.getByText('On air', { exact: true }).waitFor();
  });

  it('edits a typo in a pending question before approving it', async () => {
    const question = await ask('How much goes to hospitlas?');
    const pending = item(region('Pending questions'), question.text);
    await pending.getByRole('button', { name: 'Edit' }).click();
    // While edited, the text is in a field: the item is found by the field.
    await region('Pending questions').getByLabel('Question text').fill('How much goes to hospitals?');
    await region('Pending questions').getByRole('button', { name: 'Save' }).click();
    const approved = journalist.next('question:approved', (q) => q.id === question.id);
    const fixed = item(region('Pending questions'), 'How much goes to hospitals?');
    await fixed.getByRole('button', { name: 'Approve' }).click();
    expect((await approved).text).toBe('How much goes to hospitals?');
    expect(await queueTexts()).toEqual(['Will the budget include the new rail line?', 'How much goes to hospitals?']);
  });

  it('reorders the approved queue by drag and drop', async () => {
    const reordered = journalist.next('question:reordered');
    const handles = region('Approved queue').getByTestId('drag-handle');
    const from = (await handles.nth(1).boundingBox())!;
    const to = (await region('Approved queue').getByRole('listitem').first().boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2, from.y - 10, { steps: 5 });
    await page.mouse.move(from.x + from.width / 2, to.y + 5, { steps: 10 });
    await page.mouse.up();

    const { questionIds } = await reordered;
    expect(await queueTexts()).toEqual(['How much goes to hospitals?', 'Will the budget include the new rail line?']);
    const moderator = await connect((await (await Api.asModerator(server.url)).join(slug)).accessToken);
    const order = moderator.state.questions.filter((q) => q.status === 'approved').map((q) => q.id);
    expect(order).toEqual(questionIds);
    expect(questionIds).toHaveLength(2);
  });

  it('takes a raised hand in order: acknowledge, then dismiss', async () => {
    await journalist.send('hand:raise', { topic: 'Follow-up on rail' });
    const hand = item(region('Raised hands'), 'Ana García');
    await hand.waitFor();
    expect(await hand.innerText()).toContain('Follow-up on rail');
    expect(await page.getByTestId('counter-hands').innerText()).toBe('1');

    const acknowledged = journalist.next('hand:status', ({ hand: h }) => h?.status === 'acknowledged');
    await hand.getByRole('button', { name: 'Acknowledge' }).click();
    await acknowledged;
    await hand.getByText('Has the floor').waitFor();

    const dismissed = journalist.next('hand:status', ({ hand: h }) => h === null);
    await hand.getByRole('button', { name: 'Dismiss' }).click();
    await dismissed;
    await hand.waitFor({ state: 'detached' });
  });

  it('moderates the chat: a message shows live, its author can be muted', async () => {
    const sent = await journalist.send('chat:send', { text: 'Good morning from Madrid' });
    expect(sent.ok).toBe(true);
    const message = item(page.getByRole('list', { name: 'Chat messages' }), 'Good morning from Madrid');
    await message.waitFor();
    const muted = journalist.next('user:status', ({ muted: m }) => m);
    await message.getByRole('button', { name: 'Mute' }).click();
    await muted;
    await message.getByText('Muted', { exact: true }).waitFor();
    expect(await journalist.send('chat:send', { text: 'Hello?' })).toMatchObject({
      ok: false,
      error: { code: 'muted' },
    });
    await screenshot('control-room');
  });

  it('shows who another moderator mutes or bans as it happens, and keeps all of it across a reload', async () => {
    const ben = await new Api(server.url).join(slug, { name: 'Ben Okafor', outlet: 'The Herald' });
    const benSocket = await connect(ben.accessToken);
    expect((await benSocket.send('chat:send', { text: 'Any news on the rail line?' })).ok).toBe(true);
    const chat = page.getByRole('list', { name: 'Chat messages' });
    const bensMessage = item(chat, 'Any news on the rail line?');
    await bensMessage.waitFor();

    const colleague = await connect((await (await colleagueApi()).join(slug)).accessToken);
    expect(await colleague.send('user:mute', { participantId: ben.participantId, muted: true })).toEqual({ ok: true });
    await bensMessage.getByText('Muted', { exact: true }).waitFor();

    await page.reload();
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    // Ana was muted from this page before the reload, Ben by the other moderator.
    await item(chat, 'Good morning from Madrid').getByText('Muted', { exact: true }).waitFor();
    await bensMessage.getByText('Muted', { exact: true }).waitFor();
    await page.locator('summary').filter({ hasText: 'Muted and banned' }).click();
    const restricted = page.getByRole('list', { name: 'Muted and banned people' });
    expect(await restricted.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringContaining('Ana García'),
      expect.stringContaining('Ben Okafor'),
    ]);
    await screenshot('restrictions');

    const unmuted = colleague.next('user:restriction', (r) => r.participantId === ben.participantId && !r.muted);
    await restricted.getByRole('button', { name: 'Unmute Ben Okafor' }).click();
    await unmuted;
    await bensMessage.getByText('Muted', { exact: true }).waitFor({ state: 'detached' });
    expect((await benSocket.send('chat:send', { text: 'Thanks for unmuting me' })).ok).toBe(true);

    expect(await colleague.send('user:ban', { participantId: ben.participantId })).toEqual({ ok: true });
    await bensMessage.getByText('Banned', { exact: true }).waitFor();
    await item(restricted, 'Ben Okafor').getByText('Banned', { exact: true }).waitFor();
  });

  it('rolls an action back with a message when the server refuses it', async () => {
    const question = await ask('Off-topic: what about the football?');
    const pending = item(region('Pending questions'), question.text);
    await pending.waitFor();
    // Another moderator rejects it, and this page does not hear of it: its view is stale.
    dropFromServer = (frame) => frame.includes('"question:removed"') && frame.includes(question.id);
    const otherModerator = await connect((await (await Api.asModerator(server.url)).join(slug)).accessToken);
    const removed = otherModerator.next('question:removed', ({ id }) => id === question.id);
    expect(await otherModerator.send('question:reject', { questionId: question.id })).toEqual({ ok: true });
    await removed;

    await pending.getByRole('button', { name: 'Approve' }).click();
    const message = page.getByRole('alert').filter({ hasText: 'Could not approve the question' });
    await message.waitFor();
    expect(await message.innerText()).toContain('This question is rejected. The change was undone.');
    // Back where it was: pending, not in the queue.
    await pending.waitFor();
    expect(await queueTexts()).not.toContain(question.text);
    await screenshot('refusal');
    await message.getByRole('button', { name: 'Dismiss' }).click();
    await message.waitFor({ state: 'detached' });
    dropFromServer = () => false;
  });

  it('starts the broadcast with a live preview, exports the transcript, and ends the event', async () => {
    await page.getByRole('button', { name: 'Start broadcast' }).click();
    await page.locator('pr-event-status-badge').getByText('Live').waitFor();
    await page.locator('pr-hls-player[data-state="playing"]').waitFor({ timeout: 25_000 });
    await videoPlays(page.getByLabel('Broadcast preview'), 'the preview');
    await screenshot('broadcast');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export transcript as Markdown' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`${slug}-transcript.md`);
    const transcript = readFileSync((await file.path())!, 'utf8');
    expect(transcript).toContain('How much goes to hospitals?');

    await page.getByRole('button', { name: 'End broadcast' }).click();
    await page.getByRole('button', { name: 'End the event' }).click();
    await page.locator('pr-event-status-badge').getByText('Ended').waitFor();
  }, 45_000);

  it('offers the recording once it is made; its plain link downloads the MP4', async () => {
    const link = region('Broadcast').getByRole('link', { name: 'Download recording (MP4)' });
    await link.waitFor({ timeout: 60_000 });
    expect(await region('Broadcast').innerText()).toMatch(/[\d.]+ (bytes|kB|MB) · (\d+ min )?\d+ s/);
    await screenshot('recording');

    const download = page.waitForEvent('download');
    await link.click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`${slug}-recording.mp4`);
    const mp4 = readFileSync((await file.path())!);
    expect(mp4.length).toBeGreaterThan(0);
    // An MP4 starts with its file type box.
    expect(mp4.toString('latin1', 4, 8)).toBe('ftyp');
  }, 75_000);

  it('fits a phone screen (375 px) without sideways scrolling', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.getByRole('heading', { name: 'Budget briefing' }).waitFor();
    expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot('phone');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('lists the event, and signs out', async () => {
    await page.getByRole('link', { name: 'All events' }).click();
    await page.getByRole('link', { name: 'Budget briefing' }).first().waitFor();
    await screenshot('events');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/console\/sign-in/);
    const stored = await page.evaluate(
      () => (globalThis as unknown as { sessionStorage: { length: number } }).sessionStorage.length,
    );
    expect(stored).toBe(0);
  });

  it('no page made a request beyond 127.0.0.1', () => {
    expect(watched.count).toBeGreaterThan(0);
    expect(watched.offsite).toEqual([]);
  });
});
