import type { UiLanguage } from '@pressroom/protocol';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { readConsoleMessages } from '../../libs/i18n/src/console-catalog';
import { Api } from '../e2e/harness/api';
import { LiveClient } from '../e2e/harness/live-client';
import { ADMIN, startServer, type TestServer } from '../e2e/harness/server';
import type { LayoutReport } from './fixtures/pseudo-locale-report';
import { launchChromium, watchRequests, type WatchedRequests } from './harness/browser';
import {
  addPseudoLocaleScript,
  bundlePseudoLocaleScript,
  checkLayout,
  layoutProblems,
  pseudoLocalize,
  settled,
} from './harness/pseudo-locale';

const ROOT = resolve(__dirname, '..', '..');
const WEB_DIR = join(ROOT, 'dist');
const SCREENSHOTS = join(ROOT, 'reports', 'screenshots', 'pseudo-locale');
const PHONE = { width: 375, height: 667 };
const SMALL_PHONE = { width: 320, height: 667 };
const UI_TIMEOUT_MS = 20_000;

const TITLE = 'Haushalt 2027: Pressekonferenz der Bundesministerin der Finanzen';
const PENDING_QUESTION = 'Ist die Finanzierung der Schnellfahrstrecke Hannover–Bielefeld gesichert?';
const consoleText = (language: UiLanguage, id: string): string => readConsoleMessages(language)[id]!;

/**
 * Issue 16: a translation longer than any of ours breaks no button on a phone. The pages are opened at
 * phone width (375×667) in German, the longest of the six languages, and then pseudo-localized in the
 * browser (and checked again at 320×667, but for the stage invitation, a dialog): every text node and
 * every attribute a person reads or hears (aria-label, placeholder, title, alt, a button's value) is
 * rewritten by libs/i18n/src/pseudo.ts — accented look-alikes, 30 % to 100 % longer, between `[` and `]`.
 * That DOM transform is the pseudo-locale: the event page's messages are compiled into its build per
 * language and the console's catalog is loaded before Angular starts, so a seventh, pseudo, locale would
 * need its own builds of both apps for a test; the transform tests the same layouts with the same text,
 * in one browser against the production builds.
 *
 * On what is visible, each screen must not scroll sideways, and no button, link, menu, field, tab, menu
 * item or label may have its text clipped, cut with an ellipsis, spilling out of its box, cut off by a
 * box around it, or reaching past the viewport; the failure names each one by its text and a selector.
 * The same checks pass with the real German and French strings. The language menus are the browser's own
 * selects: the list that opens is drawn by the browser outside the page, so what is checked is the closed
 * menu. Screenshots of the pseudo-localized screens: reports/screenshots/pseudo-locale/<screen>.png (the
 * first screen of three of them is in docs/screenshots/pseudo-locale-*.png).
 */
