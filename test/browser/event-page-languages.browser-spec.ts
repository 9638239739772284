import { FORGOTTEN_NAME, type UiLanguage } from '@pressroom/protocol';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Api } from '../e2e/harness/api';
import { anotherJournalist, ok } from '../e2e/harness/guest';
import { LiveClient } from '../e2e/harness/live-client';
import { startServer, type TestServer } from '../e2e/harness/server';
import { axeViolations } from './harness/axe';
import { launchChromium, watchRequests, type WatchedRequests } from './harness/browser';

jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '..', '..');
const WEB_DIR = join(ROOT, 'dist');
const SCREENSHOTS = join(ROOT, 'reports', 'screenshots');
const PHONE = { width: 375, height: 812 };

type PageCatalog = Record<string, string>;
const catalog = (language: UiLanguage): PageCatalog =>
  (
    JSON.parse(readFileSync(join(ROOT, 'libs', 'i18n', 'catalogs', `${language}.json`), 'utf8')) as {
      page: PageCatalog;
    }
  ).page;
const ENGLISH = catalog('en');

/**
 * English messages (without placeholders or plurals, two words or more) that `language` words otherwise:
 * any of them in the page's text is English left on the screen.
 */
function englishLeftIn(text: string, language: UiLanguage): string[] {
  const translated = catalog(language);
  return Object.entries(ENGLISH)
    .filter(([key, english]) => !/[{}]/.test(english) && /\s/.test(english.trim()) && translated[key] !== english)
    .map(([, english]) => english.trim())
    .filter((english) => text.includes(english));
}

/** What a reader sees of the page: its visible text, and the accessible names and placeholders of its fields. */
function readablePage(page: Page): Promise<string> {
  return page.evaluate(() => {
    const doc = (
      globalThis as unknown as {
        document: {
          body: { innerText: string };
          querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null }>;
        };
      }
    ).document;
    const attributes = Array.from(doc.querySelectorAll('[aria-label], [placeholder], [title]')).flatMap((element) =>
      ['aria-label', 'placeholder', 'title'].map((name) => element.getAttribute(name) ?? ''),
    );
    return [doc.body.innerText, ...attributes].join('\n');
  });
}

