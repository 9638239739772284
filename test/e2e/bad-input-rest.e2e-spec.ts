/**
 * Bad REST bodies and paths: malformed JSON, wrong types, unknown fields, prototype keys, deep nesting,
 * oversized bodies and unknown slugs get a clear 4xx in the protocol's error shape, and change nothing.
 */
import { LIMITS, type ErrorCode, type EventDetails, type HttpErrorBody } from '@pressroom/protocol';
import { Api } from './harness/api';
import { uniqueSlug, suiteStage } from './harness/bad-input';

describe('bad input', () => {
  const suite = suiteStage();

  describe('REST bad input', () => {
    const startsAt = () => new Date(Date.now() + 3_600_000).toISOString();

    function expectHttpError(
      result: { status: number; body: unknown },
      status: number,
      code: ErrorCode,
      message?: RegExp,
    ): void {
      expect({ status: result.status, body: result.body }).toEqual({
        status,
        body: expect.objectContaining({ statusCode: status, error: code, message: expect.any(String) }),
      });
      const body = result.body as HttpErrorBody;
      expect(body.message.trim()).not.toBe('');
      expect(Object.keys(body).sort()).toEqual(
        ['error', 'message', 'statusCode', ...('retryAfterMs' in body ? ['retryAfterMs'] : [])].sort(),
      );
      if (message) expect(body.message).toMatch(message);
    }

    it('malformed JSON → 400 bad_request in the protocol error shape', async () => {
      const result = await suite.moderator.request('POST', '/api/events', '{"title": "Broken", "startsAt": ');
      expectHttpError(result, 400, 'bad_request');
    });

    it('a JSON body that is not an object (array, string, null, number) → 400 bad_request', async () => {
      const bodies = ['[]', '[{"title":"In an array"}]', '"just a string"', 'null', '42'];
      const results = [];
      for (const body of bodies) {
        const { status, body: reply } = await suite.moderator.request<HttpErrorBody>('POST', '/api/events', body);
        results.push({ body, status, error: reply.error });
      }
      expect(results).toEqual(bodies.map((body) => ({ body, status: 400, error: 'bad_request' })));
    });

    it('wrong types → 400 bad_request naming the fields', async () => {
      const result = await suite.moderator.request('POST', '/api/events', {
        title: 42,
        startsAt: 'next tuesday',
        questionsEnabled: 'yes',
        retentionHours: -1,
        chatMode: 'anarchy',
      });
      expectHttpError(result, 400, 'bad_request');
      for (const field of ['title', 'startsAt', 'questionsEnabled', 'retentionHours', 'chatMode']) {
        expect((result.body as HttpErrorBody).message).toContain(field);
      }
    });

    it('an extra field → 400 bad_request naming it, and no event is created', async () => {
      const slug = uniqueSlug('extra');
      const result = await suite.moderator.request('POST', '/api/events', {
        title: 'Extra',
        slug,
        startsAt: startsAt(),
        createdBy: 'me',
        status: 'live',
      });
      expectHttpError(result, 400, 'bad_request', /createdBy/);
      expect((result.body as HttpErrorBody).message).toMatch(/status/);
      expect((await suite.moderator.request('GET', `/api/events/${slug}`)).status).toBe(404);
    });

    it('a __proto__ key in the body → 400 bad_request, and no event is created', async () => {
      const slug = uniqueSlug('proto');
      const body = `{"title":"Proto","slug":"${slug}","startsAt":"${startsAt()}","__proto__":{"status":"live","passwordHash":null}}`;
      const result = await suite.moderator.request('POST', '/api/events', body);
      expectHttpError(result, 400, 'bad_request');
      expect((await suite.moderator.request('GET', `/api/events/${slug}`)).status).toBe(404);
    });

    it('a deeply nested value (5 000 levels) → 400 bad_request, not a 500', async () => {
      const body = `{"title":"Deep","startsAt":"${startsAt()}","description":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      expectHttpError(await suite.moderator.request('POST', '/api/events', body), 400, 'bad_request');
    });

    it(`a title over ${LIMITS.eventTitle} characters → 400 bad_request naming title`, async () => {
      const result = await suite.moderator.request('POST', '/api/events', {
        title: 't'.repeat(LIMITS.eventTitle + 1),
        startsAt: startsAt(),
      });
      expectHttpError(result, 400, 'bad_request', /title/);
    });

    it('a bad slug → 400 bad_request naming slug', async () => {
      for (const slug of ['UPPER', 'a', '-dash-', 'spaces in it', '../etc', 'x'.repeat(65)]) {
        const result = await suite.moderator.request('POST', '/api/events', {
          title: 'Slugs',
          slug,
          startsAt: startsAt(),
        });
        expectHttpError(result, 400, 'bad_request', /slug/);
      }
    });

    it('a body over the JSON size limit → 413 with a protocol error body', async () => {
      const result = await suite.moderator.request('POST', '/api/events', {
        title: 'Big',
        startsAt: startsAt(),
        description: 'd'.repeat(2_000_000),
      });
      expectHttpError(result, 413, 'bad_request', /too large/i);
    });

    it('PATCH with wrong types → 400 and the event is unchanged', async () => {
      const event = await suite.moderator.createEvent({ slug: uniqueSlug('patch'), title: 'Before' });
      const result = await suite.moderator.request('PATCH', `/api/events/${event.slug}`, {
        title: '',
        slowModeSeconds: 'fast',
        password: 5,
      });
      expectHttpError(result, 400, 'bad_request', /title/);
      const after = await suite.moderator.expectOk<EventDetails>('GET', `/api/events/${event.slug}/details`);
      expect(after).toMatchObject({ title: 'Before', slowModeSeconds: 0, passwordRequired: false });
    });

    it('join with wrong types → 400 bad_request naming the field', async () => {
      const event = await suite.moderator.createEvent({ slug: uniqueSlug('join-types') });
      const anonymous = new Api(suite.server.url);
      for (const [body, field] of [
        [{ name: 42, outlet: 'Daily' }, 'name'],
        [{ name: 'Ana', outlet: ['Daily'] }, 'outlet'],
        [{ password: { $ne: '' } }, 'password'],
        [{ invite: 123 }, 'invite'],
        [{ name: 'n'.repeat(LIMITS.displayName + 1) }, 'name'],
        [{ name: 'Ana', role: 'moderator' }, 'role'],
      ] as const) {
        expectHttpError(
          await anonymous.request('POST', `/api/events/${event.slug}/join`, body),
          400,
          'bad_request',
          new RegExp(field),
        );
      }
    });

    it('unknown slug → 404 not_found', async () => {
      const anonymous = new Api(suite.server.url);
      expectHttpError(await anonymous.request('GET', '/api/events/no-such-event'), 404, 'not_found', /not found/i);
      expectHttpError(await anonymous.request('POST', '/api/events/no-such-event/join', {}), 404, 'not_found');
      expectHttpError(await suite.moderator.request('GET', '/api/events/no-such-event/details'), 404, 'not_found');
      expectHttpError(
        await suite.moderator.request('PATCH', '/api/events/no-such-event', { title: 'x' }),
        404,
        'not_found',
      );
      expectHttpError(await suite.moderator.request('GET', `/api/events/${'x'.repeat(500)}`), 404, 'not_found');
      expectHttpError(
        await anonymous.request('GET', `/api/events/${encodeURIComponent("x' OR '1'='1")}`),
        404,
        'not_found',
      );
    });

    it('an unknown route → 404 not_found in the protocol error shape', async () => {
      expectHttpError(await new Api(suite.server.url).request('GET', '/api/nothing-here'), 404, 'not_found');
    });

    it('the server is still healthy after all of that', async () => {
      expect((await new Api(suite.server.url).request('GET', '/health')).status).toBe(200);
    });
  });
});
