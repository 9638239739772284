import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ADMIN, freePort, startServer, type TestServer } from '../e2e/harness/server';
import { launchChromium, videoPlays, watchRequests, type WatchedRequests } from './harness/browser';

const ROOT = resolve(__dirname, '..', '..');
const WEB_DIR = join(ROOT, 'dist');
const SCREENSHOTS = join(ROOT, 'reports', 'screenshots');
const TITLE = 'Budget 2027 press conference';
const PASSWORD = 'press-2027';
const QUESTION = 'Will the budget fund the new rail line to the north?';

type Person = 'moderator' | 'speaker' | 'journalist' | 'viewer';

/**
 * The whole press conference as its four people live it, each in their own Chromium context on the
 * production builds the API serves: the moderator (console), a speaker (studio, fake camera and
 * microphone), a journalist and a viewer (the event page).
 */
describe('a press conference in four browsers: moderator, speaker, journalist, viewer', () => {
  let server: TestServer;
  let browser: Browser;
  const pages = {} as Record<Person, Page>;
  const watched: Array<{ person: Person; requests: WatchedRequests }> = [];
  let slug: string;
  let step = 0;

  beforeAll(async () => {
    for (const app of ['viewer', 'console', 'studio']) {
      const index = join(WEB_DIR, app, 'index.html');
      if (!existsSync(index)) throw new Error(`${index} is missing: run "npm run build:web" first`);
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    const port = await freePort();
    [server, browser] = await Promise.all([
      startServer({ WEB_DIR, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, MEDIASOUP_WORKERS: '1' }),
      launchChromium(),
    ]);
    const open = async (person: Person, viewport: { width: number; height: number }) => {
      const context: BrowserContext = await browser.newContext({ viewport, acceptDownloads: true });
      watched.push({ person, requests: watchRequests(context) });
      pages[person] = await context.newPage();
      pages[person].setDefaultTimeout(15_000);
      return context;
    };
    const moderatorContext = await open('moderator', { width: 1440, height: 900 });
    await moderatorContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await open('speaker', { width: 1280, height: 800 });
    await open('journalist', { width: 390, height: 844 });
    await open('viewer', { width: 1280, height: 800 });
  }, 30_000);

  afterAll(async () => {
    for (const { person, requests } of watched)
      if (requests.console.length) console.log(`${person}'s browser console:\n${requests.console.join('\n')}`);
    await browser?.close();
    await server?.close();
  });

  /** A screenshot of every page, named by the step of the story. */
  async function screenshots(name: string): Promise<void> {
    step++;
    const prefix = `press-conference-${String(step).padStart(2, '0')}-${name}`;
    await Promise.all(
      (Object.keys(pages) as Person[])
        .filter((person) => pages[person].url().startsWith(server.url))
        .map((person) => pages[person].screenshot({ path: join(SCREENSHOTS, `${prefix}-${person}.png`) })),
    );
  }

  const region = (page: Page, name: string) => page.getByRole('region', { name });
  const listItem = (within: Locator, text: string) => within.getByRole('listitem').filter({ hasText: text });

  it('the moderator signs in to the console and creates a password-protected event', async () => {
    const { moderator } = pages;
    await moderator.goto(`${server.url}/console/`);
    await moderator.getByLabel('Email').fill(ADMIN.email);
    await moderator.getByLabel('Password').fill(ADMIN.password);
    await moderator.getByRole('button', { name: 'Sign in' }).click();
    await moderator.getByRole('link', { name: 'New event' }).click();
    await moderator.getByLabel('Title').fill(TITLE);
    await moderator.getByLabel('Description').fill('The finance minister presents the 2027 budget.');
    await moderator.getByLabel(/Audience password/).fill(PASSWORD);
    await moderator.getByRole('button', { name: 'Create event' }).click();
    await moderator.waitForURL(/\/console\/events\/budget-2027-press-conference-[0-9a-f]+$/);
    slug = new URL(moderator.url()).pathname.split('/').pop()!;
    await moderator.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    await screenshots('event-created');
  }, 30_000);

  it('invites a speaker, who opens the link, checks camera and microphone, joins and publishes', async () => {
    const { moderator, speaker } = pages;
    await moderator.getByLabel('Speaker name').fill('Minister Ruiz');
    await moderator.getByRole('button', { name: 'Invite', exact: true }).click();
    await moderator.getByRole('button', { name: 'Copy link for Minister Ruiz' }).click();
    const inviteUrl = await moderator.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText(),
    );
    expect(inviteUrl).toMatch(new RegExp(`^${server.url}/studio/${slug}\\?invite=`));

    await speaker.goto(inviteUrl);
    await speaker.getByRole('heading', { name: 'Get ready to speak' }).waitFor();
    await videoPlays(speaker.getByLabel('Your camera preview'), 'the camera preview', { startTimeoutMs: 25_000 });
    await speaker.getByText('We can hear you.').waitFor();
    await screenshots('speaker-device-check');
    await speaker.getByRole('button', { name: 'Join the studio', exact: true }).click();
    await speaker.getByRole('button', { name: 'Mute microphone', exact: true }).waitFor();
    await speaker.getByRole('figure', { name: 'You' }).locator('video').waitFor();
  }, 40_000);

  it('the moderator starts the broadcast; the viewer enters the password and watches it', async () => {
    const { moderator, viewer } = pages;
    await moderator.getByRole('button', { name: 'Start broadcast' }).click();
    await moderator.locator('pr-event-status-badge').getByText('Live').waitFor();

    await viewer.goto(`${server.url}/${slug}`);
    await viewer.getByRole('heading', { name: 'This event needs a password' }).waitFor();
    await viewer.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await viewer.getByRole('button', { name: 'Enter' }).click();
    await viewer.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await viewer.locator('#event-status', { hasText: 'Live' }).waitFor();
    await videoPlays(viewer.locator('video'), 'the broadcast on the viewer page', { startTimeoutMs: 25_000 });
    await videoPlays(moderator.getByLabel('Broadcast preview'), 'the console preview', { startTimeoutMs: 25_000 });
    await screenshots('live');
  }, 60_000);

  it('the journalist asks; the moderator approves and puts it on air; the speaker and the viewer see it', async () => {
    const { moderator, speaker, journalist, viewer } = pages;
    await journalist.goto(`${server.url}/${slug}`);
    await journalist.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await journalist.getByRole('button', { name: 'Enter' }).click();
    await journalist.getByLabel('Name').fill('Ana García');
    await journalist.getByLabel(/Outlet/).fill('El País');
    await journalist.getByRole('button', { name: 'Join the conversation' }).click();
    await journalist.getByText('You take part as Ana García, El País (journalist).').waitFor();
    await journalist.getByLabel('Your question').fill(QUESTION);
    await journalist.getByRole('button', { name: 'Ask' }).click();

    const pending = listItem(region(moderator, 'Pending questions'), QUESTION);
    await pending.waitFor();
    expect(await pending.innerText()).toContain('El País');
    await screenshots('question-asked');
    await pending.getByRole('button', { name: 'Approve' }).click();
    const queued = listItem(region(moderator, 'Approved queue'), QUESTION);
    await queued.getByRole('button', { name: 'Put on air' }).click();

    const onAir = region(speaker, 'On air');
    await onAir.getByText(QUESTION).waitFor();
    await onAir.getByText('Ana García, El País').waitFor();
    await viewer.locator('#question-list li', { hasText: QUESTION }).waitFor();
    await journalist.locator('#question-list li', { hasText: QUESTION }).waitFor();
    await screenshots('question-on-air');
  }, 40_000);

  it('the journalist raises a hand and the moderator acknowledges it', async () => {
    const { moderator, journalist } = pages;
    await journalist.getByLabel(/Topic/).fill('Follow-up on rail funding');
    await journalist.getByRole('button', { name: 'Raise hand' }).click();
    const hand = listItem(region(moderator, 'Raised hands'), 'Ana García');
    await hand.getByText('Follow-up on rail funding').waitFor();
    await hand.getByRole('button', { name: 'Acknowledge' }).click();
    await journalist.locator('#hand-status', { hasText: 'A moderator has seen your hand' }).waitFor();
    await screenshots('hand-acknowledged');
  }, 30_000);

  it('the moderator ends the event and exports the transcript; every page says it has ended', async () => {
    const { moderator, speaker, journalist, viewer } = pages;
    await moderator.getByRole('button', { name: 'End broadcast' }).click();
    await moderator.getByRole('button', { name: 'End the event' }).click();
    await moderator.locator('pr-event-status-badge').getByText('Ended').waitFor();
    for (const audience of [journalist, viewer])
      await audience.locator('#event-status', { hasText: 'This event has ended' }).waitFor();
    await speaker.getByRole('heading', { name: 'This event has ended' }).waitFor();

    const download = moderator.waitForEvent('download');
    await moderator.getByRole('button', { name: 'Export transcript as Markdown' }).click();
    const transcript = readFileSync((await (await download).path())!, 'utf8');
    expect(transcript).toContain(TITLE);
    expect(transcript).toContain(QUESTION);
    expect(transcript).toContain('Ana García');
    await screenshots('ended');
  }, 40_000);

  it('no page made a request beyond 127.0.0.1', () => {
    for (const { requests } of watched) expect(requests.count).toBeGreaterThan(0);
    expect(watched.flatMap(({ person, requests }) => requests.offsite.map((url) => `${person}: ${url}`))).toEqual([]);
  });
});
