/**
 * Tokens and roles against the real server: forged, expired and misused tokens on the socket and on REST,
 * event passwords, audience roles, speaker invites and their revocation, moderator sign-in and its rate limit.
 */
import Database from 'better-sqlite3';
import jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  LIVE_NAMESPACE,
  type ActionError,
  type ErrorCode,
  type EventDetails,
  type HttpErrorBody,
  type JoinResponse,
  type LiveState,
  type PublicEvent,
  type SpeakerInviteView,
} from '@pressroom/protocol';
import { io } from 'socket.io-client';
import { Api, type HttpResult } from './harness/api';
import { LiveClient } from './harness/live-client';
import { ADMIN, startServer, type TestServer } from './harness/server';

jest.setTimeout(60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const uniqueSlug = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);

type Outcome = { connected: true; state: LiveState } | { connected: false; message: string; data?: ActionError };

/** Tries to open `/live` with exactly this handshake `auth` (or none) and reports what the client saw. */
function tryConnect(url: string, auth?: unknown): Promise<Outcome> {
  const socket = io(url + LIVE_NAMESPACE, {
    ...(auth === undefined ? {} : { auth: auth as Record<string, unknown> }),
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
      socket.close();
    };
    const timer = setTimeout(() => done({ connected: false, message: 'no answer within 5 s' }), 5000);
    socket.once('connect_error', (error: Error & { data?: ActionError }) =>
      done({ connected: false, message: error.message, data: error.data }),
    );
    socket.once('state', (state: LiveState) => done({ connected: true, state }));
    socket.once('disconnect', (reason: string) => done({ connected: false, message: `disconnected: ${reason}` }));
  });
}

function expectRefused(outcome: Outcome, code: ErrorCode, message?: RegExp): void {
  expect(outcome).toEqual({
    connected: false,
    message: expect.any(String),
    data: { code, message: expect.any(String) },
  });
  if (outcome.connected) return;
  expect(outcome.data!.message.trim()).not.toBe('');
  expect(outcome.message).toBe(outcome.data!.message);
  if (message) expect(outcome.data!.message).toMatch(message);
}

function expectHttpError(result: HttpResult, status: number, code: ErrorCode, message?: RegExp): void {
  expect({ status: result.status, body: result.body }).toEqual({
    status,
    body: expect.objectContaining({ statusCode: status, error: code, message: expect.any(String) }),
  });
  const body = result.body as HttpErrorBody;
  expect(body.message.trim()).not.toBe('');
  if (message) expect(body.message).toMatch(message);
}

/** The signing key the server generated and keeps in its database. */
function signingKeyOf(server: TestServer): string {
  const db = new Database(join(server.dataDir, 'pressroom.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT value FROM app_secret WHERE name = ?').get('token_signing_key') as
      { value: string } | undefined;
    if (!row) throw new Error('no token_signing_key in app_secret');
    return row.value;
  } finally {
    db.close();
  }
}

