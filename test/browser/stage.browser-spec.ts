import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN, freePort, startServer, type TestServer } from '../e2e/harness/server';
import { axeViolations } from './harness/axe';
import { eventually, launchChromium, videoPlays, watchRequests, type WatchedRequests } from './harness/browser';

const ROOT = resolve(__dirname, '..', '..');
const WEB_DIR = join(ROOT, 'dist');
const SCREENSHOTS = join(ROOT, 'reports', 'screenshots');
const TITLE = 'Stage briefing';
/** The journalist's own label on the studio's tile, as the speaker's studio names it. */
const GUEST_TILE = /^Ana García, El País, guest/;

type Person = 'moderator' | 'speaker' | 'journalist' | 'viewer';

/**
 * The journalist on stage, as the four people live it on the production builds: the moderator invites a
 * raised hand, the journalist checks microphone and camera on the event page (a phone) and accepts, the
 * speaker sees and hears them in the studio, the moderator mutes them and ends the turn, and the
 * journalist's page plays the broadcast again. Also a declined invitation, and a guest leaving by
 * themselves. The viewer, never invited, never downloads the stage's code.
 */
describe('the journalist on stage, in four browsers', () => {
  let server: TestServer;
  let browser: Browser;
  const pages = {} as Record<Person, Page>;
  const watched: Array<{ person: Person; requests: WatchedRequests }> = [];
  /** Every URL each person's browser asked for. */
  const fetched = {} as Record<Person, string[]>;
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
      const context: BrowserContext = await browser.newContext({ viewport });
      watched.push({ person, requests: watchRequests(context) });
      fetched[person] = [];
      context.on('request', (request) => fetched[person].push(request.url()));
      pages[person] = await context.newPage();
      pages[person].setDefaultTimeout(20_000);
      return context;
    };
    const moderatorContext = await open('moderator', { width: 1440, height: 900 });
    await moderatorContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await open('speaker', { width: 1280, height: 800 });
    await open('journalist', { width: 390, height: 844 });
    await open('viewer', { width: 1280, height: 800 });
  }, 60_000);

  afterAll(async () => {
    for (const { person, requests } of watched)
      if (requests.console.length) console.log(`${person}'s browser console:\n${requests.console.join('\n')}`);
    await browser?.close();
    await server?.close();
  });

  async function screenshots(name: string, people: Person[] = ['moderator', 'speaker', 'journalist']) {
    step++;
    const prefix = `stage-${String(step).padStart(2, '0')}-${name}`;
    await Promise.all(
      people
        .filter((person) => pages[person].url().startsWith(server.url))
        .map((person) => pages[person].screenshot({ path: join(SCREENSHOTS, `${prefix}-${person}.png`) })),
    );
  }

  const stagePanel = () => pages.moderator.locator('pr-stage-panel');
  const hand = () => pages.moderator.getByRole('listitem', { name: 'Hand of Ana García' });
  const stageCode = (person: Person) => fetched[person].filter((url) => /\/assets\/studio-guest-/.test(url));
  const invitation = () => pages.journalist.getByRole('dialog', { name: 'You are invited on stage' });

  /** The journalist raises a hand; the moderator invites it; the dialog opens with the meter moving. */
  async function raiseAndInvite(): Promise<void> {
    const { journalist } = pages;
    await journalist.getByRole('button', { name: 'Raise hand' }).click();
    await hand().getByRole('button', { name: 'Invite on stage: Ana García' }).click({ timeout: 30_000 });
    await invitation().waitFor();
    await eventually(
      () => journalist.locator('#stage-level').getAttribute('aria-valuenow'),
      (value) => (Number(value) > 10 ? value : undefined),
      { timeoutMs: 20_000, what: 'the microphone level meter moving' },
    );
    await invitation().getByRole('button', { name: 'Accept' }).waitFor();
    expect(await invitation().getByRole('button', { name: 'Accept' }).isEnabled()).toBe(true);
  }

  /** The journalist's page plays the broadcast again, at the live edge, and shows no studio. */
  async function broadcastAgain(): Promise<void> {
    const { journalist } = pages;
    await journalist.locator('#on-stage').waitFor({ state: 'hidden' });
    await videoPlays(journalist.locator('#video'), 'the broadcast on the journalist page after the stage', {
      startTimeoutMs: 40_000,
      advanceTimeoutMs: 20_000,
    });
    expect(await journalist.locator('#studio-peers li').count()).toBe(0);
  }

  it('a speaker is in the studio, the broadcast is live, the journalist and a viewer watch it', async () => {
    const { moderator, speaker, journalist, viewer } = pages;
    await moderator.goto(`${server.url}/console/`);
    await moderator.getByLabel('Email').fill(ADMIN.email);
    await moderator.getByLabel('Password').fill(ADMIN.password);
    await moderator.getByRole('button', { name: 'Sign in' }).click();
    await moderator.getByRole('link', { name: 'New event' }).click();
    await moderator.getByLabel('Title').fill(TITLE);
    await moderator.getByRole('button', { name: 'Create event' }).click();
    await moderator.waitForURL(/\/console\/events\/stage-briefing-[0-9a-f]+$/);
    slug = new URL(moderator.url()).pathname.split('/').pop()!;
    await moderator.getByRole('status').filter({ hasText: 'Connected' }).waitFor();

    await moderator.getByLabel('Speaker name').fill('Minister Ruiz');
    await moderator.getByRole('button', { name: 'Invite', exact: true }).click();
    await moderator.getByRole('button', { name: 'Copy link for Minister Ruiz' }).click();
    const inviteUrl = await moderator.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText(),
    );
    await speaker.goto(inviteUrl);
    await speaker.getByRole('heading', { name: 'Get ready to speak' }).waitFor();
    await speaker.getByText('We can hear you.').waitFor({ timeout: 30_000 });
    await speaker.getByRole('button', { name: 'Join the studio', exact: true }).click();
    await speaker.getByRole('button', { name: 'Mute microphone', exact: true }).waitFor({ timeout: 30_000 });

    await moderator.getByRole('button', { name: 'Start broadcast' }).click();
    await moderator.locator('pr-event-status-badge').getByText('Live').waitFor({ timeout: 30_000 });

    for (const audience of [journalist, viewer]) {
      await audience.goto(`${server.url}/${slug}`);
      await audience.getByRole('heading', { level: 1, name: TITLE }).waitFor();
      await videoPlays(audience.locator('#video'), 'the broadcast', { startTimeoutMs: 40_000 });
    }
    await journalist.getByLabel('Name').fill('Ana García');
    await journalist.getByLabel(/Outlet/).fill('El País');
    await journalist.getByRole('button', { name: 'Join the conversation' }).click();
    await journalist.getByText('You take part as Ana García, El País (journalist).').waitFor();
    await stagePanel().getByText('Nobody on stage').waitFor();
    // The page before any invitation: no WebRTC code fetched, nor named for preloading.
    expect(stageCode('journalist')).toEqual([]);
    expect(await journalist.locator('link[rel="modulepreload"][href*="studio-guest"]').count()).toBe(0);
  }, 180_000);

  it('an invitation declined: the moderator is told, the journalist keeps watching the broadcast', async () => {
    const { moderator, journalist } = pages;
    await raiseAndInvite();
    // Only now does the page fetch the stage's code.
    expect(stageCode('journalist')).toHaveLength(1);
    await stagePanel().getByRole('listitem', { name: 'Invited: Ana García' }).waitFor();
    expect(await stagePanel().locator('.invitation .left').innerText()).toMatch(/^0:[0-5]\d$|^1:00$/);
    await screenshots('invited');

    await invitation().getByRole('button', { name: 'Decline' }).click();
    await invitation().waitFor({ state: 'hidden' });
    await moderator.getByText('Ana García declined to go on stage.').waitFor();
    await stagePanel().getByText('Nobody on stage').waitFor();
    await videoPlays(journalist.locator('#video'), 'the broadcast after declining');
    await screenshots('declined', ['moderator', 'journalist']);
  }, 90_000);

  it('invite → device check with the camera → accept: the speaker sees and hears the guest, the guest the studio', async () => {
    const { speaker, journalist } = pages;
    // The hand is still up after the decline: the moderator invites it again.
    await hand().getByRole('button', { name: 'Invite on stage: Ana García' }).click();
    await invitation().waitFor();
    await invitation().getByRole('button', { name: 'Accept' }).waitFor();
    await eventually(
      () => invitation().getByRole('button', { name: 'Accept' }).isEnabled(),
      (enabled) => (enabled ? true : undefined),
      { timeoutMs: 20_000, what: 'the microphone opened' },
    );
    await invitation().getByLabel('Come on camera').check();
    await videoPlays(journalist.locator('#stage-preview'), 'the camera preview in the invitation');
    expect(await invitation().innerText()).toContain('Wear headphones');
    await screenshots('device-check', ['journalist']);
    expect(await axeViolations(journalist)).toEqual([]);

    await invitation().getByRole('button', { name: 'Accept' }).click();
    await invitation().waitFor({ state: 'hidden' });
    await journalist.locator('#on-stage').waitFor();
    expect(await journalist.locator('.screen').isHidden()).toBe(true);
    await journalist
      .locator('#on-stage-status', { hasText: 'You are on stage: the studio hears you.' })
      .waitFor({ timeout: 30_000 });

    // The speaker's studio shows the guest with the badge, and plays their camera and voice.
    const guestTile = speaker.getByRole('figure', { name: GUEST_TILE });
    await guestTile.waitFor({ timeout: 30_000 });
    expect(await guestTile.locator('figcaption').innerText()).toMatch(/Ana García\s*El País\s*Guest/i);
    await videoPlays(guestTile.locator('video'), "the guest's camera in the speaker's studio", {
      startTimeoutMs: 30_000,
    });
    await guestTile.locator('audio').waitFor({ state: 'attached' });

    // The journalist sees and hears the studio over WebRTC instead of the broadcast.
    const ruiz = journalist.locator('#studio-peers li', { hasText: 'Minister Ruiz' });
    await videoPlays(ruiz.locator('video'), "the speaker's camera on the guest's page", { startTimeoutMs: 30_000 });
    await ruiz.locator('audio').waitFor({ state: 'attached' });
    expect(await journalist.locator('#video').evaluate((video: { paused: boolean }) => video.paused)).toBe(true);

    const guestRow = stagePanel().getByRole('listitem', { name: 'On stage: Ana García' });
    const since = await guestRow.locator('.since').innerText();
    await eventually(
      () => guestRow.locator('.since').innerText(),
      (now) => (now !== since ? now : undefined),
      { timeoutMs: 5_000, what: 'the time on stage counting up' },
    );
    await screenshots('on-stage');
    expect(await axeViolations(journalist)).toEqual([]);
    expect(await axeViolations(pages.moderator)).toEqual([]);
  }, 150_000);

  it('the moderator mutes the guest, then ends the turn: the page plays the broadcast again', async () => {
    const { speaker, journalist } = pages;
    await stagePanel().getByRole('button', { name: 'Mute Ana García' }).click();
    await journalist.locator('#on-stage-status', { hasText: 'A moderator muted your microphone.' }).waitFor();
    await stagePanel().getByRole('listitem', { name: 'On stage: Ana García' }).getByText('Muted').waitFor();
    await speaker.getByRole('figure', { name: /Ana García, El País, guest, microphone muted/ }).waitFor();
    await screenshots('muted');

    await stagePanel().getByRole('button', { name: 'End turn of Ana García' }).click();
    await speaker.getByRole('figure', { name: GUEST_TILE }).waitFor({ state: 'detached', timeout: 30_000 });
    await broadcastAgain();
    await stagePanel().getByText('Nobody on stage').waitFor();
    await screenshots('turn-ended');
  }, 120_000);

  it('a guest on audio only reloads the page, stays on stage, and leaves the stage by themselves', async () => {
    const { speaker, journalist } = pages;
    await raiseAndInvite();
    await invitation().getByRole('button', { name: 'Accept' }).click();
    await journalist
      .locator('#on-stage-status', { hasText: 'You are on stage: the studio hears you.' })
      .waitFor({ timeout: 30_000 });
    const guestTile = speaker.getByRole('figure', { name: GUEST_TILE });
    await guestTile.locator('.initials').waitFor({ timeout: 30_000 });
    expect(await guestTile.locator('video').count()).toBe(0);
    await screenshots('audio-only');

    // A reload while on stage: the page comes back on stage with the microphone, without a new invitation.
    await journalist.reload();
    await journalist
      .locator('#on-stage-status', { hasText: 'You are on stage: the studio hears you.' })
      .waitFor({ timeout: 40_000 });
    await guestTile.locator('audio').waitFor({ state: 'attached', timeout: 30_000 });
    expect(await invitation().isHidden()).toBe(true);

    await journalist.getByRole('button', { name: 'Leave the stage' }).click();
    await guestTile.waitFor({ state: 'detached', timeout: 30_000 });
    await broadcastAgain();
    await stagePanel().getByText('Nobody on stage').waitFor();
  }, 120_000);

  it('the viewer never fetched the stage code; no page made a request beyond 127.0.0.1', () => {
    expect(fetched.viewer.some((url) => url.includes('/assets/main-'))).toBe(true);
    expect(stageCode('viewer')).toEqual([]);
    for (const { requests } of watched) expect(requests.count).toBeGreaterThan(0);
    expect(watched.flatMap(({ person, requests }) => requests.offsite.map((url) => `${person}: ${url}`))).toEqual([]);
  });
});
