import type { SpeakerInviteView } from '@pressroom/protocol';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Api } from '../e2e/harness/api';
import { LiveClient } from '../e2e/harness/live-client';
import { ADMIN, startServer, type TestServer } from '../e2e/harness/server';
import { launchChromium } from './harness/browser';

const ROOT = resolve(__dirname, '..', '..');
const WEB_DIR = join(ROOT, 'dist');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** WCAG 2.1 A and AA, which include contrast, names of controls, labels of fields and landmarks. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** What axe-core finds on the page as it is now, worded for a failure message. */
async function violations(page: Page, tags = WCAG_TAGS): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async (tags) => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<unknown> } }).axe;
    const result = (await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: tags },
    })) as { violations: Violation[] };
    return result.violations;
  }, tags);
  return found.map(
    (violation) =>
      `${violation.impact}: ${violation.id} (${violation.help}) at ${violation.nodes
        .slice(0, 3)
        .map((node) => node.target.join(' '))
        .join(', ')}`,
  );
}

/**
 * The pages as people use them, checked by axe-core against WCAG 2.1 AA: contrast, names and labels,
 * structure. Each page is checked at the step where most of it is on screen.
 */
describe('accessibility: every page passes axe-core’s WCAG 2.1 AA checks', () => {
  let server: TestServer;
  let browser: Browser;
  let slug: string;
  let inviteUrl: string;
  let captionerUrl: string;

  beforeAll(async () => {
    for (const app of ['viewer', 'console', 'studio']) {
      const index = join(WEB_DIR, app, 'index.html');
      if (!existsSync(index)) throw new Error(`${index} is missing: run "npm run build:web" first`);
    }
    [server, browser] = await Promise.all([startServer({ WEB_DIR, MEDIASOUP_WORKERS: '1' }), launchChromium()]);
    const moderator = await Api.asModerator(server.url);
    const event = await moderator.createEvent({ title: 'Accessible briefing', chatMode: 'pre' });
    slug = event.slug;
    const invite = await moderator.inviteSpeaker(slug, 'Minister Ruiz');
    inviteUrl = `${server.url}/studio/${slug}?invite=${invite.inviteToken}`;
    // A captioner: their page, and the control room's crew panel and invite badges.
    const captioner = await moderator.expectOk<SpeakerInviteView>('POST', `/api/events/${slug}/speakers`, {
      name: 'Carla Captions',
      role: 'captioner',
      language: 'es',
    });
    captionerUrl = `${server.url}/studio/${slug}?invite=${captioner.inviteToken}`;
    const journalist = await new Api(server.url).join(slug, { name: 'Ana García', outlet: 'El País' });
    const client = await LiveClient.connect(server.url, journalist.accessToken);
    await client.send('question:ask', { text: 'Is the rail line funded?' });
    await client.send('chat:send', { text: 'Good morning' });
    await client.send('hand:raise', { topic: 'Rail' });
    client.close();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(url: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(url);
    return page;
  }

  it('the event page, on a phone, with a journalist taking part', async () => {
    const page = await open(`${server.url}/${slug}`, { width: 375, height: 800 });
    await page.getByLabel('Name').fill('Ana García');
    await page.getByLabel(/Outlet/).fill('El País');
    await page.getByRole('button', { name: 'Join the conversation' }).click();
    await page.getByLabel('Your question').waitFor();
    expect(await violations(page)).toEqual([]);
  }, 30_000);

  it('the event page, on a phone, with messages in its chat log and questions in its queue', async () => {
    const moderator = await Api.asModerator(server.url);
    const { slug: openSlug } = await moderator.createEvent({ title: 'Open chat briefing', chatMode: 'post' });
    const moderatorClient = await LiveClient.connect(server.url, (await moderator.join(openSlug)).accessToken);
    const journalist = await new Api(server.url).join(openSlug, { name: 'Ana García', outlet: 'El País' });
    const client = await LiveClient.connect(server.url, journalist.accessToken);
    await client.send('chat:send', { text: 'Good morning' });
    const asked = (await client.send('question:ask', { text: 'Is the rail line funded?' })) as {
      question: { id: string };
    };
    await moderatorClient.send('question:approve', { questionId: asked.question.id });
    client.close();
    moderatorClient.close();

    const page = await open(`${server.url}/${openSlug}`, { width: 375, height: 800 });
    await page.locator('#chat-log li', { hasText: 'Good morning' }).waitFor();
    await page.locator('#question-list li', { hasText: 'Is the rail line funded?' }).waitFor();
    expect(await violations(page)).toEqual([]);
    // Lighthouse also audits ARIA roles against the elements that carry them (an axe best practice).
    expect(await violations(page, ['best-practice'])).toEqual([]);
  }, 30_000);

  it('the console: sign-in, the events list and the control room', async () => {
    const page = await open(`${server.url}/console/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await violations(page)).toEqual([]);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Accessible briefing' }).first().waitFor();
    expect(await violations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Accessible briefing' }).first().click();
    await page.getByRole('region', { name: 'Pending questions' }).getByText('Is the rail line funded?').waitFor();
    expect(await violations(page)).toEqual([]);
  }, 30_000);

  it('the studio: the device check and the stage', async () => {
    const page = await open(inviteUrl);
    await page.getByRole('button', { name: 'Join the studio', exact: true }).waitFor();
    expect(await violations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Join the studio', exact: true }).click();
    await page.getByRole('button', { name: 'Mute microphone', exact: true }).waitFor();
    expect(await violations(page)).toEqual([]);
  }, 30_000);

  it("the captioner's page: the check, and the page with lines sent and one being typed", async () => {
    const page = await open(captionerUrl);
    await page.getByRole('button', { name: 'Join the studio', exact: true }).waitFor();
    expect(await violations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Join the studio', exact: true }).click();
    const box = page.getByLabel('Type what is said; Enter sends the line');
    await box.fill('Buenos días.');
    await box.press('Enter');
    await page.getByRole('list', { name: 'Lines sent' }).getByText('Buenos días.').waitFor();
    await box.fill('Empezamos');
    expect(await violations(page)).toEqual([]);
  }, 30_000);
});