describe('pseudo-locale: no clipped or overflowing control at phone width', () => {
  let server: TestServer;
  let browser: Browser;
  let script: string;
  let slug: string;
  let inviteUrl: string;
  let moderatorLive: LiveClient;
  const contexts: BrowserContext[] = [];
  const watched: WatchedRequests[] = [];
  /** Every check made: screen → controls checked. */
  const checked = new Map<string, number>();
  const pages: Partial<Record<UiLanguage, Page>> = {};

  beforeAll(async () => {
    for (const app of ['viewer', 'console', 'studio']) {
      const index = join(WEB_DIR, app, 'index.html');
      if (!existsSync(index)) throw new Error(`${index} is missing: run "npm run build:web" first`);
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser, script] = await Promise.all([
      // One rendition: the player has a live broadcast to show, at the least cost.
      startServer({ WEB_DIR, MEDIASOUP_WORKERS: '1', HLS_LADDER: '360' }),
      launchChromium(),
      bundlePseudoLocaleScript(),
    ]);
    const moderator = await Api.asModerator(server.url);
    const event = await moderator.createEvent({
      title: TITLE,
      description: 'Die Ministerin stellt den Entwurf des Bundeshaushalts 2027 vor und beantwortet Fragen.',
      chatMode: 'post',
    });
    slug = event.slug;
    const invite = await moderator.inviteSpeaker(slug, 'Bundesministerin Dr. Katharina Schönfeld-Weißenberger');
    inviteUrl = `${server.url}/studio/${slug}?invite=${invite.inviteToken}`;

    // A conversation under way: approved questions and chat on the event page, a question waiting and a
    // raised hand in the control room.
    moderatorLive = await LiveClient.connect(server.url, (await moderator.join(slug)).accessToken);
    const access = await new Api(server.url).join(slug, {
      name: 'Ana García Fernández',
      outlet: 'Frankfurter Allgemeine Zeitung',
    });
    const journalist = await LiveClient.connect(server.url, access.accessToken);
    for (const text of [
      'Wann tritt die Senkung der Einkommensteuer in Kraft, und wer profitiert davon?',
      'Wie hoch ist die Neuverschuldung im kommenden Jahr?',
    ]) {
      const asked = (await journalist.send('question:ask', { text })) as { question: { id: string } };
      await moderatorLive.send('question:approve', { questionId: asked.question.id });
    }
    await journalist.send('question:ask', { text: PENDING_QUESTION });
    for (const text of ['Guten Morgen aus Berlin!', 'Gibt es später ein Transkript der Pressekonferenz?'])
      await journalist.send('chat:send', { text });
    await journalist.send('hand:raise', { topic: 'Schuldenbremse und Sondervermögen' });
    journalist.close();
    await moderator.expectOk('POST', `/api/events/${slug}/start`);
  }, 60_000);

  afterAll(async () => {
    const messages = watched.flatMap((w) => w.console);
    if (messages.length > 0) console.log(`browser console:\n${messages.join('\n')}`);
    const total = [...checked.values()].reduce((sum, count) => sum + count, 0);
    console.log(
      `pseudo-locale: ${checked.size} checks of ${total} controls:\n${[...checked].map(([s, n]) => `${s}: ${n}`).join('\n')}`,
    );
    moderatorLive?.close();
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  async function page(language: UiLanguage): Promise<Page> {
    const existing = pages[language];
    if (existing) return existing;
    const context = await browser.newContext({ viewport: PHONE, locale: language === 'de' ? 'de-DE' : 'fr-FR' });
    contexts.push(context);
    watched.push(watchRequests(context));
    await addPseudoLocaleScript(context, script);
    const opened = await context.newPage();
    opened.setDefaultTimeout(UI_TIMEOUT_MS);
    pages[language] = opened;
    return opened;
  }

  /** The layout checks on the page as it is: what is wrong, one line each, after the screen's name. */
  async function problemsOn(target: Page, screen: string): Promise<{ report: LayoutReport; problems: string[] }> {
    await settled(target);
    const report = await checkLayout(target);
    checked.set(screen, report.checked);
    return { report, problems: layoutProblems(report).map((problem) => `${screen}: ${problem}`) };
  }

  /**
   * The screen in its real language, then pseudo-localized (screenshot), and at 320 px when asked; fails
   * once, with every problem of the three.
   */
  async function expectFitsPseudoLocalized(
    target: Page,
    screen: string,
    { narrow = false, fullPage = true } = {},
  ): Promise<void> {
    const problems = (await problemsOn(target, `${screen} (de)`)).problems;
    const replaced = await pseudoLocalize(target);
    expect(replaced.texts).toBeGreaterThan(3);
    const pseudo = await problemsOn(target, `${screen} (pseudo)`);
    problems.push(...pseudo.problems);
    expect(pseudo.report.checked).toBeGreaterThan(2);
    await target.screenshot({ path: join(SCREENSHOTS, `${screen}.png`), fullPage });
    if (narrow) {
      await target.setViewportSize(SMALL_PHONE);
      problems.push(...(await problemsOn(target, `${screen} (pseudo, 320 px)`)).problems);
      await target.screenshot({ path: join(SCREENSHOTS, `${screen}-320.png`), fullPage: true });
      await target.setViewportSize(PHONE);
    }
    expect(problems).toEqual([]);
  }

  // The event page

  /** The live event as anyone opening the link sees it: player, join form, questions and chat. */
  async function openEventPage(target: Page): Promise<void> {
    await target.goto(`${server.url}/${slug}`);
    await target.locator('#watch').waitFor();
    await target.locator('#identity-form').waitFor();
    await target.locator('#question-list li').nth(1).waitFor();
    await target.locator('#chat-messages li').nth(1).waitFor();
    await target.locator('#event-status').filter({ hasText: /\S/ }).waitFor();
  }

  /** Joins as a journalist: the page remembers them. */
  async function joinAsJournalist(target: Page, name: string, outlet: string): Promise<void> {
    await target.locator('#identity-name').fill(name);
    await target.locator('#identity-outlet').fill(outlet);
    await target.locator('#identity-form button[type=submit]').click();
    await target.locator('#identity-known').waitFor();
  }

  /**
   * The journalist's page after a reload (the text as the page writes it, none pseudo-localized yet):
   * remembered, "Your data", raise hand, and a question of theirs waiting for approval.
   */
  async function openJoinedEventPage(target: Page): Promise<void> {
    await target.goto(`${server.url}/${slug}`);
    await target.locator('#identity-known').waitFor();
    await target.locator('#my-data').waitFor();
    await target.locator('#hand').waitFor();
    await target.locator('#question-list li').nth(1).waitFor();
    await target.locator('#ask-text').fill('Welche Investitionen in die Schiene sind für 2027 geplant?');
    await target.locator('#ask-form button[type=submit]').click();
    await target.locator('#my-question-list li').waitFor();
  }

  it('the live event page with the player, the join form, questions and chat (also at 320 px)', async () => {
    const german = await page('de');
    await openEventPage(german);
    expect(await german.getAttribute('html', 'lang')).toBe('de');
    // The quality menu lists the broadcast's rendition once the player has read the playlist.
    await german
      .locator('#quality option[value="360p"]')
      .waitFor({ state: 'attached', timeout: 15_000 })
      .catch(() => undefined);
    await expectFitsPseudoLocalized(german, 'event-page', { narrow: true });
  }, 60_000);

  it('the event page of a journalist who joined: their question waiting, raise hand, "Your data" (also at 320 px)', async () => {
    const german = await page('de');
    await openEventPage(german);
    await joinAsJournalist(german, 'Jana Müller-Lüdenscheidt', 'Westdeutsche Allgemeine Zeitung');
    await openJoinedEventPage(german);
    await expectFitsPseudoLocalized(german, 'event-page-joined', { narrow: true });
  }, 60_000);

  it("the journalist's invitation on stage, with the microphone check", async () => {
    const german = await page('de');
    await openJoinedEventPage(german);
    await german.locator('#hand-toggle').click();
    const { hands } = await moderatorLive.next(
      'hand:queue',
      ({ hands: queue }) => queue.some((hand) => hand.name === 'Jana Müller-Lüdenscheidt'),
      { past: true, timeoutMs: 10_000 },
    );
    const hand = hands.find((each) => each.name === 'Jana Müller-Lüdenscheidt')!;
    await moderatorLive.send('stage:invite', { handId: hand.id });
    await german.locator('#stage-invite').waitFor();
    await german.locator('#stage-accept:not([disabled])').waitFor();
    // The dialog is centred in the viewport: a screenshot of the viewport shows it (a full page would not).
    await expectFitsPseudoLocalized(german, 'stage-invitation', { fullPage: false });
    await german.locator('#stage-decline').click();
    await german.locator('#stage-invite').waitFor({ state: 'hidden' });
  }, 60_000);

  // The console and the studio

  async function openSignIn(target: Page): Promise<void> {
    await target.goto(`${server.url}/console/`);
    await target.locator('pr-sign-in-page button[type=submit]').waitFor();
  }

  async function signIn(target: Page): Promise<void> {
    await target.locator('input[type=email]').fill(ADMIN.email);
    await target.locator('input[type=password]').fill(ADMIN.password);
    await target.locator('pr-sign-in-page button[type=submit]').click();
    await target.waitForURL(/\/console\/events/);
  }

  async function openEventsList(target: Page): Promise<void> {
    await target.goto(`${server.url}/console/events`);
    await target.getByRole('link', { name: TITLE }).first().waitFor();
  }

  async function openControlRoom(target: Page, language: UiLanguage): Promise<void> {
    await target.goto(`${server.url}/console/events/${slug}`);
    await target.getByText(PENDING_QUESTION).first().waitFor();
    await target.locator('pr-hands-panel').getByText('Ana García Fernández').first().waitFor();
    await target
      .getByRole('status')
      .filter({ hasText: consoleText(language, 'controlRoom.connected') })
      .waitFor();
  }

  async function openEventForm(target: Page): Promise<void> {
    await target.goto(`${server.url}/console/events/${slug}/edit`);
    await target.locator('pr-event-form button[type=submit]').waitFor();
    await target.locator('pr-event-form input').first().waitFor();
  }

  async function openDeviceCheck(target: Page, language: UiLanguage): Promise<void> {
    await target.goto(inviteUrl);
    await target.getByRole('button', { name: consoleText(language, 'deviceCheck.join'), exact: true }).waitFor();
  }

  it("the console's sign-in (also at 320 px)", async () => {
    const german = await page('de');
    await openSignIn(german);
    await expectFitsPseudoLocalized(german, 'console-sign-in', { narrow: true });
    await signIn(german);
  }, 40_000);

  it("the console's list of events (also at 320 px)", async () => {
    const german = await page('de');
    await openEventsList(german);
    await expectFitsPseudoLocalized(german, 'events-list', { narrow: true });
  }, 40_000);

  it('the control room of a live event with a question waiting and a raised hand (also at 320 px)', async () => {
    const german = await page('de');
    await openControlRoom(german, 'de');
    await expectFitsPseudoLocalized(german, 'control-room', { narrow: true });
  }, 40_000);

  it('the event form (also at 320 px)', async () => {
    const german = await page('de');
    await openEventForm(german);
    await expectFitsPseudoLocalized(german, 'event-form', { narrow: true });
  }, 40_000);

  it("the studio's device check (also at 320 px)", async () => {
    const german = await page('de');
    await openDeviceCheck(german, 'de');
    await expectFitsPseudoLocalized(german, 'studio-device-check', { narrow: true });
  }, 40_000);

  it('the same screens in French, the real strings: nothing clipped either', async () => {
    const french = await page('fr');
    const problems: string[] = [];
    const check = async (screen: string) => problems.push(...(await problemsOn(french, `${screen} (fr)`)).problems);
    await openEventPage(french);
    expect(await french.getAttribute('html', 'lang')).toBe('fr');
    await check('event-page');
    await joinAsJournalist(french, 'Élodie Dupont-Beaumarchais', 'Le Monde diplomatique');
    await openJoinedEventPage(french);
    await check('event-page-joined');
    await openSignIn(french);
    await check('console-sign-in');
    await signIn(french);
    await openEventsList(french);
    await check('events-list');
    await openControlRoom(french, 'fr');
    await check('control-room');
    await openEventForm(french);
    await check('event-form');
    await openDeviceCheck(french, 'fr');
    await check('studio-device-check');
    expect(problems).toEqual([]);
  }, 90_000);
});
