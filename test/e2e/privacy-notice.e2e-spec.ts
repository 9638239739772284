import type { PrivacyNoticeResponse, ServerInfo } from '@pressroom/protocol';
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
