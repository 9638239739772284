import type { JoinResponse } from '@pressroom/protocol';
import { Api } from './harness/api';
import { startServer, type TestServer } from './harness/server';

/**
 * A page on another site can make its visitors' browsers post a form anywhere (urlencoded, multipart or
 * text/plain, no preflight), but not a JSON body: join takes JSON only, so no other site can make people join.
 */
describe('Join takes JSON only: a cross-site form post is refused', () => {
  let server: TestServer;
  let slug: string;

  beforeAll(async () => {
    server = await startServer();
    slug = (await (await Api.asModerator(server.url)).createEvent({ password: 'press-only' })).slug;
  });
  afterAll(() => server.close());

  const post = (body: RequestInit['body'], headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/events/${slug}/join`, {
      method: 'POST',
      headers: { origin: 'https://elsewhere.example', ...headers },
      body,
    });
  const form = new URLSearchParams({ name: 'Ana García', outlet: 'El País', password: 'press-only' });
  const multipart = new FormData();
  for (const [key, value] of form) multipart.append(key, value);

  it.each([
    ['a urlencoded form', () => post(form)],
    ['a multipart form', () => post(multipart)],
    ['a text/plain form', () => post(JSON.stringify(Object.fromEntries(form)), { 'content-type': 'text/plain' })],
    ['an empty urlencoded form', () => post('', { 'content-type': 'application/x-www-form-urlencoded' })],
    ['JSON without saying so', () => post(JSON.stringify(Object.fromEntries(form)), { 'content-type': '' })],
    ['no body at all', () => post(undefined)],
  ])('refuses %s with 415 and a message, and sets no cookie', async (_, send) => {
    const response = await send();
    expect(response.status).toBe(415);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await response.json()).toEqual({
      statusCode: 415,
      error: 'unsupported_media_type',
      message: 'Send the request as JSON (Content-Type: application/json)',
    });
  });

  it('still joins with JSON, the way every page of ours sends it', async () => {
    const json = await post(JSON.stringify(Object.fromEntries(form)), {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(json.status).toBe(200);
    expect(((await json.json()) as JoinResponse).role).toBe('journalist');
    expect(json.headers.getSetCookie()).toHaveLength(1);
  });
});