describe("the event page in its reader's language: Spanish from the browser, French from the menu, Italian from the event", () => {
  let server: TestServer;
  let browser: Browser;
  const watched: WatchedRequests[] = [];
  let slug: string;
  let italianSlug: string;
  let spanishReader: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(join(WEB_DIR, 'viewer', 'index.es.html'))) {
      throw new Error('dist/viewer/index.es.html is missing: run "npm run build:viewer" before this test');
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    // Two guests on stage at once: the Spanish reader sees the other one in the studio.
    [server, browser] = await Promise.all([startServer({ WEB_DIR, STAGE_MAX_GUESTS: '2' }), launchChromium()]);
    const moderator = await Api.asModerator(server.url);
    ({ slug } = await moderator.createEvent({ title: 'Presupuestos 2027', description: 'Rueda de prensa.' }));
    ({ slug: italianSlug } = await moderator.createEvent({ title: 'Bilancio 2027', language: 'it' }));
  }, 30_000);

  afterAll(async () => {
    const messages = watched.flatMap((w) => w.console);
    if (messages.length > 0) console.log(`browser console:\n${messages.join('\n')}`);
    await browser?.close();
    await server?.close();
  });

  async function newContext(locale: string): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: PHONE, locale });
    watched.push(watchRequests(context));
    context.setDefaultTimeout(15_000);
    return context;
  }

  it('a browser in Spanish (es-ES) gets the page in Spanish: lang="es", no English, axe-core passes', async () => {
    spanishReader = await newContext('es-ES');
    page = await spanishReader.newPage();
    await page.goto(`${server.url}/${slug}`);
    await page.getByRole('heading', { level: 1, name: 'Presupuestos 2027' }).waitFor();
    // The join form and the player's controls are drawn: what a viewer sees before doing anything.
    await page.locator('#watch').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    expect(await page.getByRole('combobox', { name: catalog('es')['language.menu'] }).inputValue()).toBe('es');
    expect(englishLeftIn(await readablePage(page), 'es')).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'event-page-es.png'), fullPage: true });
  });

  it('French from the menu: the page changes without a reload, and the next visit opens in French', async () => {
    await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
    await page.getByRole('combobox', { name: catalog('es')['language.menu'] }).selectOption('fr');
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang ===
        'fr',
    );
    await page.getByRole('combobox', { name: catalog('fr')['language.menu'] }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(englishLeftIn(await readablePage(page), 'fr')).toEqual([]);
    // Nothing Spanish left either: the Spanish of every message French words otherwise.
    const spanish = catalog('es');
    const french = catalog('fr');
    const text = await readablePage(page);
    const spanishLeft = Object.entries(spanish)
      .filter(([key, es]) => !/[{}]/.test(es) && /\s/.test(es.trim()) && french[key] !== es)
      .map(([, es]) => es.trim())
      .filter((es) => text.includes(es));
    expect(spanishLeft).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);

    const again = await spanishReader.newPage();
    await again.goto(`${server.url}/${slug}`);
    expect(await again.getAttribute('html', 'lang')).toBe('fr');
    await again.getByRole('heading', { level: 1, name: 'Presupuestos 2027' }).waitFor();
    await again.locator('#watch').waitFor();
    expect(englishLeftIn(await readablePage(again), 'fr')).toEqual([]);
    await again.close();
  });

  it("an event in Italian opens in Italian for a browser in English; the reader's own pick still wins", async () => {
    const englishReader = await newContext('en-US');
    const italian = await englishReader.newPage();
    await italian.goto(`${server.url}/${italianSlug}`);
    await italian.getByRole('heading', { level: 1, name: 'Bilancio 2027' }).waitFor();
    await italian.locator('#watch').waitFor();
    expect(await italian.getAttribute('html', 'lang')).toBe('it');
    expect(englishLeftIn(await readablePage(italian), 'it')).toEqual([]);

    // The Spanish reader picked French: French here too.
    const picked = await spanishReader.newPage();
    await picked.goto(`${server.url}/${italianSlug}`);
    expect(await picked.getAttribute('html', 'lang')).toBe('fr');
    await englishReader.close();

    // A pick made on the privacy notice (its links set only the cookie: no script there) wins here too.
    const noticeReader = await newContext('en-US');
    const notice = await noticeReader.newPage();
    await notice.goto(`${server.url}/${italianSlug}/privacy?language=nl`);
    await notice.getByRole('link', { name: /^←/ }).click();
    await notice.waitForURL(`${server.url}/${italianSlug}`);
    await notice.getByRole('heading', { level: 1, name: 'Bilancio 2027' }).waitFor();
    await notice.locator('#watch').waitFor();
    // The page has its event (Italian) by now: it stays in the reader's Dutch.
    await notice.waitForTimeout(500);
    expect(await notice.getAttribute('html', 'lang')).toBe('nl');
    await noticeReader.close();
  });

  it('a forgotten journalist’s message and question are signed “Un participante” on a Spanish page, at once and after a reload', async () => {
    const moderator = await Api.asModerator(server.url);
    const { slug: forgetSlug } = await moderator.createEvent({ title: 'Olvido 2027', chatMode: 'post' });
    const joined = await new Api(server.url).join(forgetSlug, { name: 'Lucía Gómez', outlet: 'El Diario' });
    const clients = await Promise.all([
      LiveClient.connect(server.url, joined.accessToken),
      moderator.join(forgetSlug).then(({ accessToken }) => LiveClient.connect(server.url, accessToken)),
    ]);
    const [journalist, moderatorClient] = clients;
    try {
      await ok(journalist, 'chat:send', { text: '¿Hay calendario de obras?' });
      const { question } = await ok(journalist, 'question:ask', { text: '¿Cuánto cuesta la obra?' });
      await ok(moderatorClient, 'question:approve', { questionId: question.id });

      const reader = await newContext('es-ES');
      const spanish = await reader.newPage();
      await spanish.goto(`${server.url}/${forgetSlug}`);
      const message = spanish.locator('#chat-messages li', { hasText: '¿Hay calendario de obras?' });
      const asked = spanish.locator('#question-list li', { hasText: '¿Cuánto cuesta la obra?' });
      await message.getByText('Lucía Gómez').waitFor();
      await asked.getByText('Lucía Gómez').waitFor();

      await new Api(server.url, joined.accessToken).expectOk('DELETE', `/api/events/${forgetSlug}/me`);
      // The open page follows at once, in its language.
      await message.locator('.message-author', { hasText: 'Un participante' }).waitFor();
      await asked.getByText('Un participante').waitFor();
      let text = await spanish.locator('body').innerText();
      expect(text).not.toContain(FORGOTTEN_NAME);
      expect(text).not.toContain('Lucía Gómez');

      // A page opened afterwards, and a change of language.
      await spanish.reload();
      await message.locator('.message-author', { hasText: 'Un participante' }).waitFor();
      await asked.getByText('Un participante').waitFor();
      text = await spanish.locator('body').innerText();
      expect(text).not.toContain(FORGOTTEN_NAME);
      await spanish.getByRole('combobox', { name: catalog('es')['language.menu'] }).selectOption('de');
      await message.locator('.message-author', { hasText: 'Eine teilnehmende Person' }).waitFor();
      await reader.close();
    } finally {
      for (const client of clients) client.close();
    }
  });

  it('a guest on stage with an outlet is “Nombre, Medio · invitado” in the studio on a Spanish page; forgotten, “Un participante · invitado”', async () => {
    const es = catalog('es');
    const moderator = await Api.asModerator(server.url);
    const { slug: stageSlug } = await moderator.createEvent({ title: 'Escenario 2027' });
    const moderatorClient = await moderator
      .join(stageSlug)
      .then(({ accessToken }) => LiveClient.connect(server.url, accessToken));
    const clients = [moderatorClient];
    const reader = await newContext('es-ES');
    try {
      /** A journalist's raised hand, invited on stage by the moderator. */
      const invite = async (participantId: string) => {
        const { hands } = await moderatorClient.next(
          'hand:queue',
          ({ hands }) => hands.some((hand) => hand.participantId === participantId),
          { past: true },
        );
        await ok(moderatorClient, 'stage:invite', { handId: hands.find((h) => h.participantId === participantId)!.id });
      };

      // The reader, a journalist on a Spanish page, goes on stage: the page shows the studio's people.
      const spanish = await reader.newPage();
      await spanish.goto(`${server.url}/${stageSlug}`);
      await spanish.getByLabel(es['identity.name']!, { exact: true }).fill('Ana García');
      await spanish.getByLabel(new RegExp(`^${es['identity.outlet']}`)).fill('El País');
      await spanish.getByRole('button', { name: es['identity.join'] }).click();
      await spanish.getByRole('button', { name: es['hand.raise'], exact: true }).click();
      const me = await moderatorClient.next('hand:queue', ({ hands }) => hands.length === 1, { past: true });
      await invite(me.hands[0]!.participantId);
      const accept = spanish.getByRole('dialog', { name: es['stage.invite_title'] }).getByRole('button', {
        name: es['stage.accept'],
      });
      await accept.click({ timeout: 20_000 }); // once enabled: the microphone opened
      await spanish.locator('#on-stage-status', { hasText: es['stage.on_stage'] }).waitFor({ timeout: 30_000 });

      // A second journalist joins the studio as a guest.
      const lucia = await anotherJournalist(server, stageSlug, 'Lucía Gómez', 'El Diario');
      clients.push(lucia.client);
      await ok(lucia.client, 'hand:raise', {});
      const invited = lucia.client.next('stage:invited');
      await invite(lucia.participantId);
      await invited;
      await ok(lucia.client, 'stage:accept', {});
      await ok(lucia.client, 'studio:join', {});
      const tile = spanish.locator('#studio-peers li:not(.self) .peer-name');
      await tile.filter({ hasText: 'Lucía' }).waitFor();
      expect(await tile.allInnerTexts()).toEqual(['Lucía Gómez, El Diario · invitado']);

      // She uses "Forget me", and comes back to the studio with a new connection: her name and outlet are gone.
      await new Api(server.url, lucia.token).expectOk('DELETE', `/api/events/${stageSlug}/me`);
      const again = await LiveClient.connect(server.url, lucia.token);
      clients.push(again);
      await ok(again, 'studio:join', {});
      await tile.filter({ hasText: 'Lucía' }).waitFor({ state: 'detached' });
      await tile.waitFor();
      expect(await tile.allInnerTexts()).toEqual(['Un participante · invitado']);
      expect(await spanish.locator('#studio-peers li:not(.self)').getAttribute('aria-label')).toBe(
        'Un participante · invitado',
      );
    } finally {
      for (const client of clients) client.close();
      await reader.close();
    }
  }, 90_000);

  it('a rare refusal comes with the later messages: the server’s words stand in until they are here, then Spanish', async () => {
    const moderator = await Api.asModerator(server.url);
    const { slug: locked } = await moderator.createEvent({ title: 'Contraseña 2027', password: 'correcta-2027' });
    const reader = await newContext('es-ES');
    const spanish = await reader.newPage();
    const html = await (await fetch(`${server.url}/${locked}`, { headers: { 'accept-language': 'es' } })).text();
    const preloaded = [...html.matchAll(/href="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    // The later Spanish messages (the Spanish chunk index.es.html does not preload) wait until released.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await spanish.route('**/assets/es-*.js', async (route) => {
      if (!preloaded.includes(new URL(route.request().url()).pathname)) await released;
      await route.continue();
    });
    await spanish.goto(`${server.url}/${locked}`);
    await spanish.getByLabel(catalog('es')['password.label']!, { exact: true }).fill('mal');
    await spanish.getByRole('button', { name: catalog('es')['password.enter'] }).click();
    await spanish.getByText('The password is not right').waitFor();
    release();
    await spanish.getByText(catalog('es')['error.wrong_password']!).waitFor();
    expect(await spanish.getByText('The password is not right').count()).toBe(0);
    await reader.close();
  });

  it('a message sent while the live connection is down is refused in Spanish', async () => {
    const reader = await newContext('es-ES');
    const spanish = await reader.newPage();
    // The page joins over HTTP; its live connection never gets through.
    await spanish.route('**/socket.io/**', (route) => route.abort());
    await spanish.routeWebSocket('**/socket.io/**', (socket) => socket.close());
    await spanish.goto(`${server.url}/${slug}`);
    const es = catalog('es');
    await spanish.getByLabel(es['identity.name']!, { exact: true }).fill('Marta Ruiz');
    await spanish.getByRole('button', { name: es['identity.join'] }).click();
    await spanish.getByLabel(es['chat.label']!, { exact: true }).fill('¿Se me oye?');
    await spanish.getByRole('button', { name: es['chat.send'], exact: true }).click();
    await spanish.locator('#chat-error', { hasText: 'Ahora mismo no hay conexión con el servidor' }).waitFor();
    await reader.close();
  });
});