describe('access: tokens and roles', () => {
  let server: TestServer;
  let moderator: Api;
  let anonymous: Api;
  let secret: string;
  let eventA: EventDetails;
  let eventB: EventDetails;
  let journalistA: JoinResponse;
  let viewerB: JoinResponse;

  beforeAll(async () => {
    server = await startServer();
    moderator = await Api.asModerator(server.url);
    anonymous = new Api(server.url);
    eventA = await moderator.createEvent({ slug: uniqueSlug('access-a'), title: 'Event A' });
    eventB = await moderator.createEvent({ slug: uniqueSlug('access-b'), title: 'Event B' });
    journalistA = await anonymous.join(eventA.slug, { name: 'Ana', outlet: 'El País' });
    viewerB = await anonymous.join(eventB.slug, {});
    secret = signingKeyOf(server);
  });
  afterAll(() => server?.close());

  const accessClaims = (overrides: Record<string, unknown> = {}) => ({
    typ: 'access',
    sub: journalistA.participantId,
    eid: eventA.id,
    role: 'journalist',
    ...overrides,
  });

  // -------------------------------------------------------------------------------------------------------

  describe('socket tokens', () => {
    it('control: the genuine access token connects as the journalist it was issued to', async () => {
      const outcome = await tryConnect(server.url, { token: journalistA.accessToken });
      expect(outcome).toMatchObject({
        connected: true,
        state: { me: { role: 'journalist', name: 'Ana', participantId: journalistA.participantId } },
      });
    });

    it('control: a token we sign with the real secret (read from app_secret) is accepted', async () => {
      const token = jwt.sign(accessClaims(), secret, { algorithm: 'HS256', expiresIn: 600 });
      expect(await tryConnect(server.url, { token })).toMatchObject({
        connected: true,
        state: { me: { participantId: journalistA.participantId } },
      });
    });

    const forged: Array<[string, () => unknown, RegExp?]> = [
      [
        'signed with another secret',
        () => jwt.sign(accessClaims(), 'not-the-server-secret-but-long-enough-000000', { expiresIn: 600 }),
        /not valid/,
      ],
      [
        'alg "none", no signature',
        () =>
          `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...accessClaims(), iat: nowSeconds(), exp: nowSeconds() + 600 })}.`,
        /not valid/,
      ],
      [
        'a real token re-headed as alg "none" with its signature dropped',
        () => {
          const [, payload] = journalistA.accessToken.split('.');
          return `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`;
        },
        /not valid/,
      ],
      [
        'a real token whose payload was edited (role → moderator) keeping the signature',
        () => {
          const [header, payload, signature] = journalistA.accessToken.split('.');
          const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
          return `${header}.${b64({ ...claims, role: 'moderator' })}.${signature}`;
        },
        /not valid/,
      ],
      [
        'HS512 with the real secret (algorithm not allowed)',
        () => jwt.sign(accessClaims(), secret, { algorithm: 'HS512', expiresIn: 600 }),
        /not valid/,
      ],
      ['garbage', () => 'garbage', /not valid/],
      ['three dots of garbage', () => 'a.b.c', /not valid/],
      ['"Bearer " + a real token', () => `Bearer ${journalistA.accessToken}`, /not valid/],
      ['an empty string', () => '', /required/],
      ['5 000 characters', () => 'x'.repeat(5000), /required|not valid/],
      ['a number', () => 12345, /required/],
      ['an object', () => ({ token: journalistA.accessToken }), /required/],
      ['an array holding a real token', () => [journalistA.accessToken], /required/],
      ['null', () => null, /required/],
      ['a moderator login token', () => moderator.bearer, /access/],
      [
        'a speaker invite token',
        async () => (await moderator.inviteSpeaker(eventA.slug, 'Invited Irene')).inviteToken,
        /access/,
      ],
      [
        'real secret, a participant that does not exist',
        () => jwt.sign(accessClaims({ sub: randomUUID() }), secret, { expiresIn: 600 }),
        /no longer valid/,
      ],
      [
        "real secret, A's journalist claiming event B",
        () => jwt.sign(accessClaims({ eid: eventB.id }), secret, { expiresIn: 600 }),
        /no longer valid/,
      ],
      [
        'real secret, but typ "moderator"',
        () => jwt.sign({ typ: 'moderator', sub: journalistA.participantId }, secret, { expiresIn: 600 }),
        /access/,
      ],
      [
        'real secret, no typ at all',
        () => jwt.sign({ sub: journalistA.participantId, eid: eventA.id }, secret, { expiresIn: 600 }),
        /access/,
      ],
    ];

    it.each(forged)('%s → connect_error unauthorized', async (_, make, message) => {
      const token = await make();
      expectRefused(await tryConnect(server.url, { token }), 'unauthorized', message);
    });

    it('no auth at all, or auth without a token → connect_error unauthorized', async () => {
      expectRefused(await tryConnect(server.url), 'unauthorized', /required/);
      expectRefused(await tryConnect(server.url, {}), 'unauthorized', /required/);
    });

    it('an expired access token (real secret) → connect_error unauthorized, saying it expired', async () => {
      const token = jwt.sign({ ...accessClaims(), iat: nowSeconds() - 7200, exp: nowSeconds() - 60 }, secret, {
        algorithm: 'HS256',
      });
      expectRefused(await tryConnect(server.url, { token }), 'unauthorized', /expired/i);
    });

    it('the harness LiveClient sees the same refusal: rejects with data.code', async () => {
      const error = (await LiveClient.connect(server.url, 'garbage').then(
        (client) => {
          client.close();
          return null;
        },
        (e: Error & { data?: ActionError }) => e,
      )) as (Error & { data?: ActionError }) | null;
      expect(error?.data).toMatchObject({ code: 'unauthorized' });
    });

    it('the role inside a validly signed token is not trusted: the journalist stays a journalist', async () => {
      const token = jwt.sign(accessClaims({ role: 'moderator' }), secret, { expiresIn: 600 });
      const outcome = await tryConnect(server.url, { token });
      expect(outcome).toMatchObject({
        connected: true,
        state: { me: { role: 'journalist' }, counters: null, hands: [] },
      });
    });

    it('a refusal names the expected token kind in plain English ("an access token")', async () => {
      const outcome = await tryConnect(server.url, { token: moderator.bearer });
      expectRefused(outcome, 'unauthorized', /^Expected an access token$/);
    });

    it('the server keeps serving after all the refused handshakes', async () => {
      const client = await LiveClient.connect(server.url, journalistA.accessToken);
      try {
        const reply = await client.send('question:ask', { text: 'Still open for business?' });
        expect(reply.ok).toBe(true);
      } finally {
        client.close();
      }
    });
  });

  // -------------------------------------------------------------------------------------------------------

  describe('REST tokens', () => {
    const moderatorEndpoints = (slug: string): Array<[string, string, unknown?]> => [
      ['GET', '/api/events'],
      ['POST', '/api/events', { title: 'Sneaky', startsAt: new Date(Date.now() + 3_600_000).toISOString() }],
      ['GET', `/api/events/${slug}/details`],
      ['PATCH', `/api/events/${slug}`, { title: 'Hijacked' }],
      ['POST', `/api/events/${slug}/start`],
      ['POST', `/api/events/${slug}/end`],
      ['GET', `/api/events/${slug}/speakers`],
      ['POST', `/api/events/${slug}/speakers`, { name: 'Mallory' }],
      ['DELETE', `/api/events/${slug}/speakers/${randomUUID()}`],
      ['GET', `/api/events/${slug}/transcript`],
      ['GET', '/api/moderators'],
      ['POST', '/api/moderators', { email: 'mallory@example.org', password: 'long enough password' }],
    ];

    async function refusedEverywhere(headers: Record<string, string>, message?: RegExp): Promise<void> {
      const endpoints = moderatorEndpoints(eventA.slug);
      const results = [];
      for (const [method, path, body] of endpoints) {
        const result = await anonymous.request<HttpErrorBody>(method, path, body, headers);
        results.push({
          call: `${method} ${path}`,
          status: result.status,
          error: result.body.error,
          messageOk: message ? message.test(result.body.message) : true,
        });
      }
      expect(results).toEqual(
        endpoints.map(([method, path]) => ({
          call: `${method} ${path}`,
          status: 401,
          error: 'unauthorized',
          messageOk: true,
        })),
      );
    }

    it('without a token → 401 unauthorized on every moderator endpoint', async () => {
      await refusedEverywhere({}, /sign in/i);
    });

    it('with a garbage token → 401', () => refusedEverywhere({ authorization: 'Bearer garbage' }, /not valid/));

    it('with another scheme (Basic) → 401', () =>
      refusedEverywhere({
        authorization: `Basic ${Buffer.from(`${ADMIN.email}:${ADMIN.password}`).toString('base64')}`,
      }));

    it('with a moderator token signed by another secret → 401', async () => {
      const { sub } = jwt.decode(moderator.bearer!) as { sub: string };
      await refusedEverywhere(
        { authorization: `Bearer ${jwt.sign({ typ: 'moderator', sub }, 'x'.repeat(48), { expiresIn: 600 })}` },
        /not valid/,
      );
    });

    it('with an unsigned (alg none) moderator token → 401', async () => {
      const { sub } = jwt.decode(moderator.bearer!) as { sub: string };
      const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ typ: 'moderator', sub, iat: nowSeconds(), exp: nowSeconds() + 600 })}.`;
      await refusedEverywhere({ authorization: `Bearer ${token}` }, /not valid/);
    });

    it('with an expired moderator token (real secret) → 401 saying it expired', async () => {
      const { sub } = jwt.decode(moderator.bearer!) as { sub: string };
      const token = jwt.sign({ typ: 'moderator', sub, iat: nowSeconds() - 7200, exp: nowSeconds() - 1 }, secret);
      await refusedEverywhere({ authorization: `Bearer ${token}` }, /expired/i);
    });

    it('with a real-secret moderator token of an account that does not exist → 401', async () => {
      const token = jwt.sign({ typ: 'moderator', sub: randomUUID() }, secret, { expiresIn: 600 });
      await refusedEverywhere({ authorization: `Bearer ${token}` }, /no longer exists/);
    });

    it('with an audience access token (of this event or another) → 401', async () => {
      await refusedEverywhere({ authorization: `Bearer ${journalistA.accessToken}` }, /moderator/);
      await refusedEverywhere({ authorization: `Bearer ${viewerB.accessToken}` }, /moderator/);
    });

    it('with a speaker invite token → 401', async () => {
      const invite = await moderator.inviteSpeaker(eventA.slug, 'Invited Ivan');
      await refusedEverywhere({ authorization: `Bearer ${invite.inviteToken}` }, /moderator/);
    });

    it('an access token of event B used as bearer to join event A → 401, no moderator seat', async () => {
      const result = await anonymous.request(
        'POST',
        `/api/events/${eventA.slug}/join`,
        {},
        { authorization: `Bearer ${viewerB.accessToken}` },
      );
      expectHttpError(result, 401, 'unauthorized');
    });

    it('none of the refused calls changed anything', async () => {
      const details = await moderator.expectOk<EventDetails>('GET', `/api/events/${eventA.slug}/details`);
      expect(details).toMatchObject({ title: 'Event A', status: 'scheduled' });
      const moderators = await moderator.expectOk<Array<{ email: string }>>('GET', '/api/moderators');
      expect(moderators.map((m) => m.email)).toEqual([ADMIN.email]);
      const events = await moderator.expectOk<EventDetails[]>('GET', '/api/events');
      expect(events.map((e) => e.title)).not.toContain('Sneaky');
      const speakers = await moderator.expectOk<SpeakerInviteView[]>('GET', `/api/events/${eventA.slug}/speakers`);
      expect(speakers.map((s) => s.name)).not.toContain('Mallory');
    });

    it('the public event page needs no token and leaks no secrets', async () => {
      const { status, body } = await anonymous.request<PublicEvent & Record<string, unknown>>(
        'GET',
        `/api/events/${eventA.slug}`,
      );
      expect(status).toBe(200);
      expect(body.slug).toBe(eventA.slug);
      for (const key of ['passwordHash', 'createdBy', 'id', 'stats']) expect(body).not.toHaveProperty(key);
    });
  });

  // -------------------------------------------------------------------------------------------------------

  describe('moderator sign-in', () => {
    it('a wrong password → 401 unauthorized, and an unknown email gets the very same answer', async () => {
      const wrong = await anonymous.request<HttpErrorBody>('POST', '/api/auth/login', {
        email: ADMIN.email,
        password: 'not the password',
      });
      expectHttpError(wrong, 401, 'unauthorized', /wrong email or password/i);
      const unknown = await anonymous.request('POST', '/api/auth/login', {
        email: 'nobody@example.org',
        password: 'not the password',
      });
      expect(unknown).toEqual(wrong);
      const caseVariant = await anonymous.request('POST', '/api/auth/login', {
        email: ADMIN.email,
        password: ADMIN.password.toUpperCase(),
      });
      expect(caseVariant).toEqual(wrong);
    });

    it('malformed logins → 400 bad_request', async () => {
      expectHttpError(
        await anonymous.request('POST', '/api/auth/login', { email: 'not-an-email', password: 'x' }),
        400,
        'bad_request',
        /email/,
      );
      expectHttpError(
        await anonymous.request('POST', '/api/auth/login', { email: ADMIN.email }),
        400,
        'bad_request',
        /password/,
      );
      expectHttpError(
        await anonymous.request('POST', '/api/auth/login', { email: ADMIN.email, password: 42 }),
        400,
        'bad_request',
        /password/,
      );
    });

    it('the right password signs in, with an expiry in the future', async () => {
      const { status, body } = await anonymous.request<{ accessToken: string; expiresAt: string }>(
        'POST',
        '/api/auth/login',
        ADMIN,
      );
      expect(status).toBe(200);
      expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
      expect((jwt.decode(body.accessToken) as { typ: string }).typ).toBe('moderator');
    });

    it('a moderator joining an event with their bearer token gets role moderator, once per event', async () => {
      const first = await moderator.join(eventA.slug);
      expect(first.role).toBe('moderator');
      const again = await moderator.join(eventA.slug, { name: 'Somebody Else', outlet: 'Elsewhere' });
      expect(again).toMatchObject({ role: 'moderator', participantId: first.participantId });
      const client = await LiveClient.connect(server.url, first.accessToken);
      try {
        expect(client.state.me).toMatchObject({ role: 'moderator', participantId: first.participantId });
        expect(client.state.counters).not.toBeNull();
        const reply = await client.send('question:onAir', { questionId: null });
        expect(reply).toEqual({ ok: true });
      } finally {
        client.close();
      }
    });
  });

  // -------------------------------------------------------------------------------------------------------

  describe('event passwords', () => {
    let locked: EventDetails;
    beforeAll(async () => {
      locked = await moderator.createEvent({ slug: uniqueSlug('locked'), title: 'Locked', password: 'open sesame' });
    });

    it('the public page says a password is required, without leaking it', async () => {
      const { body } = await anonymous.request<PublicEvent>('GET', `/api/events/${locked.slug}`);
      expect(body.passwordRequired).toBe(true);
      expect(JSON.stringify(body)).not.toContain('sesame');
      expect(JSON.stringify(body)).not.toContain('scrypt');
    });

    it('join without a password → 401 password_required', async () => {
      expectHttpError(
        await anonymous.request('POST', `/api/events/${locked.slug}/join`, { name: 'Ana', outlet: 'El País' }),
        401,
        'password_required',
        /password/i,
      );
      expectHttpError(await anonymous.request('POST', `/api/events/${locked.slug}/join`, {}), 401, 'password_required');
    });

    it('join with a wrong password → 401 wrong_password', async () => {
      for (const password of ['open sesame!', 'OPEN SESAME', ' open sesame', 'x', 'p'.repeat(200)]) {
        expectHttpError(
          await anonymous.request('POST', `/api/events/${locked.slug}/join`, { password }),
          401,
          'wrong_password',
          /password/i,
        );
      }
    });

    it('join with the right password → 200', async () => {
      const { status, body } = await anonymous.request<JoinResponse>('POST', `/api/events/${locked.slug}/join`, {
        password: 'open sesame',
        name: 'Ana',
        outlet: 'El País',
      });
      expect(status).toBe(200);
      expect(body.role).toBe('journalist');
      const client = await LiveClient.connect(server.url, body.accessToken);
      expect(client.state.event).toMatchObject({ slug: locked.slug, passwordRequired: true });
      client.close();
    });

    it('moderators and invited speakers need no audience password', async () => {
      expect((await moderator.join(locked.slug)).role).toBe('moderator');
      const invite = await moderator.inviteSpeaker(locked.slug, 'Sofía Speaker');
      expect((await anonymous.join(locked.slug, { invite: invite.inviteToken })).role).toBe('speaker');
    });

    it('a changed password locks out the old one; removing it opens the event', async () => {
      await moderator.expectOk('PATCH', `/api/events/${locked.slug}`, { password: 'new secret' });
      expectHttpError(
        await anonymous.request('POST', `/api/events/${locked.slug}/join`, { password: 'open sesame' }),
        401,
        'wrong_password',
      );
      expect(
        (await anonymous.request('POST', `/api/events/${locked.slug}/join`, { password: 'new secret' })).status,
      ).toBe(200);
      await moderator.expectOk('PATCH', `/api/events/${locked.slug}`, { password: null });
      expect((await anonymous.request('POST', `/api/events/${locked.slug}/join`, {})).status).toBe(200);
    });
  });

  // -------------------------------------------------------------------------------------------------------

  describe('audience roles from name and outlet', () => {
    it('name + outlet → journalist, with both in the state', async () => {
      const joined = await anonymous.join(eventA.slug, { name: '  Bea  ', outlet: ' Le Monde ' });
      expect(joined.role).toBe('journalist');
      const client = await LiveClient.connect(server.url, joined.accessToken);
      expect(client.state.me).toMatchObject({ role: 'journalist', name: 'Bea', outlet: 'Le Monde' });
      expect((await client.send('question:ask', { text: 'A journalist may ask?' })).ok).toBe(true);
      client.close();
    });

    it('a name alone → viewer with that name, who may chat but not ask', async () => {
      const joined = await anonymous.join(eventA.slug, { name: 'Carl' });
      expect(joined.role).toBe('viewer');
      const client = await LiveClient.connect(server.url, joined.accessToken);
      expect(client.state.me).toMatchObject({ role: 'viewer', name: 'Carl', outlet: null });
      const asked = await client.send('question:ask', { text: 'May a viewer ask?' });
      expect(asked).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      client.close();
    });

    it('nothing at all → an anonymous viewer', async () => {
      const joined = await anonymous.join(eventA.slug, {});
      expect(joined.role).toBe('viewer');
      const client = await LiveClient.connect(server.url, joined.accessToken);
      expect(client.state.me).toMatchObject({ role: 'viewer', name: null, outlet: null });
      client.close();
    });

    it('an outlet without a name → 400 bad_request asking for the name', async () => {
      expectHttpError(
        await anonymous.request('POST', `/api/events/${eventA.slug}/join`, { outlet: 'Reuters' }),
        400,
        'bad_request',
        /name/i,
      );
    });

    it('a blank name or outlet → 400 bad_request', async () => {
      expectHttpError(
        await anonymous.request('POST', `/api/events/${eventA.slug}/join`, { name: '   ', outlet: 'Reuters' }),
        400,
        'bad_request',
        /name/,
      );
      expectHttpError(
        await anonymous.request('POST', `/api/events/${eventA.slug}/join`, { name: 'Dora', outlet: '  ' }),
        400,
        'bad_request',
        /outlet/,
      );
    });

    it('the audience cannot ask for a role', async () => {
      expectHttpError(
        await anonymous.request('POST', `/api/events/${eventA.slug}/join`, { name: 'Eve', role: 'moderator' }),
        400,
        'bad_request',
        /role/,
      );
    });
  });

  // -------------------------------------------------------------------------------------------------------

  describe('speaker invites', () => {
    let studio: EventDetails;
    beforeAll(async () => {
      studio = await moderator.createEvent({ slug: uniqueSlug('studio'), title: 'Studio' });
    });

    it("joining with an invite → role speaker with the invite's name (whatever name is sent)", async () => {
      const invite = await moderator.inviteSpeaker(studio.slug, 'Minister Mora');
      expect(invite.inviteUrl).toContain(encodeURIComponent(studio.slug));
      const joined = await anonymous.join(studio.slug, {
        invite: invite.inviteToken,
        name: 'Impostor',
        outlet: 'Fake News',
      });
      expect(joined.role).toBe('speaker');
      const again = await anonymous.join(studio.slug, { invite: invite.inviteToken });
      expect(again.participantId).toBe(joined.participantId);
      const client = await LiveClient.connect(server.url, joined.accessToken);
      expect(client.state.me).toMatchObject({ role: 'speaker', name: 'Minister Mora', outlet: null });
      client.close();
    });

    it('an invite of another event → 401 unauthorized', async () => {
      const other = await moderator.inviteSpeaker(eventB.slug, 'Other Otto');
      expectHttpError(
        await anonymous.request('POST', `/api/events/${studio.slug}/join`, { invite: other.inviteToken }),
        401,
        'unauthorized',
        /not for this event/,
      );
      // …and it still works where it belongs.
      expect((await anonymous.join(eventB.slug, { invite: other.inviteToken })).role).toBe('speaker');
    });

    it('a forged or misused invite → 401 unauthorized', async () => {
      const real = await moderator.inviteSpeaker(studio.slug, 'Real Rita');
      const { sub, eid } = jwt.decode(real.inviteToken) as { sub: string; eid: string };
      const cases = [
        'garbage',
        jwt.sign({ typ: 'invite', sub, eid }, 'x'.repeat(48)),
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ typ: 'invite', sub, eid })}.`,
        journalistA.accessToken,
        moderator.bearer!,
        jwt.sign({ typ: 'invite', sub: randomUUID(), eid: studio.id }, secret),
      ];
      for (const invite of cases) {
        expectHttpError(
          await anonymous.request('POST', `/api/events/${studio.slug}/join`, { invite }),
          401,
          'unauthorized',
        );
      }
    });

    it('revoking an invite disconnects its speaker, whose token and invite then fail with invite_revoked', async () => {
      const invite = await moderator.inviteSpeaker(studio.slug, 'Revoked Rob');
      const joined = await anonymous.join(studio.slug, { invite: invite.inviteToken });
      const speaker = await LiveClient.connect(server.url, joined.accessToken);
      const bystanderJoin = await anonymous.join(studio.slug, { name: 'Bystander', outlet: 'Wire' });
      const bystander = await LiveClient.connect(server.url, bystanderJoin.accessToken);
      const disconnected = new Promise<string>((resolve) => speaker.socket.once('disconnect', resolve));

      const revoked = await moderator.expectOk<SpeakerInviteView>(
        'DELETE',
        `/api/events/${studio.slug}/speakers/${invite.id}`,
      );
      expect(revoked.revokedAt).not.toBeNull();

      expect(await Promise.race([disconnected, sleep(3000).then(() => 'still connected')])).toBe(
        'io server disconnect',
      );
      expectRefused(await tryConnect(server.url, { token: joined.accessToken }), 'invite_revoked', /revoked/);
      expectHttpError(
        await anonymous.request('POST', `/api/events/${studio.slug}/join`, { invite: invite.inviteToken }),
        401,
        'invite_revoked',
        /revoked/,
      );

      const listed = await moderator.expectOk<SpeakerInviteView[]>('GET', `/api/events/${studio.slug}/speakers`);
      expect(listed.find((s) => s.id === invite.id)?.revokedAt).toBe(revoked.revokedAt);
      // Others are not affected.
      expect(bystander.socket.connected).toBe(true);
      expect((await bystander.send('chat:send', { text: 'Still here' })).ok).toBe(true);
      bystander.close();
      speaker.close();
    });

    it('revoking twice keeps the first revocation time', async () => {
      const invite = await moderator.inviteSpeaker(studio.slug, 'Twice Tom');
      const first = await moderator.expectOk<SpeakerInviteView>(
        'DELETE',
        `/api/events/${studio.slug}/speakers/${invite.id}`,
      );
      await sleep(20);
      const second = await moderator.expectOk<SpeakerInviteView>(
        'DELETE',
        `/api/events/${studio.slug}/speakers/${invite.id}`,
      );
      expect(second.revokedAt).toBe(first.revokedAt);
    });

    it("revoking an unknown invite, or another event's invite through this event → 404, and that invite still works", async () => {
      expectHttpError(
        await moderator.request('DELETE', `/api/events/${studio.slug}/speakers/${randomUUID()}`),
        404,
        'not_found',
      );
      expectHttpError(
        await moderator.request('DELETE', `/api/events/${studio.slug}/speakers/not-a-uuid`),
        404,
        'not_found',
      );
      const other = await moderator.inviteSpeaker(eventB.slug, 'Safe Sam');
      expectHttpError(
        await moderator.request('DELETE', `/api/events/${studio.slug}/speakers/${other.id}`),
        404,
        'not_found',
      );
      expect((await anonymous.join(eventB.slug, { invite: other.inviteToken })).role).toBe('speaker');
    });

    it('the audience cannot invite or revoke speakers', async () => {
      const invite = await moderator.inviteSpeaker(studio.slug, 'Kept Kim');
      expectHttpError(
        await anonymous.request('DELETE', `/api/events/${studio.slug}/speakers/${invite.id}`),
        401,
        'unauthorized',
      );
      const bearer = { authorization: `Bearer ${journalistA.accessToken}` };
      expectHttpError(
        await anonymous.request('DELETE', `/api/events/${studio.slug}/speakers/${invite.id}`, undefined, bearer),
        401,
        'unauthorized',
      );
      expectHttpError(
        await anonymous.request('POST', `/api/events/${studio.slug}/speakers`, { name: 'Self Invited' }, bearer),
        401,
        'unauthorized',
      );
      expect((await anonymous.join(studio.slug, { invite: invite.inviteToken })).role).toBe('speaker');
    });
  });

  // -------------------------------------------------------------------------------------------------------

  describe('bans', () => {
    it('a banned journalist is told, disconnected, and refused with banned on reconnect', async () => {
      const event = await moderator.createEvent({ slug: uniqueSlug('bans'), title: 'Bans' });
      const mod = await LiveClient.connect(server.url, (await moderator.join(event.slug)).accessToken);
      const joined = await anonymous.join(event.slug, { name: 'Troll', outlet: 'Trolls Daily' });
      const troll = await LiveClient.connect(server.url, joined.accessToken);
      const banned = troll.next('user:banned');
      const disconnected = new Promise<string>((resolve) => troll.socket.once('disconnect', resolve));
      expect(await mod.send('user:ban', { participantId: joined.participantId })).toEqual({ ok: true });
      expect((await banned).reason).toMatch(/moderator/i);
      expect(await disconnected).toBe('io server disconnect');
      expectRefused(await tryConnect(server.url, { token: joined.accessToken }), 'banned', /removed/);
      mod.close();
    });

    it('a speaker cannot be banned (revoke the invite instead)', async () => {
      const event = await moderator.createEvent({ slug: uniqueSlug('ban-speaker'), title: 'Ban speaker' });
      const mod = await LiveClient.connect(server.url, (await moderator.join(event.slug)).accessToken);
      const invite = await moderator.inviteSpeaker(event.slug, 'Protected Pat');
      const speaker = await anonymous.join(event.slug, { invite: invite.inviteToken });
      const reply = await mod.send('user:ban', { participantId: speaker.participantId });
      expect(reply).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: expect.stringMatching(/revoke/) },
      });
      expect((await tryConnect(server.url, { token: speaker.accessToken })).connected).toBe(true);
      mod.close();
    });
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('access with a known PRESSROOM_SECRET', () => {
  const SECRET = 'a-known-test-secret-that-is-at-least-32-characters';
  let server: TestServer;
  let joined: JoinResponse;
  let eventId: string;

  beforeAll(async () => {
    server = await startServer({ PRESSROOM_SECRET: SECRET });
    const moderator = await Api.asModerator(server.url);
    const event = await moderator.createEvent({ slug: uniqueSlug('known-secret') });
    eventId = event.id;
    joined = await new Api(server.url).join(event.slug, { name: 'Kai', outlet: 'Kiosk' });
  });
  afterAll(() => server?.close());

  it('tokens are signed with it: one we sign connects, an expired one is refused as expired', async () => {
    const claims = { typ: 'access', sub: joined.participantId, eid: eventId, role: 'journalist' };
    expect(await tryConnect(server.url, { token: jwt.sign(claims, SECRET, { expiresIn: 60 }) })).toMatchObject({
      connected: true,
    });
    const expired = jwt.sign({ ...claims, exp: nowSeconds() - 5 }, SECRET);
    expectRefused(await tryConnect(server.url, { token: expired }), 'unauthorized', /expired/i);
  });

  it('a token that expires while connected cannot be used for a new connection', async () => {
    const claims = { typ: 'access', sub: joined.participantId, eid: eventId, role: 'journalist' };
    const shortLived = jwt.sign({ ...claims, exp: nowSeconds() + 2 }, SECRET);
    const client = await LiveClient.connect(server.url, shortLived);
    client.close();
    await sleep(3100);
    expectRefused(await tryConnect(server.url, { token: shortLived }), 'unauthorized', /expired/i);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('login rate limit (LOGIN_RATE_LIMIT_PER_MINUTE=3)', () => {
  let server: TestServer;
  let event: EventDetails;

  beforeAll(async () => {
    server = await startServer({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    // Sign in before the limited attempts below (this counts as one of the three).
    const moderator = await Api.asModerator(server.url);
    event = await moderator.createEvent({ slug: uniqueSlug('throttle') });
  });
  afterAll(() => server?.close());

  const login = (password: string) =>
    fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN.email, password }),
    });

  it('after 3 attempts a minute the next one → 429, even with the right password', async () => {
    expect((await login('wrong one')).status).toBe(401);
    expect((await login('wrong two')).status).toBe(401);
    expect((await login(ADMIN.password)).status).toBe(429);
    expect((await login('wrong three')).status).toBe(429);
  });

  it('the 429 carries the protocol error body (rate_limited) and says when to retry', async () => {
    // Self-contained: exhaust this minute's budget if the test before did not.
    let response = await login(ADMIN.password);
    for (let i = 0; i < 4 && response.status !== 429; i++) response = await login('wrong again');
    expect(response.status).toBe(429);
    const body = (await response.json()) as HttpErrorBody;
    const retryAfter = Number(response.headers.get('retry-after'));
    expect({
      body,
      readableMessage: !/exception/i.test(body.message),
      retryHint: retryAfter > 0 || (body.retryAfterMs ?? 0) > 0,
    }).toEqual({
      body: expect.objectContaining({ statusCode: 429, error: 'rate_limited', message: expect.any(String) }),
      readableMessage: true,
      retryHint: true,
    });
  });

  it('the login limit does not block the audience or public pages', async () => {
    const anonymous = new Api(server.url);
    expect((await anonymous.request('GET', `/api/events/${event.slug}`)).status).toBe(200);
    expect((await anonymous.join(event.slug, { name: 'Lea', outlet: 'Local' })).role).toBe('journalist');
    expect((await anonymous.request('GET', '/health')).status).toBe(200);
  });
});
