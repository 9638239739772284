/**
 * Control characters (C0 with NUL, DEL, C1) in every string field of every realtime action and REST
 * endpoint: whatever the rule for a field (refused, or stripped: see the suite of that rule), the server
 * never fails on them. Every action gets an acknowledgement that is ok, or a clear refusal that is not
 * `internal`; every request a status below 500, and a 4xx in the protocol's error shape. Afterwards the
 * server is healthy, what was accepted reads back (state, transcript), and a new client joins and hears
 * what happens.
 */
import { randomUUID } from 'node:crypto';
import {
  CLIENT_ACTIONS,
  ERROR_CODES,
  type ClientActionName,
  type EventDetails,
  type HttpErrorBody,
  type Transcript,
} from '@pressroom/protocol';
import { Api, type HttpResult } from './harness/api';
import { castFor, closeCast, emitAck, ROLES, senderOf, type Cast, type Reply, suiteStage } from './harness/bad-input';
import { CONTROL_CHARACTERS, controlString, FIELDS, Rng, type FieldKind } from './harness/junk';
import { LiveClient } from './harness/live-client';
import { ADMIN } from './harness/server';

const SEED = 0xc0_c1_7f;
/** Control-character strings tried in each field. */
const PER_FIELD = 6;
/** Field kinds that hold a string (or strings), as `FIELDS` in harness/junk.ts names them. */
const STRING_KINDS: readonly FieldKind[] = [
  'id',
  'nullableId',
  'text',
  'topic',
  'ids',
  'direction',
  'mediaKind',
  'source',
];

/** The strings tried in one field: every control character appears in some field's strings. */
function controlStrings(rng: Rng, maxLength = 60): string[] {
  return Array.from({ length: PER_FIELD }, () => controlString(rng, maxLength));
}

/** An acknowledgement that is ok, or a refusal with a known code other than `internal` and a message. */
function expectClean(reply: Reply): void {
  if (reply.ok) return;
  expect(ERROR_CODES).toContain(reply.error.code);
  expect(reply.error.code).not.toBe('internal');
  expect(reply.error.message.trim()).not.toBe('');
}

/** Below 500; a 4xx carries the protocol's error shape. */
function expectNoServerError(result: HttpResult, what: string): void {
  expect({ what, status: result.status, below500: result.status < 500 }).toEqual({
    what,
    status: result.status,
    below500: true,
  });
  if (result.status < 400) return;
  const body = result.body as HttpErrorBody;
  expect({ what, statusCode: body.statusCode, known: (ERROR_CODES as readonly string[]).includes(body.error) }).toEqual(
    {
      what,
      statusCode: result.status,
      known: true,
    },
  );
  expect(body.message.trim()).not.toBe('');
}

