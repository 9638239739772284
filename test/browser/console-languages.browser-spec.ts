import { UI_LANGUAGE_COOKIE, UI_LANGUAGE_STORAGE_KEY, type UiLanguage } from '@pressroom/protocol';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { readConsoleMessages } from '../../libs/i18n/src/console-catalog';
import { Api } from '../e2e/harness/api';
import { LiveClient } from '../e2e/harness/live-client';
import { ADMIN, startServer, type TestServer } from '../e2e/harness/server';
import { axeViolations } from './harness/axe';
import { launchChromium } from './harness/browser';

const ROOT = resolve(__dirname, '..', '..');
const WEB_DIR = join(ROOT, 'dist');
const UI_TIMEOUT_MS = 15_000;

/** Where `fragment` occurs in `text` as whole words ("Invite" is not in "Inviter"), or -1. */
function wordIndex(text: string, fragment: string): number {
  const escaped = fragment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}])${escaped}(?![\\p{L}])`, 'u').exec(text)?.index ?? -1;
}

/**
 * The English texts of the console's and studio's catalog that the page must not show in another language:
 * each message's literal parts (between its placeholders) of 4 characters or more, leaving out those the
 * language itself writes ("Chat", "Live", "Email" in some; Spanish "Invite a una mano levantada").
 */
function englishFragments(language: UiLanguage): string[] {
  const english = readConsoleMessages('en');
  const theirs = Object.values(readConsoleMessages(language)).join('\n');
  const fragments = new Set<string>();
  for (const message of Object.values(english)) {
    for (const part of message.split(/\{\$[A-Za-z0-9_]+\}|\{VAR_[A-Z0-9_]+, (?:plural|select),|[{}]|=\d+|other/)) {
      const fragment = part.replace(/\s+/g, ' ').trim();
      if (fragment.length >= 4 && /[a-z]{3}/i.test(fragment) && wordIndex(theirs, fragment) < 0)
        fragments.add(fragment);
    }
  }
  return [...fragments];
}

/** What a person reads or hears on the page: its text, and the names and hints given to controls. */
async function pageTexts(page: Page): Promise<string> {
  return page.evaluate(() => {
    interface Element {
      getAttribute(name: string): string | null;
    }
    const { document } = globalThis as unknown as {
      document: { title: string; body: { innerText: string }; querySelectorAll(selector: string): Element[] };
    };
    const attributes = [...document.querySelectorAll('[aria-label], [placeholder], [title], img[alt]')].flatMap(
      (element) => ['aria-label', 'placeholder', 'title', 'alt'].map((name) => element.getAttribute(name) ?? ''),
    );
    return [document.title, document.body.innerText, ...attributes].join('\n');
  });
}

/**
 * The English catalog's texts still on the page (none when it is wholly in `language`), as whole words
 * ("Invite" is not found in "Inviter"), each with the text around it.
 */
async function englishLeft(page: Page, language: UiLanguage): Promise<string[]> {
  const text = await pageTexts(page);
  return englishFragments(language).flatMap((fragment) => {
    const at = wordIndex(text, fragment);
    return at < 0 ? [] : [`"${fragment}" in "…${text.slice(Math.max(0, at - 40), at + 60)}…"`];
  });
}

async function expectInLanguage(page: Page, language: UiLanguage): Promise<void> {
  expect(await page.locator('html').getAttribute('lang')).toBe(language);
  expect(await englishLeft(page, language)).toEqual([]);
  expect(await axeViolations(page)).toEqual([]);
}

/** Counts the page's reads of an event's public facts (`GET /api/events/:slug`), from now on, reloads included. */
function countEventReads(page: Page, slug: string): () => number {
  let count = 0;
  page.on('request', (request) => {
    if (request.method() === 'GET' && new URL(request.url()).pathname === `/api/events/${slug}`) count += 1;
  });
  return () => count;
}

/**
 * The console and the studio in the people's language (issue 16), in Chromium against the production
 * build: the browser's language chooses, the language menu changes it (the page reloads in the new
 * language, on the same route, still signed in) and is remembered; the studio opens in the event's
 * language when the speaker picked none; a forgotten participant is "Un participante" in Spanish; no
 * English text of the catalog is left; axe-core passes in each language.
 */
describe('console and studio in Spanish, French, German and Italian', () => {
  let server: TestServer;
  let browser: Browser;
  let slug: string;
  let inviteUrl: string;
  /** A speaker's invite to an event in Spanish (`language: 'es'`). */
  let spanishSlug: string;
  let spanishInviteUrl: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    for (const app of ['console', 'studio']) {
      const index = join(WEB_DIR, app, 'index.html');
      if (!existsSync(index)) throw new Error(`${index} is missing: run "npm run build:console" first`);
    }
    [server, browser] = await Promise.all([startServer({ WEB_DIR, MEDIASOUP_WORKERS: '1' }), launchChromium()]);
    const moderator = await Api.asModerator(server.url);
    const event = await moderator.createEvent({ title: 'Presupuesto 2027', chatMode: 'pre' });
    slug = event.slug;
    const invite = await moderator.inviteSpeaker(slug, 'Ministra Ruiz');
    inviteUrl = `${server.url}/studio/${slug}?invite=${invite.inviteToken}`;
    const journalist = await new Api(server.url).join(slug, { name: 'Ana García', outlet: 'El País' });
    const client = await LiveClient.connect(server.url, journalist.accessToken);
    await client.send('question:ask', { text: '¿Está financiada la línea de tren?' });
    await client.send('chat:send', { text: 'Buenos días' });
    await client.send('hand:raise', { topic: 'Tren' });
    client.close();

    // A second journalist asks, writes and raises a hand, then has themselves forgotten: "A participant".
    const forgotten = await new Api(server.url).join(slug, { name: 'Pedro Gómez', outlet: 'ABC' });
    const forgottenClient = await LiveClient.connect(server.url, forgotten.accessToken);
    await forgottenClient.send('question:ask', { text: '¿Cuándo empiezan las obras?' });
    await forgottenClient.send('chat:send', { text: 'Gracias' });
    await forgottenClient.send('hand:raise', { topic: 'Obras' });
    forgottenClient.close();
    await new Api(server.url, forgotten.accessToken).expectOk('DELETE', `/api/events/${slug}/me`);

    const spanish = await moderator.createEvent({ title: 'Plan de vivienda', language: 'es' });
    spanishSlug = spanish.slug;
    const spanishInvite = await moderator.inviteSpeaker(spanishSlug, 'Ministra Ruiz');
    spanishInviteUrl = `${server.url}/studio/${spanishSlug}?invite=${spanishInvite.inviteToken}`;
  }, 30_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  async function open(locale: string, url: string, beforeLoad?: (page: Page) => unknown): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await beforeLoad?.(page);
    await page.goto(url);
    return page;
  }

  /** Picks a language in the page's menu: the page reloads in it. */
  async function choose(page: Page, menuName: string, language: string): Promise<void> {
    await Promise.all([page.waitForEvent('load'), page.getByLabel(menuName, { exact: true }).selectOption(language)]);
  }

  it("opens the console's sign-in in the browser's language; the menu switches to French and is remembered", async () => {
    const page = await open('es-ES', `${server.url}/console/`);
    await page.getByRole('button', { name: 'Iniciar sesión' }).waitFor();
    await expectInLanguage(page, 'es');

    await choose(page, 'Idioma de la página', 'fr');
    await page.getByRole('button', { name: 'Se connecter' }).waitFor();
    await expectInLanguage(page, 'fr');
    const stored = await page.evaluate(
      (key) =>
        (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem(key),
      UI_LANGUAGE_STORAGE_KEY,
    );
    expect(stored).toBe('fr');
    const cookie = (await page.context().cookies()).find((c) => c.name === UI_LANGUAGE_COOKIE);
    expect(cookie).toMatchObject({ value: 'fr', path: '/', sameSite: 'Lax' });

    // The next visit (a new tab of the same browser, still set to Spanish) opens in French.
    const next = await page.context().newPage();
    await next.goto(`${server.url}/console/`);
    await next.getByRole('button', { name: 'Se connecter' }).waitFor();
    expect(await next.locator('html').getAttribute('lang')).toBe('fr');
    await next.close();
  }, 40_000);

  it('runs the control room in French, then in Spanish after a change of language that keeps the room and the sign-in', async () => {
    const page = await open('fr-FR', `${server.url}/console/`);
    await page.getByLabel('E-mail').fill(ADMIN.email);
    await page.getByLabel('Mot de passe').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('link', { name: 'Presupuesto 2027' }).first().click();
    await page.getByRole('region', { name: 'Questions en attente' }).getByText('¿Está financiada').waitFor();
    await page.getByRole('status').filter({ hasText: 'Connecté' }).waitFor();
    await page
      .getByRole('region', { name: 'Questions en attente' })
      .getByText('Un participant', { exact: true })
      .waitFor();
    await expectInLanguage(page, 'fr');

    const room = page.url();
    await choose(page, 'Langue de la page', 'es');
    await page.getByRole('region', { name: 'Preguntas pendientes' }).getByText('¿Está financiada').waitFor();
    await page.getByRole('status').filter({ hasText: 'Conectado' }).waitFor();
    expect(page.url()).toBe(room);
    // The forgotten journalist's question, chat message and hand are signed in Spanish (expectInLanguage
    // also finds no "A participant" anywhere on the page, labels included).
    const pending = page.getByRole('region', { name: 'Preguntas pendientes' }).getByRole('listitem');
    await pending
      .filter({ hasText: '¿Cuándo empiezan las obras?' })
      .getByText('Un participante', { exact: true })
      .waitFor();
    await page.getByRole('listitem', { name: 'Mensaje de Un participante' }).first().waitFor();
    await expectInLanguage(page, 'es');
  }, 40_000);

  it("opens the studio's device check of an event without language in the browser's German, and in Italian from its menu", async () => {
    const page = await open('de-DE', inviteUrl);
    await page.getByRole('button', { name: 'Studio betreten', exact: true }).waitFor();
    await expectInLanguage(page, 'de');

    await choose(page, 'Sprache der Seite', 'it');
    await page.getByRole('button', { name: 'Entra in studio', exact: true }).waitFor();
    await expectInLanguage(page, 'it');
  }, 40_000);

  it('opens the studio of an event in Spanish in Spanish for an English browser; a pick from its menu wins from then on', async () => {
    let reads = () => 0;
    const page = await open('en-US', spanishInviteUrl, (p) => (reads = countEventReads(p, spanishSlug)));
    await page.getByRole('button', { name: 'Entrar al estudio', exact: true }).waitFor();
    await expectInLanguage(page, 'es');
    expect(reads()).toBe(1); // one read: the event's language before the start, and the studio's facts

    await choose(page, 'Idioma de la página', 'nl');
    await page.getByRole('button', { name: 'Studio binnengaan', exact: true }).waitFor();
    await expectInLanguage(page, 'nl');
    expect(reads()).toBe(2); // with a pick of their own, the start asks nothing more: the studio's own read

    // The next visit (a new tab of the same browser) opens in Dutch too, not in the event's Spanish.
    const next = await page.context().newPage();
    const nextReads = countEventReads(next, spanishSlug);
    await next.goto(spanishInviteUrl);
    await next.getByRole('button', { name: 'Studio binnengaan', exact: true }).waitFor();
    expect(await next.locator('html').getAttribute('lang')).toBe('nl');
    expect(nextReads()).toBe(1);
    await next.close();
  }, 40_000);

  it("starts the studio in the browser's language when the event's language does not come in time", async () => {
    const HELD_MS = 25_000;
    let started = 0;
    const page = await open('en-US', spanishInviteUrl, async (p) => {
      let first = true;
      await p.route(`**/api/events/${spanishSlug}`, async (route) => {
        if (!first) return route.continue();
        first = false;
        // A server that does not answer: the page must not wait for it.
        await new Promise((resolve) => setTimeout(resolve, HELD_MS).unref());
        await route.continue().catch(() => undefined);
      });
      started = Date.now();
    });
    await page.getByRole('button', { name: 'Join the studio', exact: true }).waitFor();
    expect(Date.now() - started).toBeLessThan(HELD_MS / 2);
    await expectInLanguage(page, 'en');
  }, 60_000);
});
