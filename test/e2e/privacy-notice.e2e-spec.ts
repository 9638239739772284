import type { PrivacyNoticeResponse, ServerInfo } from '@pressroom/protocol';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Api } from './harness/api';
import { startServer, type TestServer } from './harness/server';

const OPERATOR = {
  PRESSROOM_OPERATOR_NAME: 'Ministry of Finance Press Office',
  PRESSROOM_OPERATOR_CONTACT: 'privacy@finance.example.org',
  PRESSROOM_PRIVACY_URL: 'https://finance.example.org/privacy',
};

/** The notice of an event says what its settings and the server's configuration make true, now. */
describe('privacy notice: built from the event and the server as they are', () => {
  let server: TestServer;
  let moderator: Api;

  beforeAll(async () => {
    server = await startServer(OPERATOR);
    moderator = await Api.asModerator(server.url);
  });
  afterAll(() => server?.close());

  const page = async (slug: string) => {
    const response = await fetch(`${server.url}/${slug}/privacy`);
    return { status: response.status, headers: response.headers, html: await response.text() };
  };
  const noticeText = async (slug: string) => {
    const { body } = await new Api(server.url).request<PrivacyNoticeResponse>('GET', `/api/events/${slug}/privacy`);
    return body.notice.sections.flatMap((s) => [s.heading, ...s.paragraphs, ...s.items]).join('\n');
  };

  it('names the operator from the configuration, publicly and on every notice', async () => {
    const { status, body } = await new Api(server.url).request<ServerInfo>('GET', '/api/server');
    expect(status).toBe(200);
    expect(body.operator).toEqual({
      name: OPERATOR.PRESSROOM_OPERATOR_NAME,
      contact: OPERATOR.PRESSROOM_OPERATOR_CONTACT,
      privacyUrl: OPERATOR.PRESSROOM_PRIVACY_URL,
    });
    const event = await moderator.createEvent({ title: 'Operator check' });
    const { status: pageStatus, html } = await page(event.slug);
    expect(pageStatus).toBe(200);
    expect(html).toContain('This server is run by Ministry of Finance Press Office.');
    expect(html).toContain('<a href="mailto:privacy@finance.example.org">privacy@finance.example.org</a>');
    expect(html).toContain('href="https://finance.example.org/privacy"');
  });

  it('follows the retention, the recording and the chat settings when a moderator changes them', async () => {
    const event = await moderator.createEvent({ title: 'Budget 2027', retentionHours: 24, chatMode: 'post' });
    let text = await noticeText(event.slug);
    expect(text).toContain('Everything above is deleted 24 hours after the event ends.');
    expect(text).toContain('The recording is kept for 24 hours after the event ends');
    expect(text).toContain('Your chat messages. Others see them at once');
    expect(text).toContain('Your questions and what became of them');
    expect(text).toContain('This event is public');

    await moderator.expectOk('PATCH', `/api/events/${event.slug}`, {
      retentionHours: 0,
      chatMode: 'pre',
      questionsEnabled: false,
      password: 'press only',
    });
    text = await noticeText(event.slug);
    expect(text).toContain('Everything above is deleted when the event ends.');
    expect(text).toContain('The recording is not kept: it is deleted when the event ends.');
    expect(text).not.toContain('24 hours');
    expect(text).toContain('A moderator approves each one before others see it.');
    expect(text).not.toContain('Your questions');
    expect(text).toContain('This event needs a password to watch.');

    await moderator.expectOk('PATCH', `/api/events/${event.slug}`, { retentionHours: 1 });
    const { html } = await page(event.slug);
    expect(html).toContain('deleted 1 hour after the event ends');
    expect(html).toContain('The recording is kept for 1 hour after the event ends');
  });

  it('says what the logs hold as the server is configured (these tests log nothing)', async () => {
    const event = await moderator.createEvent({ title: 'Logs' });
    const text = await noticeText(event.slug);
    expect(text).toContain('The server does not log requests.');
    expect(text).toContain('Pages load nothing from any other site');
  });

  it('is a page with the pages headers, no script and nothing from elsewhere; an unknown event is a 404 page', async () => {
    const event = await moderator.createEvent({ title: 'Headers <b>&</b>' });
    const { headers, html } = await page(event.slug);
    expect(headers.get('content-type')).toMatch(/^text\/html/);
    expect(headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(html).not.toMatch(/<script|<link|src=/i);
    expect(html).toContain('Privacy: Headers &lt;b&gt;&amp;&lt;/b&gt;');
    const missing = await page('no-such-event');
    expect(missing.status).toBe(404);
    expect(missing.html).toContain('There is no event at this address.');
  });
});

describe('privacy notice without operator settings', () => {
  let server: TestServer;
  beforeAll(async () => (server = await startServer()));
  afterAll(() => server?.close());

  it('says the operator gave no name and no contact', async () => {
    const event = await (await Api.asModerator(server.url)).createEvent({ title: 'Anonymous operator' });
    const html = await (await fetch(`${server.url}/${event.slug}/privacy`)).text();
    expect(html).toContain('The operator of this server has not given their name.');
    expect(html).toContain('The operator has not given a contact.');
  });
});

/**
 * The notice reads in its reader's language, chosen as the event page is (their pick, the event's language,
 * their browser's), from the "privacy" section of the catalogs; `?language=` on the page is a pick from its
 * menu and is remembered.
 */
describe("privacy notice in its reader's language", () => {
  let server: TestServer;
  let moderator: Api;
  let spanish: string;
  let plain: string;
  const privacySection = (language: string): Record<string, string> =>
    JSON.parse(readFileSync(join(__dirname, `../../libs/i18n/catalogs/${language}.json`), 'utf8')).privacy;
  const english = privacySection('en');

  beforeAll(async () => {
    server = await startServer(OPERATOR);
    moderator = await Api.asModerator(server.url);
    spanish = (await moderator.createEvent({ title: 'Rueda de prensa', language: 'es', retentionHours: 24 })).slug;
    plain = (await moderator.createEvent({ title: 'Briefing', retentionHours: 1 })).slug;
  });
  afterAll(() => server?.close());

  const page = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.url}${path}`, { headers });
    const html = await response.text();
    return {
      status: response.status,
      lang: /<html lang="([a-z]+)">/.exec(html)?.[1],
      html,
      cookie: response.headers.get('set-cookie'),
      vary: response.headers.get('vary') ?? '',
    };
  };
  /**
   * English sentences without a placeholder that show in a page in `language`, where that language says
   * them otherwise (Italian says "Privacy" and "Home" too).
   */
  const englishLeft = (html: string, language: string) => {
    const translated = privacySection(language);
    return Object.entries(english)
      .filter(([key, message]) => !message.includes('{') && translated[key] !== message)
      .map(([, message]) => message)
      .filter((message) => html.includes(escapeHtml(message)));
  };

  it("opens in the event's language whatever the browser's, with nothing left in English", async () => {
    const { status, lang, html, vary } = await page(`/${spanish}/privacy`, { 'accept-language': 'en-GB, en' });
    expect(status).toBe(200);
    expect(lang).toBe('es');
    expect(englishLeft(html, 'es')).toEqual([]);
    expect(html).toContain('24 horas');
    expect(html).toContain('Ministry of Finance Press Office');
    expect(html).toContain('<a href="mailto:privacy@finance.example.org">privacy@finance.example.org</a>');
    expect(vary).toMatch(/Accept-Language/);
  });

  it("else in the browser's language; the menu's links pick one and the pick is remembered", async () => {
    const german = await page(`/${plain}/privacy`, { 'accept-language': 'de-AT, de;q=0.9' });
    expect(german.lang).toBe('de');
    expect(englishLeft(german.html, 'de')).toEqual([]);
    expect(german.html).toContain('1 Stunde');
    for (const language of ['en', 'es', 'fr', 'it', 'nl', 'de']) {
      expect(german.html).toContain(`href="?language=${language}" lang="${language}" hreflang="${language}"`);
    }

    const picked = await page(`/${spanish}/privacy?language=fr`, { 'accept-language': 'de' });
    expect(picked.lang).toBe('fr');
    expect(englishLeft(picked.html, 'fr')).toEqual([]);
    expect(picked.html).toContain('href="?language=fr" lang="fr" hreflang="fr" aria-current="true"');
    expect(picked.cookie).toMatch(/^pressroom_language=fr; Path=\/; Max-Age=\d+; SameSite=Lax/);
    const next = await page(`/${spanish}/privacy`, { cookie: 'pressroom_language=fr', 'accept-language': 'de' });
    expect(next.lang).toBe('fr');
    expect(next.cookie).toBeNull();

    const unknown = await page('/no-such-event/privacy', { 'accept-language': 'it' });
    expect(unknown.status).toBe(404);
    expect(unknown.lang).toBe('it');
    expect(englishLeft(unknown.html, 'it')).toEqual([]);
    expect(unknown.html).toContain(privacySection('it')['page.not_found']);
  });

  it('as JSON in the language asked for; a language the pages lack is refused with a message', async () => {
    const api = new Api(server.url);
    const dutch = await api.request<PrivacyNoticeResponse>('GET', `/api/events/${spanish}/privacy?language=nl`);
    expect(dutch.status).toBe(200);
    expect(dutch.body.language).toBe('nl');
    expect(dutch.body.notice.summary).toContain('Ministry of Finance Press Office');
    expect(dutch.body.notice.summary).toContain('24 uur');
    const byEvent = await api.request<PrivacyNoticeResponse>('GET', `/api/events/${spanish}/privacy`);
    expect(byEvent.body.language).toBe('es');
    const wrong = await api.request<{ message: string }>('GET', `/api/events/${spanish}/privacy?language=xx`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toBe('language must be one of en, es, fr, it, nl, de');
  });

  it("previews unsaved settings for moderators only, in the form's language", async () => {
    const settings = { title: 'Plenario', passwordRequired: true, chatMode: 'pre', retentionHours: 48 };
    const preview = await moderator.expectOk<PrivacyNoticeResponse>('POST', '/api/privacy/preview', {
      ...settings,
      language: 'it',
    });
    expect(preview.language).toBe('it');
    expect(preview.notice.title).toContain('Plenario');
    expect(preview.notice.summary).toContain('48 ore');
    const english = await moderator.expectOk<PrivacyNoticeResponse>('POST', '/api/privacy/preview', {
      ...settings,
      retentionHours: 0,
      language: 'en',
    });
    const text = english.notice.sections.flatMap((s) => [...s.paragraphs, ...s.items]).join('\n');
    expect(text).toContain('The recording is not kept: it is deleted when the event ends.');
    expect(text).toContain('This event needs a password to watch.');
    expect(text).toContain('A moderator approves each one before others see it.');

    const anonymous = await new Api(server.url).request('POST', '/api/privacy/preview', settings);
    expect(anonymous.status).toBe(401);
    const bad = await moderator.request<{ message: string | string[] }>('POST', '/api/privacy/preview', {
      ...settings,
      retentionHours: -1,
      language: 'pt',
    });
    expect(bad.status).toBe(400);
    expect(String(bad.body.message)).toMatch(/retentionHours must not be less than 0/);
    expect(String(bad.body.message)).toMatch(/language must be one of/);
  });
});

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