describe('bad input: control characters in every string field', () => {
  const suite = suiteStage({
    CHAT_RATE_LIMIT: '100000',
    QUESTION_RATE_LIMIT: '100000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
  });

  it('the strings tried hold every C0 and C1 control character, NUL and DEL included', () => {
    const rng = new Rng(SEED);
    const seen = new Set(Array.from({ length: 400 }, () => controlString(rng)).join(''));
    expect(CONTROL_CHARACTERS.filter((char) => !seen.has(char))).toEqual([]);
    expect(CONTROL_CHARACTERS).toHaveLength(65);
  });

  describe('realtime actions', () => {
    let cast: Cast;
    /** Real ids, so that the text fields of moderator actions reach the services. */
    const real: Record<string, string> = {};

    beforeAll(async () => {
      cast = await castFor(suite.server, suite.moderator, 'controls');
      const asked = await emitAck(cast.clients.journalist, 'question:ask', { text: 'A plain question?' });
      const said = await emitAck(cast.clients.journalist, 'chat:send', { text: 'A plain message' });
      if (!asked.ok || !said.ok) throw new Error('the plain question and message were refused');
      real.questionId = (asked as unknown as { question: { id: string } }).question.id;
      real.messageId = (said as unknown as { message: { id: string } }).message.id;
      real.participantId = cast.ids.viewer;
    });
    afterAll(() => closeCast(cast));

    const wellFormed: Record<FieldKind, (field: string) => unknown> = {
      id: (field) => real[field] ?? randomUUID(),
      nullableId: (field) => real[field] ?? randomUUID(),
      text: () => 'A perfectly fine text',
      topic: () => 'A topic',
      ids: () => [real.questionId ?? randomUUID()],
      bool: () => false,
      direction: () => 'send',
      mediaKind: () => 'audio',
      source: () => 'microphone',
      params: () => ({}),
    };

    const fields = CLIENT_ACTIONS.flatMap((action) =>
      Object.entries(FIELDS[action])
        .filter(([, kind]) => STRING_KINDS.includes(kind))
        .map(([field, kind]) => [action, senderOf(action), field, kind] as const),
    );

    it('covers every string field of every action', () => {
      expect(fields.length).toBeGreaterThan(20);
      for (const action of ['chat:send', 'question:ask', 'hand:raise', 'question:edit'] as const)
        expect(fields.map(([a]) => a)).toContain(action);
    });

    it.each(fields)('%s (as %s): %s never gets an internal error', async (action, role, field, kind) => {
      const rng = new Rng(SEED + fields.findIndex(([a, , f]) => a === action && f === field));
      const sender = cast.clients[role];
      for (const value of controlStrings(rng)) {
        const payload = Object.fromEntries(
          Object.entries(FIELDS[action as ClientActionName]).map(([name, k]) => [name, wellFormed[k](name)]),
        );
        payload[field] = kind === 'ids' ? [value] : value;
        const reply = await emitAck(sender, action, payload);
        expectClean(reply);
        // Keep the journalist's hand down, so every topic is looked at (not refused as already raised).
        if (action === 'hand:raise' && reply.ok) expect((await emitAck(sender, 'hand:lower', {})).ok).toBe(true);
      }
      expect(sender.socket.connected).toBe(true);
    });

    it('control characters in an unknown field name and in the event name are refused cleanly too', async () => {
      const rng = new Rng(SEED - 1);
      for (const value of controlStrings(rng, 30)) {
        expectClean(await emitAck(cast.clients.journalist, 'chat:send', { text: 'Hi', [value]: 1 }));
        expectClean(await emitAck(cast.clients.journalist, `chat:send${value}`, { text: 'Hi' }));
      }
      expect(cast.clients.journalist.socket.connected).toBe(true);
    });

    it('afterwards every role still gets its state, the transcript renders, and the others hear a new question', async () => {
      for (const role of ROLES) {
        const fresh = await LiveClient.connect(suite.server.url, cast.tokens[role]);
        expect(fresh.state.me.role).toBe(role);
        fresh.close();
      }
      const slug = cast.event.slug;
      const json = await suite.moderator.request<Transcript>('GET', `/api/events/${slug}/transcript`);
      expect(json.status).toBe(200);
      const markdown = await suite.moderator.request<string>('GET', `/api/events/${slug}/transcript?format=markdown`);
      expect(markdown.status).toBe(200);
      expect((await suite.moderator.request('GET', `/api/events/${slug}/details`)).status).toBe(200);

      const pending = cast.clients.moderator.next('question:pending', (q) => q.text === 'Still listening?');
      expect((await emitAck(cast.clients.journalist, 'question:ask', { text: 'Still listening?' })).ok).toBe(true);
      await pending;
      for (const role of ROLES) expect(cast.clients[role].socket.connected).toBe(true);
    });
  });

  describe('REST endpoints', () => {
    const startsAt = () => new Date(Date.now() + 3_600_000).toISOString();
    let event: EventDetails;
    /** PATCHed with control characters (a password among them): kept apart from the event joined. */
    let patched: EventDetails;
    let locked: EventDetails;
    let inviteId: string;
    const anonymous = () => new Api(suite.server.url);

    beforeAll(async () => {
      event = await suite.moderator.createEvent({ title: 'Controls over REST' });
      patched = await suite.moderator.createEvent({ title: 'Controls in PATCH' });
      locked = await suite.moderator.createEvent({ title: 'Controls behind a password', password: 'letmein-123' });
      inviteId = (await suite.moderator.inviteSpeaker(event.slug, 'Sam Speaker')).id;
    });

    type Send = (value: string) => Promise<HttpResult>;
    const path = (value: string) => encodeURIComponent(value);
    const body = (fields: Record<string, unknown>, field: string, value: string) => ({ ...fields, [field]: value });
    const eventFields = () => ({ title: 'Controls', startsAt: startsAt() });

    const ENDPOINTS: Array<[string, Send]> = [
      [
        'POST /api/auth/login email',
        (v) => anonymous().request('POST', '/api/auth/login', { email: v, password: 'x' }),
      ],
      [
        'POST /api/auth/login password',
        (v) => anonymous().request('POST', '/api/auth/login', { email: ADMIN.email, password: v }),
      ],
      [
        'POST /api/moderators email',
        (v) => suite.moderator.request('POST', '/api/moderators', { email: v, password: 'a long enough password' }),
      ],
      [
        'POST /api/moderators password',
        (v) =>
          suite.moderator.request('POST', '/api/moderators', { email: `m-${randomUUID()}@example.org`, password: v }),
      ],
      ...['title', 'description', 'slug', 'startsAt', 'password', 'chatMode'].map((field): [string, Send] => [
        `POST /api/events ${field}`,
        (v) => suite.moderator.request('POST', '/api/events', body(eventFields(), field, v)),
      ]),
      ...['title', 'description', 'startsAt', 'password', 'chatMode'].map((field): [string, Send] => [
        `PATCH /api/events/:slug ${field}`,
        (v) => suite.moderator.request('PATCH', `/api/events/${patched.slug}`, { [field]: v }),
      ]),
      ...['name', 'outlet'].map((field): [string, Send] => [
        `POST /api/events/:slug/join ${field}`,
        (v) =>
          anonymous().request(
            'POST',
            `/api/events/${event.slug}/join`,
            body({ name: 'Ana', outlet: 'El País' }, field, v),
          ),
      ]),
      [
        'POST /api/events/:slug/join password',
        (v) => anonymous().request('POST', `/api/events/${locked.slug}/join`, { password: v }),
      ],
      [
        'POST /api/events/:slug/join invite',
        (v) => anonymous().request('POST', `/api/events/${event.slug}/join`, { invite: v }),
      ],
      [
        'POST /api/events/:slug/speakers name',
        (v) => suite.moderator.request('POST', `/api/events/${event.slug}/speakers`, { name: v }),
      ],
      ['GET /api/events/:slug (slug)', (v) => anonymous().request('GET', `/api/events/${path(v)}`)],
      ['GET /api/events/:slug/details (slug)', (v) => suite.moderator.request('GET', `/api/events/${path(v)}/details`)],
      ['POST /api/events/:slug/join (slug)', (v) => anonymous().request('POST', `/api/events/${path(v)}/join`, {})],
      [
        'PATCH /api/events/:slug (slug)',
        (v) => suite.moderator.request('PATCH', `/api/events/${path(v)}`, { title: 'x' }),
      ],
      ['POST /api/events/:slug/start (slug)', (v) => suite.moderator.request('POST', `/api/events/${path(v)}/start`)],
      ['POST /api/events/:slug/end (slug)', (v) => suite.moderator.request('POST', `/api/events/${path(v)}/end`)],
      [
        'DELETE /api/events/:slug/speakers/:inviteId (inviteId)',
        (v) => suite.moderator.request('DELETE', `/api/events/${event.slug}/speakers/${path(v)}`),
      ],
      [
        'GET /api/events/:slug/transcript format',
        (v) => suite.moderator.request('GET', `/api/events/${event.slug}/transcript?format=${path(v)}`),
      ],
      [
        'GET /api/events/:slug/recording (slug)',
        (v) => suite.moderator.request('GET', `/api/events/${path(v)}/recording`),
      ],
      [
        'GET /api/events/:slug/recording.mp4 key',
        (v) => anonymous().request('GET', `/api/events/${event.slug}/recording.mp4?key=${path(v)}`),
      ],
      ['GET /hls/:slug/:file (file)', (v) => anonymous().request('GET', `/hls/${event.slug}/${path(v)}`)],
      ['GET /hls/:slug/:file (slug)', (v) => anonymous().request('GET', `/hls/${path(v)}/index.m3u8`)],
    ];

    it.each(ENDPOINTS)('%s: never a 5xx', async (what, send) => {
      const rng = new Rng(SEED + 1000 + ENDPOINTS.findIndex(([name]) => name === what));
      for (const value of controlStrings(rng)) {
        const result = await send(value);
        if (what.startsWith('GET /hls/')) expect(result.status).toBeLessThan(500);
        else expectNoServerError(result, `${what} ${JSON.stringify(value)}`);
      }
    });

    it('afterwards the server is healthy, the invite still works, and a new client joins and hears a live event', async () => {
      expect((await anonymous().request('GET', '/health')).status).toBe(200);
      expect((await suite.moderator.request('GET', `/api/events/${event.slug}/speakers`)).status).toBe(200);
      const invites = await suite.moderator.expectOk<Array<{ id: string; revokedAt: string | null }>>(
        'GET',
        `/api/events/${event.slug}/speakers`,
      );
      expect(invites.find((invite) => invite.id === inviteId)?.revokedAt).toBeNull();
      const details = await suite.moderator.expectOk<EventDetails>('GET', `/api/events/${event.slug}/details`);
      const modJoin = await suite.moderator.join(details.slug);
      const journalistJoin = await anonymous().join(details.slug, { name: 'Jo', outlet: 'Daily Planet' });
      const [mod, journalist] = await Promise.all([
        LiveClient.connect(suite.server.url, modJoin.accessToken),
        LiveClient.connect(suite.server.url, journalistJoin.accessToken),
      ]);
      try {
        const pending = mod.next('question:pending', (q) => q.text === 'After the control characters?');
        expect((await journalist.send('question:ask', { text: 'After the control characters?' })).ok).toBe(true);
        await pending;
      } finally {
        mod.close();
        journalist.close();
      }
    });
  });
});
