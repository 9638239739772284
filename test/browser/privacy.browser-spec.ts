import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { FORGOTTEN_NAME, type Transcript } from '@pressroom/protocol';
import { Api } from '../e2e/harness/api';
import { ADMIN } from '../e2e/harness/server';
import { startServer, type TestServer } from '../e2e/harness/server';
import { axeViolations } from './harness/axe';
import { launchChromium } from './harness/browser';

const ROOT = resolve(__dirname, '..', '..');
const WEB_DIR = join(ROOT, 'dist');
const PHONE = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true };
const OPERATOR = 'City of Lyon Press Office';

/** A journalist on a phone reads the privacy notice from the join form, then downloads their data and is forgotten. */
describe('privacy on the event page, at phone size', () => {
  let server: TestServer;
  let browser: Browser;
  let moderator: Api;
  let slug: string;

  beforeAll(async () => {
    for (const app of ['viewer', 'console', 'studio']) {
      const index = join(WEB_DIR, app, 'index.html');
      if (!existsSync(index)) throw new Error(`${index} is missing: run "npm run build:web" first`);
    }
    [server, browser] = await Promise.all([
      startServer({
        WEB_DIR,
        PRESSROOM_OPERATOR_NAME: OPERATOR,
        PRESSROOM_OPERATOR_CONTACT: 'dpo@lyon.example.org',
        PRESSROOM_PRIVACY_URL: 'https://lyon.example.org/privacy',
      }),
      launchChromium(),
    ]);
    moderator = await Api.asModerator(server.url);
    ({ slug } = await moderator.createEvent({ title: 'Tramway extension', retentionHours: 6 }));
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the join form links to the notice, which names the operator, fits the phone and passes axe-core', async () => {
    const page = await (await browser.newContext(PHONE)).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/${slug}`);
    await page.getByRole('contentinfo').getByText(`Run by ${OPERATOR}`).waitFor();
    const link = page.locator('#identity-form').getByRole('link', { name: 'How your data is used' });
    await link.waitFor();
    await link.click();
    await page.waitForURL(`${server.url}/${slug}/privacy`);

    await page.getByRole('heading', { level: 1, name: 'Privacy: Tramway extension' }).waitFor();
    for (const heading of ['What you need to give', 'Who sees what', 'How long it is kept', 'Recording']) {
      expect(await page.getByRole('heading', { level: 2, name: heading }).isVisible()).toBe(true);
    }
    const text = await page.locator('main').innerText();
    expect(text).toContain('deleted 6 hours after the event ends');
    expect(text).toContain(`This server is run by ${OPERATOR}.`);
    expect(await page.getByRole('link', { name: 'dpo@lyon.example.org' }).first().getAttribute('href')).toBe(
      'mailto:dpo@lyon.example.org',
    );
    // Nothing wider than the phone.
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement
            .scrollWidth,
      ),
    ).toBeLessThanOrEqual(375);
    expect(await axeViolations(page)).toEqual([]);

    // Its language links need no script: Spanish is picked, and the event page then opens in Spanish too.
    await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Español' }).click();
    await page.getByRole('heading', { level: 1, name: 'Privacidad: Tramway extension' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    expect(await page.locator('main').innerText()).toContain('se borra 6 horas después de que termine el evento');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: '← Volver al evento' }).click();
    await page.waitForURL(`${server.url}/${slug}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    await page.goto(`${server.url}/${slug}/privacy?language=en`);

    await page.getByRole('link', { name: '← Back to the event' }).click();
    await page.waitForURL(`${server.url}/${slug}`);
    await page.locator('#identity-form').getByLabel('Name').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  }, 60_000);

  it('"Download my data" saves the JSON; "Forget me", confirmed, erases the name everywhere', async () => {
    const context = await browser.newContext({ ...PHONE, acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/${slug}`);
    await page.getByLabel('Name').fill('Chloé Martin');
    await page.getByLabel(/Outlet/).fill('Le Progrès');
    await page.getByRole('button', { name: 'Join the conversation' }).click();
    await page.getByLabel('Your question').fill('When do the works start?');
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.getByText('When do the works start?').waitFor();

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download my data' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe(`${slug}-my-data.json`);
    const data = JSON.parse(readFileSync((await saved.path())!, 'utf8')) as {
      identity: { name: string };
      questions: Array<{ text: string }>;
    };
    expect(data.identity.name).toBe('Chloé Martin');
    expect(data.questions.map((q) => q.text)).toEqual(['When do the works start?']);

    // Cancelling changes nothing; confirming forgets.
    await page.getByRole('button', { name: 'Forget me' }).last().click();
    const dialog = page.getByRole('dialog', { name: 'Forget me?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    let transcript = await moderator.expectOk<Transcript>('GET', `/api/events/${slug}/transcript`);
    expect(transcript.questions.map((q) => q.name)).toEqual(['Chloé Martin']);

    await page.getByRole('button', { name: 'Forget me' }).last().click();
    expect(await axeViolations(page)).toEqual([]);
    const reloaded = page.waitForEvent('load');
    await dialog.getByRole('button', { name: 'Forget me' }).click();
    // The page starts over as an anonymous viewer, with an empty join form.
    await reloaded;
    await page.locator('#identity-form').getByLabel('Name').waitFor();
    expect(await page.getByLabel('Name').inputValue()).toBe('');
    transcript = await moderator.expectOk<Transcript>('GET', `/api/events/${slug}/transcript`);
    expect(transcript.questions.map((q) => [q.name, q.outlet, q.text])).toEqual([
      [FORGOTTEN_NAME, '', 'When do the works start?'],
    ]);
    await context.close();
  }, 60_000);

  it('a speaker: the device check links to the notice; the footer names the operator; they download and forget', async () => {
    const invite = await moderator.inviteSpeaker(slug, 'Mayor Dupont');
    const context = await browser.newContext({
      ...PHONE,
      acceptDownloads: true,
      permissions: ['camera', 'microphone'],
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/studio/${slug}?invite=${invite.inviteToken}`);
    await page.getByRole('button', { name: 'Join the studio', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'How your data is used' }).getAttribute('href')).toBe(
      `/${slug}/privacy`,
    );
    await page.getByRole('contentinfo').getByText(`Run by ${OPERATOR}`).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download my data' }).click();
    const data = JSON.parse(readFileSync((await (await download).path())!, 'utf8')) as {
      identity: { role: string; inviteName: string };
    };
    expect(data.identity).toMatchObject({ role: 'speaker', inviteName: 'Mayor Dupont' });

    await page.getByRole('button', { name: 'Forget me' }).click();
    await page.getByRole('button', { name: 'Yes, forget me' }).click();
    await page.getByText(`Your name is erased: you appear as “${FORGOTTEN_NAME}”.`).waitFor();
    const speakers = await moderator.expectOk<Array<{ id: string; name: string }>>(
      'GET',
      `/api/events/${slug}/speakers`,
    );
    expect(speakers.find((s) => s.id === invite.id)?.name).toBe(FORGOTTEN_NAME);
    await context.close();
  }, 60_000);

  it('the console’s event form previews the notice as participants will see it, following the form', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'New event' }).click();
    await page.getByLabel('Title').fill('Harbour works');
    await page.getByText('Preview the privacy notice participants will see').click();
    const preview = page.getByRole('region', { name: 'Privacy notice preview' });
    await preview.getByText('Privacy: Harbour works').waitFor();
    await preview.getByText('The recording is not kept: it is deleted when the event ends.').waitFor();
    await page.getByLabel('Retention (hours after the end)').fill('48');
    await preview.getByText('The recording is kept for 48 hours after the event ends').waitFor();
    expect(await preview.innerText()).toContain(`This server is run by ${OPERATOR}.`);
    // An event in Spanish: its participants read the notice in Spanish, and so does the preview.
    await page.getByLabel('Language of the event page').selectOption('es');
    await preview.getByText('La grabación se conserva 48 horas después de que termine el evento').waitFor();
    expect(await preview.getAttribute('lang')).toBe('es');
    expect(await preview.innerText()).toContain(`Este servidor está gestionado por ${OPERATOR}.`);
    await page.getByLabel('Language of the event page').selectOption('');
    await preview.getByText('The recording is kept for 48 hours after the event ends').waitFor();
    await page.getByRole('contentinfo').getByText(`Run by ${OPERATOR}`).waitFor();

    // What the page will say once saved is what the preview said.
    await page.getByRole('button', { name: 'Create event' }).click();
    await page.waitForURL(/\/console\/events\/harbour-works[a-z0-9-]*$/);
    const created = new URL(page.url()).pathname.split('/').pop()!;
    const html = await (await fetch(`${server.url}/${created}/privacy`)).text();
    expect(html).toContain('The recording is kept for 48 hours after the event ends');
  }, 60_000);
});
