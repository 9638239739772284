/**
 * Bad input against the real server: malformed, oversized and wrong-typed payloads and unknown events on
 * every realtime action, wrong roles, a seeded fuzz of a few thousand junk messages, the flood guard, and
 * bad REST bodies. Every refusal must be a clear error, and the connection and the server must keep working.
 */
import { randomUUID } from 'node:crypto';
import {
  ACTION_ROLES,
  CLIENT_ACTIONS,
  ERROR_CODES,
  LIMITS,
  type ActionError,
  type ClientActionName,
  type ErrorCode,
  type EventDetails,
  type HttpErrorBody,
  type LiveState,
  type Role,
  type Transcript,
} from '@pressroom/protocol';
import { Api } from './harness/api';
import { LiveClient } from './harness/live-client';
import { startServer, type TestServer } from './harness/server';

jest.setTimeout(120_000);

type Reply = ({ ok: true } & Record<string, unknown>) | { ok: false; error: ActionError };

const ROLES: readonly Role[] = ['moderator', 'speaker', 'journalist', 'viewer'];
/** socket.io's `maxHttpBufferSize` on `/live` (LiveIoAdapter). */
const SOCKET_LIMIT_BYTES = 64 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Emits `action` with exactly these arguments plus an acknowledgement, and resolves with the reply. */
function emitAck(client: LiveClient, action: string, ...args: unknown[]): Promise<Reply> {
  return client.socket.timeout(5000).emitWithAck(action, ...args) as Promise<Reply>;
}

function expectError(reply: Reply, code: ErrorCode, message?: RegExp): void {
  expect(reply).toEqual({ ok: false, error: expect.objectContaining({ code, message: expect.any(String) }) });
  if (reply.ok) return;
  expect(reply.error.message.trim()).not.toBe('');
  if (message) expect(reply.error.message).toMatch(message);
}

/** Resolves once the client has received `count` `action:error` events for `action` in total. */
async function actionErrors(
  client: LiveClient,
  action: string,
  count: number,
  timeoutMs = 3000,
): Promise<ActionError[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const errors = client
      .all('action:error')
      .filter((e) => e.action === action)
      .map((e) => e.error);
    if (errors.length >= count || Date.now() > deadline) return errors;
    await sleep(20);
  }
}

function waitForDisconnect(client: LiveClient, timeoutMs = 5000): Promise<string> {
  if (!client.socket.connected) return Promise.resolve('already disconnected');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still connected after ${timeoutMs} ms`)), timeoutMs);
    client.socket.once('disconnect', (reason: string) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

const uniqueSlug = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

interface Cast {
  event: EventDetails;
  tokens: Record<Role, string>;
  ids: Record<Role, string>;
  clients: Record<Role, LiveClient>;
}

/** A fresh event with one connected socket per role. */
async function castFor(server: TestServer, moderator: Api, prefix: string): Promise<Cast> {
  const event = await moderator.createEvent({ slug: uniqueSlug(prefix), title: `Bad input ${prefix}` });
  const anonymous = new Api(server.url);
  const invite = await moderator.inviteSpeaker(event.slug, 'Sam Speaker');
  const joins = {
    moderator: await moderator.join(event.slug),
    speaker: await anonymous.join(event.slug, { invite: invite.inviteToken }),
    journalist: await anonymous.join(event.slug, { name: 'Jo Journalist', outlet: 'Daily Planet' }),
    viewer: await anonymous.join(event.slug, { name: 'Vic Viewer' }),
  };
  for (const role of ROLES) expect(joins[role].role).toBe(role);
  const clients = {} as Record<Role, LiveClient>;
  for (const role of ROLES) clients[role] = await LiveClient.connect(server.url, joins[role].accessToken);
  return {
    event,
    tokens: Object.fromEntries(ROLES.map((role) => [role, joins[role].accessToken])) as Record<Role, string>,
    ids: Object.fromEntries(ROLES.map((role) => [role, joins[role].participantId])) as Record<Role, string>,
    clients,
  };
}

function closeCast(cast: Cast | undefined): void {
  if (cast) for (const role of ROLES) cast.clients[role].close();
}

/** The role each action is tried as: the journalist where allowed, else the first allowed role. */
const senderOf = (action: ClientActionName): Role =>
  ACTION_ROLES[action].includes('journalist') ? 'journalist' : ACTION_ROLES[action][0]!;

// ---------------------------------------------------------------------------------------------------------
// What is wrong with each action's payload

interface Case {
  name: string;
  payload: unknown;
  /** The message must name what is wrong (usually the field). */
  message: RegExp;
}

interface Spec {
  /** A well-formed payload (ids point to nothing). */
  valid: () => Record<string, unknown>;
  /** Wrong-typed, missing, oversized and malformed fields. */
  cases: () => Case[];
  /** The answer to a well-formed payload whose ids point to nothing. */
  unknownIds?: ErrorCode;
}

const NOT_UUIDS = [
  'abc',
  '12345',
  "' OR 1=1 --",
  '00000000-0000-0000-0000-00000000000z',
  `${randomUUID()}0`,
  ` ${randomUUID()}`,
  '../../etc/passwd',
];

const without = (object: Record<string, unknown>, key: string) =>
  Object.fromEntries(Object.entries(object).filter(([k]) => k !== key));

function idCases(field: string, base: () => Record<string, unknown>, { nullable = false } = {}): Case[] {
  const message = new RegExp(field);
  const cases: Case[] = [
    { name: `${field} missing`, payload: without(base(), field), message },
    { name: `${field} a number`, payload: { ...base(), [field]: 42 }, message },
    { name: `${field} a boolean`, payload: { ...base(), [field]: true }, message },
    { name: `${field} an object`, payload: { ...base(), [field]: { id: randomUUID() } }, message },
    { name: `${field} an array of a UUID`, payload: { ...base(), [field]: [randomUUID()] }, message },
    { name: `${field} an empty string`, payload: { ...base(), [field]: '' }, message },
    ...NOT_UUIDS.map((bad) => ({
      name: `${field} not a UUID (${JSON.stringify(bad)})`,
      payload: { ...base(), [field]: bad },
      message,
    })),
  ];
  if (!nullable) cases.push({ name: `${field} null`, payload: { ...base(), [field]: null }, message });
  return cases;
}

function textCases(
  field: string,
  limit: number,
  base: () => Record<string, unknown>,
  { required = true } = {},
): Case[] {
  const message = new RegExp(field);
  const cases: Case[] = [
    { name: `${field} a number`, payload: { ...base(), [field]: 42 }, message },
    { name: `${field} a boolean`, payload: { ...base(), [field]: false }, message },
    { name: `${field} an object`, payload: { ...base(), [field]: { text: 'hi' } }, message },
    { name: `${field} an array`, payload: { ...base(), [field]: ['hi'] }, message },
    { name: `${field} over ${limit} characters`, payload: { ...base(), [field]: 'x'.repeat(limit + 1) }, message },
    { name: `${field} of 60 000 characters`, payload: { ...base(), [field]: 'y'.repeat(60_000) }, message },
    { name: `${field} of ${limit + 1} emoji`, payload: { ...base(), [field]: '😀'.repeat(limit + 1) }, message },
  ];
  if (required) {
    cases.push(
      { name: `${field} missing`, payload: without(base(), field), message },
      { name: `${field} null`, payload: { ...base(), [field]: null }, message },
      { name: `${field} empty`, payload: { ...base(), [field]: '' }, message },
      { name: `${field} only whitespace`, payload: { ...base(), [field]: ' \n\t  ' }, message },
    );
  }
  return cases;
}

const ref = (field: string) => (): Record<string, unknown> => ({ [field]: randomUUID() });

function enumCases(field: string, base: () => Record<string, unknown>): Case[] {
  const message = new RegExp(field);
  return [
    { name: `${field} missing`, payload: without(base(), field), message },
    { name: `${field} null`, payload: { ...base(), [field]: null }, message },
    { name: `${field} a number`, payload: { ...base(), [field]: 1 }, message },
    { name: `${field} not one of the allowed values`, payload: { ...base(), [field]: 'sideways' }, message },
    { name: `${field} an array`, payload: { ...base(), [field]: [base()[field]] }, message },
  ];
}

/** mediasoup's parameter objects: must at least be objects (mediasoup checks the rest). */
function parameterCases(field: string, base: () => Record<string, unknown>): Case[] {
  const message = new RegExp(field);
  return [
    { name: `${field} missing`, payload: without(base(), field), message },
    { name: `${field} null`, payload: { ...base(), [field]: null }, message },
    { name: `${field} a string`, payload: { ...base(), [field]: 'sdp' }, message },
    { name: `${field} a number`, payload: { ...base(), [field]: 3 }, message },
  ];
}

const transportRequest = () => ({ direction: 'send' });
const connectRequest = () => ({ transportId: randomUUID(), dtlsParameters: {} });
const produceRequest = () => ({ transportId: randomUUID(), kind: 'audio', rtpParameters: {}, source: 'microphone' });
const consumeRequest = () => ({ transportId: randomUUID(), producerId: randomUUID(), rtpCapabilities: {} });

const SPECS: { [A in ClientActionName]: Spec } = {
  'chat:send': {
    valid: () => ({ text: 'Hello' }),
    cases: () => textCases('text', LIMITS.chatText, () => ({ text: 'Hello' })),
  },
  'question:ask': {
    valid: () => ({ text: 'When?' }),
    cases: () => textCases('text', LIMITS.questionText, () => ({ text: 'When?' })),
  },
  'question:vote': {
    valid: ref('questionId'),
    cases: () => idCases('questionId', ref('questionId')),
    unknownIds: 'not_found',
  },
  'hand:raise': {
    valid: () => ({ topic: 'Budget' }),
    // `topic` is optional: absent and null are fine, every other non-string is not.
    cases: () => textCases('topic', LIMITS.handTopic, () => ({ topic: 'Budget' }), { required: false }),
  },
  'hand:lower': { valid: () => ({}), cases: () => [] },
  'chat:approve': {
    valid: ref('messageId'),
    cases: () => idCases('messageId', ref('messageId')),
    unknownIds: 'not_found',
  },
  'chat:hide': {
    valid: ref('messageId'),
    cases: () => idCases('messageId', ref('messageId')),
    unknownIds: 'not_found',
  },
  'question:approve': {
    valid: ref('questionId'),
    cases: () => idCases('questionId', ref('questionId')),
    unknownIds: 'not_found',
  },
  'question:reject': {
    valid: ref('questionId'),
    cases: () => idCases('questionId', ref('questionId')),
    unknownIds: 'not_found',
  },
  'question:edit': {
    valid: () => ({ questionId: randomUUID(), text: 'Edited' }),
    cases: () => [
      ...idCases('questionId', () => ({ questionId: randomUUID(), text: 'Edited' })),
      ...textCases('text', LIMITS.questionText, () => ({ questionId: randomUUID(), text: 'Edited' })),
    ],
    unknownIds: 'not_found',
  },
  'question:order': {
    valid: () => ({ questionIds: [randomUUID()] }),
    cases: () => {
      const message = /questionIds/;
      return [
        { name: 'questionIds missing', payload: {}, message },
        { name: 'questionIds null', payload: { questionIds: null }, message },
        { name: 'questionIds a string', payload: { questionIds: randomUUID() }, message },
        { name: 'questionIds an object', payload: { questionIds: { 0: randomUUID() } }, message },
        { name: 'questionIds numbers', payload: { questionIds: [1, 2] }, message },
        { name: 'questionIds not UUIDs', payload: { questionIds: [randomUUID(), 'abc'] }, message },
        { name: 'questionIds holding null', payload: { questionIds: [null] }, message },
        { name: 'questionIds nested arrays', payload: { questionIds: [[randomUUID()]] }, message },
        {
          name: 'questionIds over 1000 items',
          payload: { questionIds: Array.from({ length: 1001 }, () => randomUUID()) },
          message,
        },
      ];
    },
    unknownIds: 'invalid_order',
  },
  'question:answered': {
    valid: ref('questionId'),
    cases: () => idCases('questionId', ref('questionId')),
    unknownIds: 'not_found',
  },
  'question:onAir': {
    valid: ref('questionId'),
    // `null` clears the air and is valid; a missing field is not.
    cases: () => idCases('questionId', ref('questionId'), { nullable: true }),
    unknownIds: 'not_found',
  },
  'hand:ack': { valid: ref('handId'), cases: () => idCases('handId', ref('handId')), unknownIds: 'not_found' },
  'hand:dismiss': { valid: ref('handId'), cases: () => idCases('handId', ref('handId')), unknownIds: 'not_found' },
  'user:mute': {
    valid: () => ({ participantId: randomUUID(), muted: true }),
    cases: () => {
      const base = () => ({ participantId: randomUUID(), muted: true });
      const message = /muted/;
      return [
        ...idCases('participantId', base),
        { name: 'muted missing', payload: { participantId: randomUUID() }, message },
        { name: 'muted a string', payload: { participantId: randomUUID(), muted: 'true' }, message },
        { name: 'muted a number', payload: { participantId: randomUUID(), muted: 1 }, message },
        { name: 'muted null', payload: { participantId: randomUUID(), muted: null }, message },
        { name: 'muted an array', payload: { participantId: randomUUID(), muted: [true] }, message },
      ];
    },
    unknownIds: 'not_found',
  },
  'user:ban': {
    valid: ref('participantId'),
    cases: () => idCases('participantId', ref('participantId')),
    unknownIds: 'not_found',
  },
  // Studio actions are tried by a speaker who has not joined the studio: well-formed ones are refused as such.
  'studio:join': { valid: () => ({}), cases: () => [] },
  'studio:leave': { valid: () => ({}), cases: () => [] },
  'studio:createTransport': {
    valid: transportRequest,
    cases: () => enumCases('direction', transportRequest),
    unknownIds: 'invalid_state',
  },
  'studio:connectTransport': {
    valid: connectRequest,
    cases: () => [...idCases('transportId', connectRequest), ...parameterCases('dtlsParameters', connectRequest)],
    unknownIds: 'invalid_state',
  },
  'studio:produce': {
    valid: produceRequest,
    cases: () => [
      ...idCases('transportId', produceRequest),
      ...enumCases('kind', produceRequest),
      ...enumCases('source', produceRequest),
      ...parameterCases('rtpParameters', produceRequest),
    ],
    unknownIds: 'invalid_state',
  },
  'studio:consume': {
    valid: consumeRequest,
    cases: () => [
      ...idCases('transportId', consumeRequest),
      ...idCases('producerId', consumeRequest),
      ...parameterCases('rtpCapabilities', consumeRequest),
    ],
    unknownIds: 'invalid_state',
  },
  'studio:resumeConsumer': {
    valid: ref('consumerId'),
    cases: () => idCases('consumerId', ref('consumerId')),
    unknownIds: 'invalid_state',
  },
  'studio:pauseProducer': {
    valid: ref('producerId'),
    cases: () => idCases('producerId', ref('producerId')),
    unknownIds: 'invalid_state',
  },
  'studio:resumeProducer': {
    valid: ref('producerId'),
    cases: () => idCases('producerId', ref('producerId')),
    unknownIds: 'invalid_state',
  },
  'studio:closeProducer': {
    valid: ref('producerId'),
    cases: () => idCases('producerId', ref('producerId')),
    unknownIds: 'invalid_state',
  },
};

const NOT_OBJECTS: Array<{ name: string; payload: unknown }> = [
  { name: 'null', payload: null },
  { name: 'a string', payload: 'hello' },
  { name: 'an empty string', payload: '' },
  { name: 'a number', payload: 42 },
  { name: 'zero', payload: 0 },
  { name: 'a boolean', payload: true },
  { name: 'an empty array', payload: [] },
];

// ---------------------------------------------------------------------------------------------------------

describe('bad input', () => {
  let server: TestServer;
  let moderator: Api;

  beforeAll(async () => {
    server = await startServer();
    moderator = await Api.asModerator(server.url);
  });
  afterAll(() => server?.close());

  describe('realtime payloads, for every action as a role allowed to send it', () => {
    let cast: Cast;
    beforeAll(async () => (cast = await castFor(server, moderator, 'payloads')));
    afterAll(() => closeCast(cast));

    const client = (action: ClientActionName) => cast.clients[senderOf(action)];

    describe.each(CLIENT_ACTIONS.map((action) => [action, senderOf(action)] as const))('%s (as %s)', (action) => {
      const spec = SPECS[action];

      it('no payload at all → bad_request', async () => {
        expectError(await emitAck(client(action), action), 'bad_request', /object/i);
      });

      it.each(NOT_OBJECTS)('payload $name → bad_request', async ({ payload }) => {
        expectError(await emitAck(client(action), action, payload), 'bad_request', /object/i);
      });

      it('payload an array holding a valid payload → bad_request', async () => {
        expectError(await emitAck(client(action), action, [spec.valid()]), 'bad_request', /object/i);
      });

      it('a valid payload followed by a second argument → bad_request', async () => {
        expectError(await emitAck(client(action), action, spec.valid(), { extra: true }), 'bad_request');
      });

      const cases = spec.cases();
      if (cases.length > 0) {
        it.each(cases)('$name → bad_request naming the field', async ({ payload, message }) => {
          expectError(await emitAck(client(action), action, payload), 'bad_request', message);
        });
      }

      it('an extra unknown field → bad_request naming it', async () => {
        expectError(await emitAck(client(action), action, { ...spec.valid(), sneaky: 1 }), 'bad_request', /sneaky/);
      });

      it('prototype-pollution keys (__proto__, constructor, prototype…) next to an unknown field → bad_request, nothing polluted', async () => {
        const json = JSON.stringify({ ...spec.valid(), sneaky: 1 }).replace(
          /^\{/,
          '{"__proto__":{"role":"moderator","isAdmin":true},"constructor":{"prototype":{"isAdmin":true}},"prototype":{"isAdmin":true},',
        );
        const payload = JSON.parse(json) as object;
        expect(Object.keys(payload)).toEqual(
          expect.arrayContaining(['__proto__', 'constructor', 'prototype', 'sneaky']),
        );
        const reply = await emitAck(client(action), action, payload);
        expectError(reply, 'bad_request', /__proto__/);
        // The server runs in this process: a polluted Object.prototype would show here.
        expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
        expect(({} as Record<string, unknown>).role).toBeUndefined();
      });

      it('a payload just under the 64 KiB socket limit → bad_request, the socket stays connected', async () => {
        const reply = await emitAck(client(action), action, { ...spec.valid(), padding: 'p'.repeat(60_000) });
        expectError(reply, 'bad_request');
        expect(client(action).socket.connected).toBe(true);
      });

      if (spec.unknownIds) {
        const code = spec.unknownIds;
        it(`well-formed ids of nothing → ${code}`, async () => {
          expectError(
            await emitAck(client(action), action, spec.valid()),
            code,
            code === 'not_found' ? /not found/i : undefined,
          );
        });
      }

      it('without an acknowledgement → an action:error event (null payload, and no payload)', async () => {
        const sender = client(action);
        const before = sender.all('action:error').filter((e) => e.action === action).length;
        sender.socket.emit(action, null);
        sender.socket.emit(action);
        const errors = (await actionErrors(sender, action, before + 2)).slice(before);
        expect(errors).toHaveLength(2);
        for (const error of errors) {
          expect(error.code).toBe('bad_request');
          expect(error.message).toMatch(/object/i);
        }
      });
    });

    it.each(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf'])(
      'a "%s" key is refused like any other unknown field (question:vote → bad_request, not a lookup)',
      async (key) => {
        const payload = JSON.parse(`{"questionId":"${randomUUID()}","${key}":{"isAdmin":true}}`) as object;
        expect(Object.keys(payload)).toContain(key);
        const reply = await emitAck(cast.clients.journalist, 'question:vote', payload);
        expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
        expectError(reply, 'bad_request', new RegExp(key));
      },
    );

    it('none of the bad payloads changed anything: a fresh moderator state and the transcript are empty', async () => {
      const fresh = await LiveClient.connect(server.url, cast.tokens.moderator);
      try {
        const state: LiveState = fresh.state;
        expect(state.chat).toEqual([]);
        expect(state.questions).toEqual([]);
        expect(state.hands).toEqual([]);
      } finally {
        fresh.close();
      }
      const transcript = await moderator.expectOk<Transcript>('GET', `/api/events/${cast.event.slug}/transcript`);
      expect(transcript).toMatchObject({ chat: [], questions: [], hands: [], moderation: [] });
      const journalist = await LiveClient.connect(server.url, cast.tokens.journalist);
      try {
        expect(journalist.state.hand).toBeNull();
        expect(journalist.state.me.muted).toBe(false);
      } finally {
        journalist.close();
      }
    });

    it('every socket is still connected after all of that', () => {
      for (const role of ROLES) expect(cast.clients[role].socket.connected).toBe(true);
    });
  });

  describe('wrong roles', () => {
    let cast: Cast;
    beforeAll(async () => (cast = await castFor(server, moderator, 'roles')));
    afterAll(() => closeCast(cast));

    const refused = CLIENT_ACTIONS.flatMap((action) =>
      ROLES.filter((role) => !ACTION_ROLES[action].includes(role)).map((role) => [action, role] as const),
    );

    it('covers every moderator action for journalist, viewer and speaker, and journalist-only actions for the others', () => {
      for (const action of CLIENT_ACTIONS.filter((a) => ACTION_ROLES[a].join() === 'moderator')) {
        for (const role of ['journalist', 'viewer', 'speaker'] as const) expect(refused).toContainEqual([action, role]);
      }
      for (const action of ['question:ask', 'hand:raise', 'hand:lower'] as const) {
        for (const role of ['viewer', 'speaker', 'moderator'] as const) expect(refused).toContainEqual([action, role]);
      }
    });

    it.each(refused)('%s as %s → forbidden', async (action, role) => {
      const reply = await emitAck(cast.clients[role], action, SPECS[action].valid());
      expectError(reply, 'forbidden', new RegExp(`${role}.*${action}`));
    });

    it.each(refused.filter(([, role]) => role === 'viewer'))(
      '%s as %s without an acknowledgement → action:error forbidden',
      async (action, role) => {
        const sender = cast.clients[role];
        const before = sender.all('action:error').filter((e) => e.action === action).length;
        sender.socket.emit(action, SPECS[action].valid());
        const errors = (await actionErrors(sender, action, before + 1)).slice(before);
        expect(errors).toEqual([expect.objectContaining({ code: 'forbidden' })]);
      },
    );

    it('a viewer asking a well-formed question is refused and the moderator never sees it', async () => {
      const from = cast.clients.moderator.received.length;
      expectError(await emitAck(cast.clients.viewer, 'question:ask', { text: 'Sneaky question?' }), 'forbidden');
      expectError(await emitAck(cast.clients.speaker, 'hand:raise', { topic: 'Sneaky hand' }), 'forbidden');
      await sleep(300);
      const seen = cast.clients.moderator.received.slice(from).map((r) => r.name);
      expect(seen).not.toContain('question:pending');
      expect(seen).not.toContain('hand:queue');
    });

    it('a journalist cannot ban or mute anyone: the viewer stays connected and unmuted', async () => {
      expectError(await emitAck(cast.clients.journalist, 'user:ban', { participantId: cast.ids.viewer }), 'forbidden');
      expectError(
        await emitAck(cast.clients.journalist, 'user:mute', { participantId: cast.ids.viewer, muted: true }),
        'forbidden',
      );
      await sleep(200);
      expect(cast.clients.viewer.socket.connected).toBe(true);
      expect(cast.clients.viewer.all('user:status')).toEqual([]);
      expect(cast.clients.viewer.all('user:banned')).toEqual([]);
    });

    it('nothing a forbidden action asked for happened', async () => {
      const fresh = await LiveClient.connect(server.url, cast.tokens.moderator);
      try {
        expect(fresh.state.questions).toEqual([]);
        expect(fresh.state.hands).toEqual([]);
      } finally {
        fresh.close();
      }
      const transcript = await moderator.expectOk<Transcript>('GET', `/api/events/${cast.event.slug}/transcript`);
      expect(transcript).toMatchObject({ chat: [], questions: [], hands: [], moderation: [] });
    });
  });

  describe('well-formed ids of another event', () => {
    let a: Cast;
    let b: Cast;
    beforeAll(async () => {
      a = await castFor(server, moderator, 'event-a');
      b = await castFor(server, moderator, 'event-b');
    });
    afterAll(() => {
      closeCast(a);
      closeCast(b);
    });

    it("are not_found for event A's moderator, and event B is untouched", async () => {
      const asked = await emitAck(b.clients.journalist, 'question:ask', { text: 'A question in B' });
      expect(asked.ok).toBe(true);
      const questionId = (asked as unknown as { question: { id: string } }).question.id;
      const raised = await emitAck(b.clients.journalist, 'hand:raise', { topic: 'B hand' });
      expect(raised.ok).toBe(true);
      const handId = (raised as unknown as { hand: { id: string } }).hand.id;
      const said = await emitAck(b.clients.journalist, 'chat:send', { text: 'A message in B' });
      expect(said.ok).toBe(true);
      const messageId = (said as unknown as { message: { id: string } }).message.id;

      const mod = a.clients.moderator;
      expectError(await emitAck(mod, 'question:approve', { questionId }), 'not_found');
      expectError(await emitAck(mod, 'question:reject', { questionId }), 'not_found');
      expectError(await emitAck(mod, 'question:edit', { questionId, text: 'Hijacked' }), 'not_found');
      expectError(await emitAck(mod, 'question:onAir', { questionId }), 'not_found');
      expectError(await emitAck(mod, 'hand:ack', { handId }), 'not_found');
      expectError(await emitAck(mod, 'hand:dismiss', { handId }), 'not_found');
      expectError(await emitAck(mod, 'chat:hide', { messageId }), 'not_found');
      expectError(await emitAck(mod, 'user:mute', { participantId: b.ids.journalist, muted: true }), 'not_found');
      expectError(await emitAck(mod, 'user:ban', { participantId: b.ids.journalist }), 'not_found');
      expectError(await emitAck(a.clients.journalist, 'question:vote', { questionId }), 'not_found');

      const fresh = await LiveClient.connect(server.url, b.tokens.moderator);
      try {
        expect(fresh.state.questions).toEqual([
          expect.objectContaining({ id: questionId, status: 'pending', text: 'A question in B' }),
        ]);
        expect(fresh.state.hands).toEqual([expect.objectContaining({ id: handId, status: 'raised' })]);
        expect(fresh.state.chat).toEqual([expect.objectContaining({ id: messageId, status: 'visible' })]);
      } finally {
        fresh.close();
      }
      expect(b.clients.journalist.socket.connected).toBe(true);
      expect(b.clients.journalist.all('user:status')).toEqual([]);
    });
  });

  describe('unknown event names', () => {
    let cast: Cast;
    beforeAll(async () => (cast = await castFor(server, moderator, 'unknown')));
    afterAll(() => closeCast(cast));

    const NAMES = [
      'foo',
      '',
      ' ',
      'CHAT:SEND',
      'chat:send ',
      ' chat:send',
      'chat:',
      'chat:send\u0000',
      'question:ask:',
      'state',
      'action:error',
      'error',
      'counters',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'ping',
      '💥',
      'x'.repeat(5000),
    ];

    it.each(
      NAMES.map((name) => [
        name.length > 40 ? `${name.slice(0, 10)}… (${name.length} chars)` : JSON.stringify(name),
        name,
      ]),
    )('%s with an acknowledgement → unknown_event, as every role', async (_, name) => {
      for (const role of ROLES) {
        const reply = await emitAck(cast.clients[role], name, { text: 'hi' });
        expectError(reply, 'unknown_event', /unknown/i);
        if (!reply.ok) expect(reply.error.message.length).toBeLessThan(200);
      }
    });

    it.each(NAMES.slice(0, 12).map((name) => [JSON.stringify(name), name]))(
      '%s without an acknowledgement → action:error unknown_event',
      async (_, name) => {
        const sender = cast.clients.viewer;
        const before = sender.all('action:error').filter((e) => e.action === name).length;
        sender.socket.emit(name, { text: 'hi' });
        const errors = (await actionErrors(sender, name, before + 1)).slice(before);
        expect(errors).toEqual([expect.objectContaining({ code: 'unknown_event' })]);
      },
    );

    it('an unknown event with no payload and an acknowledgement → unknown_event', async () => {
      expectError(await emitAck(cast.clients.journalist, 'nope'), 'unknown_event');
    });

    it('a numeric event name (raw packet) → action:error unknown_event', async () => {
      const sender = cast.clients.journalist;
      const raw = sender.socket as unknown as { packet(packet: object): void };
      raw.packet({ type: 2, data: [42, { text: 'hi' }] });
      const errors = await actionErrors(sender, '42', 1);
      expect(errors).toEqual([expect.objectContaining({ code: 'unknown_event' })]);
      expect(sender.socket.connected).toBe(true);
    });

    it('all sockets are still connected, and a normal action still works', async () => {
      for (const role of ROLES) expect(cast.clients[role].socket.connected).toBe(true);
      const reply = await emitAck(cast.clients.journalist, 'chat:send', { text: 'Still here' });
      expect(reply.ok).toBe(true);
    });
  });

  describe('protocol-level junk and messages over the socket limit', () => {
    let cast: Cast;
    beforeAll(async () => (cast = await castFor(server, moderator, 'frames')));
    afterAll(() => closeCast(cast));

    async function onlyThisSocketDropped(victim: LiveClient, token: string): Promise<void> {
      // The others are unaffected…
      for (const role of ['moderator', 'viewer'] as const) {
        expect(cast.clients[role].socket.connected).toBe(true);
        expectError(
          await emitAck(cast.clients[role], 'question:vote', { questionId: randomUUID() }),
          role === 'viewer' ? 'not_found' : 'forbidden',
        );
      }
      // …the server is healthy…
      const health = await new Api(server.url).request<{ status: string }>('GET', '/health');
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('ok');
      // …and the dropped client can come back with the same token.
      const again = await LiveClient.connect(server.url, token);
      try {
        expect(again.state.me.participantId).toBe(victim.state.me.participantId);
        expect((await emitAck(again, 'hand:lower', {})).ok).toBe(true);
      } finally {
        again.close();
      }
    }

    it('a message over 64 KiB drops only that socket; it can reconnect', async () => {
      const victim = await LiveClient.connect(server.url, cast.tokens.journalist);
      const dropped = waitForDisconnect(victim);
      victim.socket.emit('chat:send', { text: 'z'.repeat(SOCKET_LIMIT_BYTES + 1024) });
      expect(await dropped).toMatch(/transport (close|error)/);
      await onlyThisSocketDropped(victim, cast.tokens.journalist);
      const fresh = await LiveClient.connect(server.url, cast.tokens.moderator);
      expect(fresh.state.chat).toEqual([]);
      fresh.close();
    });

    it('a packet that is not JSON drops only that socket; it can reconnect', async () => {
      const victim = await LiveClient.connect(server.url, cast.tokens.journalist);
      const dropped = waitForDisconnect(victim);
      (victim.socket.io.engine as unknown as { write(data: string): void }).write('2/live,["chat:send",{"text":');
      expect(await dropped).toBeTruthy();
      await onlyThisSocketDropped(victim, cast.tokens.journalist);
    });

    it('a reserved event name (raw "disconnect" packet) drops only that socket, or is refused', async () => {
      const victim = await LiveClient.connect(server.url, cast.tokens.journalist);
      const raw = victim.socket as unknown as { packet(packet: object): void };
      const dropped = waitForDisconnect(victim, 1500).catch(() => 'not dropped');
      raw.packet({ type: 2, data: ['disconnect', 'forged'] });
      const outcome = await dropped;
      if (outcome === 'not dropped') {
        expect(victim.all('action:error')).toEqual([
          expect.objectContaining({ action: 'disconnect', error: expect.objectContaining({ code: 'unknown_event' }) }),
        ]);
        victim.close();
      }
      await onlyThisSocketDropped(victim, cast.tokens.journalist);
    });

    /** Raw frames: the socket.io client cannot even encode nesting this deep, but anyone can write the JSON by hand. */
    it.each([
      ['the payload', (d: number) => `${'['.repeat(d)}${']'.repeat(d)}`],
      ['the text field', (d: number) => `{"text":${'['.repeat(d)}${']'.repeat(d)}}`],
      ['an unknown field', (d: number) => `{"text":"hi","deep":${'['.repeat(d)}${']'.repeat(d)}}`],
      ['nested objects', (d: number) => `{"text":"hi","a":${'{"a":'.repeat(d)}1${'}'.repeat(d)}}`],
    ])('nesting 10 000 levels deep in %s (raw frame) → bad_request, the socket stays connected', async (_, build) => {
      const sender = await LiveClient.connect(server.url, cast.tokens.journalist);
      try {
        const depth = 10_000;
        const frame = `2/live,["chat:send",${build(depth)}]`; // socket.io EVENT packet; engine.io adds its own prefix
        expect(Buffer.byteLength(frame)).toBeLessThan(SOCKET_LIMIT_BYTES);
        (sender.socket.io.engine as unknown as { write(data: string): void }).write(frame);
        const [error] = await actionErrors(sender, 'chat:send', 1);
        expect(error).toEqual(expect.objectContaining({ code: 'bad_request', message: expect.any(String) }));
        expect(sender.socket.connected).toBe(true);
        expect((await emitAck(sender, 'hand:lower', {})).ok).toBe(true);
      } finally {
        sender.close();
      }
      const fresh = await LiveClient.connect(server.url, cast.tokens.moderator);
      expect(fresh.state.chat).toEqual([]);
      fresh.close();
    });
  });

  // -------------------------------------------------------------------------------------------------------

  describe('seeded fuzz: a few thousand junk messages from all four roles', () => {
    const SEED = 0x5eed_2024;
    const MESSAGES = 3000;
    const SOCKETS_PER_ROLE = 2;
    const CHUNK = 100;
    const EXPECTED_CODES: ErrorCode[] = ['bad_request', 'forbidden', 'unknown_event'];

    interface Sent {
      socket: number;
      role: Role;
      action: string;
      kind: string;
      sample: string;
      acked: boolean;
      reply?: Reply;
      failure?: string;
    }

    let cast: Cast;
    let sockets: Array<{ role: Role; client: LiveClient; from: number; disconnects: string[] }> = [];
    const sent: Sent[] = [];

    beforeAll(async () => {
      cast = await castFor(server, moderator, 'fuzz');
      for (const role of ROLES) {
        for (let i = 0; i < SOCKETS_PER_ROLE; i++) {
          const client = await LiveClient.connect(server.url, cast.tokens[role]);
          const entry = { role, client, from: client.received.length, disconnects: [] as string[] };
          client.socket.on('disconnect', (reason: string) => entry.disconnects.push(reason));
          sockets.push(entry);
        }
      }
    });
    afterAll(() => {
      for (const { client } of sockets) client.close();
      closeCast(cast);
      sockets = [];
    });

    it(`sends ${MESSAGES} generated bad messages (seed ${SEED.toString(16)})`, async () => {
      const rng = new Rng(SEED);
      const plan = Array.from({ length: MESSAGES }, (_, i) => {
        const socket = i % sockets.length;
        return { socket, ...junkMessage(rng), acked: rng.chance(0.8) };
      });
      for (const message of plan) {
        const bytes =
          message.args.length === 0 ? 0 : Buffer.byteLength(JSON.stringify([message.action, ...message.args]));
        expect(bytes).toBeLessThan(SOCKET_LIMIT_BYTES - 1024);
      }
      // Each socket sends its share in chunks, at most CHUNK messages per 250 ms: well under the flood guard.
      await Promise.all(
        sockets.map(async ({ role, client }, index) => {
          const mine = plan.filter((m) => m.socket === index);
          for (let start = 0; start < mine.length; start += CHUNK) {
            const began = Date.now();
            await Promise.all(
              mine.slice(start, start + CHUNK).map(async (m) => {
                const record: Sent = {
                  socket: index,
                  role,
                  action: m.action,
                  kind: m.kind,
                  sample: describeArgs(m.args),
                  acked: m.acked,
                };
                sent.push(record);
                if (!m.acked) {
                  client.socket.emit(m.action, ...m.args);
                  return;
                }
                try {
                  record.reply = (await client.socket.timeout(10_000).emitWithAck(m.action, ...m.args)) as Reply;
                } catch (error) {
                  record.failure = error instanceof Error ? error.message : String(error);
                }
              }),
            );
            await sleep(Math.max(0, 250 - (Date.now() - began)));
          }
        }),
      );
      expect(sent).toHaveLength(MESSAGES);
      // The mix really covers what it should.
      const actions = new Set(sent.map((s) => s.action));
      for (const action of CLIENT_ACTIONS) expect(actions).toContain(action);
      expect(sent.filter((s) => !(CLIENT_ACTIONS as readonly string[]).includes(s.action)).length).toBeGreaterThan(
        MESSAGES / 5,
      );
      expect(new Set(sent.map((s) => s.kind)).size).toBeGreaterThanOrEqual(7);
      expect(new Set(sent.map((s) => s.role)).size).toBe(4);
    });

    it('every acknowledged message got ok:false with a known code and a clear message', () => {
      const acked = sent.filter((s) => s.acked);
      const timedOut = acked.filter((s) => s.failure).map((s) => `${s.action} ${s.kind}: ${s.failure} ${s.sample}`);
      expect(timedOut).toEqual([]);
      const summary = (items: Sent[]) => {
        const groups = new Map<string, { count: number; sample: string }>();
        for (const s of items) {
          const key = `${s.role} ${s.action} → ${s.reply?.ok ? 'ok:true' : (s.reply as { error: ActionError }).error.code}`;
          const group = groups.get(key) ?? { count: 0, sample: `[${s.kind}] ${s.sample}` };
          group.count++;
          groups.set(key, group);
        }
        return [...groups].map(([key, { count, sample }]) => `${key} ×${count}, e.g. ${sample.slice(0, 120)}`);
      };
      const refused = acked.filter((s) => s.reply && !s.reply.ok) as Array<
        Sent & { reply: { ok: false; error: ActionError } }
      >;
      expect({
        // ok:true for a payload that was built to be invalid
        accepted: summary(acked.filter((s) => s.reply?.ok)),
        // a code outside what bad input may cause (internal, not_found, rate_limited…) or an empty message
        unexpected: summary(
          refused.filter((s) => !EXPECTED_CODES.includes(s.reply.error.code) || !s.reply.error.message.trim()),
        ),
        // the code does not fit the case: unknown names → unknown_event, wrong roles → forbidden, the rest → bad_request
        misfiled: summary(
          refused.filter((s) => {
            const { code } = s.reply.error;
            if (!(CLIENT_ACTIONS as readonly string[]).includes(s.action)) return code !== 'unknown_event';
            if (!ACTION_ROLES[s.action as ClientActionName].includes(s.role)) return code !== 'forbidden';
            return code !== 'bad_request';
          }),
        ),
      }).toEqual({ accepted: [], unexpected: [], misfiled: [] });
      expect(refused.length).toBeGreaterThan(acked.length * 0.9);
    });

    it('every message sent without an acknowledgement got an action:error event', async () => {
      const missing: string[] = [];
      for (const [index, { client }] of sockets.entries()) {
        const expected = new Map<string, number>();
        for (const s of sent.filter((x) => x.socket === index && !x.acked))
          expected.set(s.action, (expected.get(s.action) ?? 0) + 1);
        for (const [action, count] of expected) {
          const errors = await actionErrors(client, action, count, 2000);
          if (errors.length !== count)
            missing.push(`socket ${index} (${sockets[index]!.role}) ${action}: ${errors.length}/${count}`);
          for (const error of errors)
            if (!EXPECTED_CODES.includes(error.code)) missing.push(`${action}: unexpected ${JSON.stringify(error)}`);
        }
      }
      expect(missing).toEqual([]);
    });

    it('no socket was disconnected and none received anything but errors and counters', () => {
      for (const { role, client, from, disconnects } of sockets) {
        expect({ role, disconnects, connected: client.socket.connected }).toEqual({
          role,
          disconnects: [],
          connected: true,
        });
        const names = new Set(client.received.slice(from).map((r) => r.name));
        for (const name of ['action:error', 'counters']) names.delete(name);
        expect({ role, names: [...names] }).toEqual({ role, names: [] });
      }
    });

    it('the server still answers GET /health', async () => {
      const health = await new Api(server.url).request<{ status: string }>('GET', '/health');
      expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    });

    it('a normal flow still works end to end: ask → pending → approve → the viewer sees it', async () => {
      const [journalist, mod, viewer] = (['journalist', 'moderator', 'viewer'] as const).map(
        (role) => sockets.find((s) => s.role === role)!.client,
      );
      const pending = mod!.next('question:pending', (q) => q.text === 'After the storm, when is the vote?');
      const asked = await emitAck(journalist!, 'question:ask', { text: '  After the storm, when is the vote?  ' });
      expect(asked.ok).toBe(true);
      const question = await pending;
      expect(question).toMatchObject({ status: 'pending', name: 'Jo Journalist', outlet: 'Daily Planet' });
      const approved = viewer!.next('question:approved', (q) => q.id === question.id);
      expect(await emitAck(mod!, 'question:approve', { questionId: question.id })).toEqual({ ok: true });
      expect(await approved).toMatchObject({ id: question.id, status: 'approved', position: 1 });
    });

    it('nothing was persisted by the junk: fresh states and the transcript hold only the legit question', async () => {
      const fresh = await LiveClient.connect(server.url, cast.tokens.moderator);
      try {
        expect(fresh.state.questions).toEqual([
          expect.objectContaining({ text: 'After the storm, when is the vote?', status: 'approved' }),
        ]);
        expect(fresh.state.chat).toEqual([]);
        expect(fresh.state.hands).toEqual([]);
        expect(fresh.state.event.title).toBe('Bad input fuzz');
      } finally {
        fresh.close();
      }
      const journalist = await LiveClient.connect(server.url, cast.tokens.journalist);
      try {
        expect(journalist.state.me).toMatchObject({ role: 'journalist', name: 'Jo Journalist', muted: false });
        expect(journalist.state.hand).toBeNull();
        expect(journalist.state.votedQuestionIds).toEqual([]);
      } finally {
        journalist.close();
      }
      const transcript = await moderator.expectOk<Transcript>('GET', `/api/events/${cast.event.slug}/transcript`);
      expect(transcript.chat).toEqual([]);
      expect(transcript.hands).toEqual([]);
      expect(transcript.questions).toHaveLength(1);
      expect(transcript.moderation.map((entry) => entry.action)).toEqual(['question:approve']);
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    });
  });

  // -------------------------------------------------------------------------------------------------------

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
      const result = await moderator.request('POST', '/api/events', '{"title": "Broken", "startsAt": ');
      expectHttpError(result, 400, 'bad_request');
    });

    it('a JSON body that is not an object (array, string, null, number) → 400 bad_request', async () => {
      const bodies = ['[]', '[{"title":"In an array"}]', '"just a string"', 'null', '42'];
      const results = [];
      for (const body of bodies) {
        const { status, body: reply } = await moderator.request<HttpErrorBody>('POST', '/api/events', body);
        results.push({ body, status, error: reply.error });
      }
      expect(results).toEqual(bodies.map((body) => ({ body, status: 400, error: 'bad_request' })));
    });

    it('wrong types → 400 bad_request naming the fields', async () => {
      const result = await moderator.request('POST', '/api/events', {
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
      const result = await moderator.request('POST', '/api/events', {
        title: 'Extra',
        slug,
        startsAt: startsAt(),
        createdBy: 'me',
        status: 'live',
      });
      expectHttpError(result, 400, 'bad_request', /createdBy|status/);
      expect((await moderator.request('GET', `/api/events/${slug}`)).status).toBe(404);
    });

    it('a __proto__ key in the body → 400 bad_request, and no event is created', async () => {
      const slug = uniqueSlug('proto');
      const body = `{"title":"Proto","slug":"${slug}","startsAt":"${startsAt()}","__proto__":{"status":"live","passwordHash":null}}`;
      const result = await moderator.request('POST', '/api/events', body);
      expectHttpError(result, 400, 'bad_request');
      expect((await moderator.request('GET', `/api/events/${slug}`)).status).toBe(404);
    });

    it('a deeply nested value (5 000 levels) → 400 bad_request, not a 500', async () => {
      const body = `{"title":"Deep","startsAt":"${startsAt()}","description":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      expectHttpError(await moderator.request('POST', '/api/events', body), 400, 'bad_request');
    });

    it(`a title over ${LIMITS.eventTitle} characters → 400 bad_request naming title`, async () => {
      const result = await moderator.request('POST', '/api/events', {
        title: 't'.repeat(LIMITS.eventTitle + 1),
        startsAt: startsAt(),
      });
      expectHttpError(result, 400, 'bad_request', /title/);
    });

    it('a bad slug → 400 bad_request naming slug', async () => {
      for (const slug of ['UPPER', 'a', '-dash-', 'spaces in it', '../etc', 'x'.repeat(65)]) {
        const result = await moderator.request('POST', '/api/events', { title: 'Slugs', slug, startsAt: startsAt() });
        expectHttpError(result, 400, 'bad_request', /slug/);
      }
    });

    it('a body over the JSON size limit → 413 with a protocol error body', async () => {
      const result = await moderator.request('POST', '/api/events', {
        title: 'Big',
        startsAt: startsAt(),
        description: 'd'.repeat(2_000_000),
      });
      expect(result.status).toBe(413);
      expect(ERROR_CODES).toContain((result.body as HttpErrorBody).error);
      expect(result.body).toMatchObject({ statusCode: 413, message: expect.any(String) });
    });

    it('PATCH with wrong types → 400 and the event is unchanged', async () => {
      const event = await moderator.createEvent({ slug: uniqueSlug('patch'), title: 'Before' });
      const result = await moderator.request('PATCH', `/api/events/${event.slug}`, {
        title: '',
        slowModeSeconds: 'fast',
        password: 5,
      });
      expectHttpError(result, 400, 'bad_request', /title/);
      const after = await moderator.expectOk<EventDetails>('GET', `/api/events/${event.slug}/details`);
      expect(after).toMatchObject({ title: 'Before', slowModeSeconds: 0, passwordRequired: false });
    });

    it('join with wrong types → 400 bad_request naming the field', async () => {
      const event = await moderator.createEvent({ slug: uniqueSlug('join-types') });
      const anonymous = new Api(server.url);
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
      const anonymous = new Api(server.url);
      expectHttpError(await anonymous.request('GET', '/api/events/no-such-event'), 404, 'not_found', /not found/i);
      expectHttpError(await anonymous.request('POST', '/api/events/no-such-event/join', {}), 404, 'not_found');
      expectHttpError(await moderator.request('GET', '/api/events/no-such-event/details'), 404, 'not_found');
      expectHttpError(await moderator.request('PATCH', '/api/events/no-such-event', { title: 'x' }), 404, 'not_found');
      expectHttpError(await moderator.request('GET', `/api/events/${'x'.repeat(500)}`), 404, 'not_found');
      expectHttpError(
        await anonymous.request('GET', `/api/events/${encodeURIComponent("x' OR '1'='1")}`),
        404,
        'not_found',
      );
    });

    it('an unknown route → 404 not_found in the protocol error shape', async () => {
      expectHttpError(await new Api(server.url).request('GET', '/api/nothing-here'), 404, 'not_found');
    });

    it('the server is still healthy after all of that', async () => {
      expect((await new Api(server.url).request('GET', '/health')).status).toBe(200);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('flood guard (SOCKET_MESSAGES_PER_SECOND=5)', () => {
  let server: TestServer;
  let cast: Cast;

  beforeAll(async () => {
    server = await startServer({ SOCKET_MESSAGES_PER_SECOND: '5' });
    cast = await castFor(server, await Api.asModerator(server.url), 'flood');
    await sleep(1100); // the joins above do not count, but start from a fresh window anyway
  });
  afterAll(async () => {
    closeCast(cast);
    await server?.close();
  });

  it('a flood gets rate_limited errors with a retry hint; the socket stays connected and works again after a second', async () => {
    const journalist = cast.clients.journalist;
    const replies = await Promise.all(
      Array.from({ length: 15 }, () => emitAck(journalist, 'question:vote', { questionId: randomUUID() })),
    );
    const limited = replies.filter((r) => !r.ok && r.error.code === 'rate_limited');
    const passed = replies.filter((r) => r.ok || r.error.code !== 'rate_limited');
    expect(passed).toHaveLength(5);
    for (const reply of passed) expectError(reply, 'not_found');
    expect(limited).toHaveLength(10);
    for (const reply of limited) {
      expectError(reply, 'rate_limited', /slow down|too many/i);
      if (!reply.ok) expect(reply.error.retryAfterMs).toBeGreaterThan(0);
    }
    expect(journalist.socket.connected).toBe(true);

    await sleep(1100);
    expect(await emitAck(journalist, 'hand:lower', {})).toEqual({ ok: true });
    const said = await emitAck(journalist, 'chat:send', { text: 'Back after the flood' });
    expect(said.ok).toBe(true);
    expect(journalist.socket.connected).toBe(true);
  });

  it('a flood without acknowledgements gets action:error rate_limited events', async () => {
    await sleep(1100);
    const viewer = cast.clients.viewer;
    for (let i = 0; i < 12; i++) viewer.socket.emit('question:vote', { questionId: randomUUID() });
    const errors = await actionErrors(viewer, 'question:vote', 12);
    expect(errors.filter((e) => e.code === 'rate_limited')).toHaveLength(7);
    expect(errors.filter((e) => e.code === 'not_found')).toHaveLength(5);
    expect(viewer.socket.connected).toBe(true);
  });

  it('the guard limits only the flooding socket: the moderator is not slowed down meanwhile', async () => {
    await sleep(1100);
    const flood = Promise.all(
      Array.from({ length: 20 }, () => emitAck(cast.clients.journalist, 'question:vote', { questionId: randomUUID() })),
    );
    const moderatorReply = await emitAck(cast.clients.moderator, 'question:onAir', { questionId: null });
    expect(moderatorReply).toEqual({ ok: true });
    expect((await flood).filter((r) => !r.ok && r.error.code === 'rate_limited').length).toBeGreaterThan(0);
  });

  it('unknown events count towards the flood guard too ("whatever they are")', async () => {
    await sleep(1100);
    const speaker = cast.clients.speaker;
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => emitAck(speaker, `junk:${i}`, {})));
    expect(replies.filter((r) => !r.ok && r.error.code === 'rate_limited').length).toBe(15);
    // The budget of this second is spent: a real action is refused too.
    expectError(await emitAck(speaker, 'chat:send', { text: 'Right after the junk' }), 'rate_limited');
    expect(speaker.socket.connected).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The fuzz generator: seeded, no dependency, and producing only payloads that are invalid for their action.

/** mulberry32: small, fast, and the same sequence for the same seed on every run. */
class Rng {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  uuid(): string {
    const hex = () => this.int(16).toString(16);
    const part = (n: number) => Array.from({ length: n }, hex).join('');
    return `${part(8)}-${part(4)}-4${part(3)}-${this.pick(['8', '9', 'a', 'b'])}${part(3)}-${part(12)}`;
  }
}

const POLLUTION_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'isAdmin',
  'role',
  'then',
];
const UNICODE = [
  'é',
  '漢字',
  '😀',
  '👩‍👩‍👧',
  '\u202e',
  '\u200b',
  '\u0000',
  '\ud800',
  '\uffff',
  'ﷺ',
  '𝔘𝔫𝔦',
  '\n',
  '"',
  '\\',
  '<script>alert(1)</script>',
  "'; DROP TABLE question; --",
  '%s%n',
  '${x}',
];
const NUMBERS = [0, -1, 1, 42, 2 ** 31, 2 ** 53 + 1, -1e308, 1e308, Math.PI, 5e-324, -0.5];
const RESERVED_ON_CLIENT = new Set([
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
]);

type FieldKind =
  'id' | 'nullableId' | 'text' | 'topic' | 'ids' | 'bool' | 'direction' | 'mediaKind' | 'source' | 'params';
const FIELDS: { [A in ClientActionName]: Record<string, FieldKind> } = {
  'chat:send': { text: 'text' },
  'question:ask': { text: 'text' },
  'question:vote': { questionId: 'id' },
  'hand:raise': { topic: 'topic' },
  'hand:lower': {},
  'chat:approve': { messageId: 'id' },
  'chat:hide': { messageId: 'id' },
  'question:approve': { questionId: 'id' },
  'question:reject': { questionId: 'id' },
  'question:edit': { questionId: 'id', text: 'text' },
  'question:order': { questionIds: 'ids' },
  'question:answered': { questionId: 'id' },
  'question:onAir': { questionId: 'nullableId' },
  'hand:ack': { handId: 'id' },
  'hand:dismiss': { handId: 'id' },
  'user:mute': { participantId: 'id', muted: 'bool' },
  'user:ban': { participantId: 'id' },
  'studio:join': {},
  'studio:leave': {},
  'studio:createTransport': { direction: 'direction' },
  'studio:connectTransport': { transportId: 'id', dtlsParameters: 'params' },
  'studio:produce': { transportId: 'id', kind: 'mediaKind', rtpParameters: 'params', source: 'source' },
  'studio:consume': { transportId: 'id', producerId: 'id', rtpCapabilities: 'params' },
  'studio:resumeConsumer': { consumerId: 'id' },
  'studio:pauseProducer': { producerId: 'id' },
  'studio:resumeProducer': { producerId: 'id' },
  'studio:closeProducer': { producerId: 'id' },
};

function junkString(rng: Rng, maxLength: number): string {
  let out = '';
  const length = rng.int(maxLength + 1);
  while (out.length < length) out += rng.chance(0.3) ? rng.pick(UNICODE) : String.fromCharCode(rng.between(32, 126));
  return out;
}

function junkKey(rng: Rng): string {
  return rng.pick([
    () => rng.pick(POLLUTION_KEYS),
    () => junkString(rng, 12),
    () => '',
    () => 'k'.repeat(rng.between(100, 2000)),
  ])();
}

function nested(rng: Rng, depth: number): unknown {
  const useArray = rng.chance(0.5);
  let value: unknown = rng.pick([null, 1, 'bottom', true]);
  for (let i = 0; i < depth; i++)
    value = useArray ? [value] : { [rng.pick(['a', '__proto__', 'constructor', 'x'])]: value };
  return value;
}

function junkValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 3 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick(NUMBERS);
    case 3:
      return junkString(rng, 40);
    case 4:
      return rng.pick(['', ' ', 'null', 'undefined', 'true', '[object Object]']);
    case 5:
      return rng.uuid();
    case 6:
      return Array.from({ length: rng.int(6) }, () => junkValue(rng, depth + 1));
    case 7:
      return junkObject(rng, depth + 1);
    default:
      return nested(rng, rng.between(10, 200));
  }
}

/** An object with at least one key that no action knows, plus maybe prototype-pollution keys. */
function junkObject(rng: Rng, depth = 0, minKeys = 1): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const count = rng.between(minKeys, 5);
  for (let i = 0; i < count; i++)
    Object.defineProperty(object, junkKey(rng), {
      value: junkValue(rng, depth),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  // Always at least one plainly unknown key, so the object is never valid for any action.
  object[`zz_${rng.int(1e6)}`] = junkValue(rng, depth);
  return object;
}

function wellFormed(kind: FieldKind, rng: Rng): unknown {
  switch (kind) {
    case 'id':
    case 'nullableId':
      return rng.uuid();
    case 'text':
      return 'A perfectly fine text';
    case 'topic':
      return 'A topic';
    case 'ids':
      return [rng.uuid()];
    case 'bool':
      return true;
    case 'direction':
      return 'send';
    case 'mediaKind':
      return 'audio';
    case 'source':
      return 'microphone';
    case 'params':
      return {};
  }
}

const notAString = (rng: Rng): unknown =>
  rng.pick([() => rng.pick(NUMBERS), () => rng.chance(0.5), () => junkObject(rng, 2), () => [junkValue(rng, 2)]])();

/** A value of the wrong type, malformed or oversized for this kind of field: never valid. */
function invalidFor(kind: FieldKind, rng: Rng): unknown {
  const notUuid = () =>
    rng.pick([
      `x${junkString(rng, 30)}`,
      `${rng.uuid()}x`,
      rng.uuid().toUpperCase().replace(/-/g, ''),
      '',
      ' ',
      'g'.repeat(36),
    ]);
  switch (kind) {
    case 'id':
      return rng.pick([notAString, () => null, notUuid, () => 'i'.repeat(rng.between(1000, 50_000))])(rng);
    case 'nullableId':
      return rng.pick([notAString, notUuid, () => 'i'.repeat(rng.between(1000, 50_000))])(rng);
    case 'text':
      return rng.pick([
        notAString,
        () => null,
        () => rng.pick(['', '   ', '\n\t \r']),
        () => 'x'.repeat(rng.between(LIMITS.questionText + 1, LIMITS.questionText + 3000)),
        () => 'w'.repeat(rng.between(10_000, 58_000)),
        () => '😀'.repeat(rng.between(LIMITS.chatText + 1, 5000)),
      ])(rng);
    case 'topic':
      return rng.pick([notAString, () => 't'.repeat(rng.between(LIMITS.handTopic + 1, 30_000))])(rng);
    case 'ids':
      return rng.pick([
        notAString,
        () => null,
        () => rng.uuid(),
        () => [rng.uuid(), junkValue(rng, 2)].concat(rng.chance(0.5) ? [notUuid()] : [null]),
        () => Array.from({ length: 1001 + rng.int(200) }, () => rng.uuid()),
      ])(rng);
    case 'bool':
      return rng.pick([
        () => rng.pick(NUMBERS),
        () => rng.pick(['true', 'false', '']),
        () => null,
        () => [true],
        () => ({}),
      ])();
    case 'direction':
    case 'mediaKind':
    case 'source':
      return rng.pick([notAString, () => null, () => junkString(rng, 20).toUpperCase() + '!'])(rng);
    case 'params':
      return rng.pick([() => rng.pick(NUMBERS), () => null, () => junkString(rng, 40), () => rng.chance(0.5)])();
  }
}

function junkActionName(rng: Rng): string {
  const name = rng.pick([
    () => junkString(rng, 30),
    () => rng.pick(CLIENT_ACTIONS).toUpperCase(),
    () => `${rng.pick(CLIENT_ACTIONS)}${rng.pick([' ', ':', 'x', '\u0000', '/'])}`,
    () =>
      rng.pick(['state', 'action:error', 'counters', 'question:pending', 'user:banned', 'error', 'ping', 'message']),
    () => rng.pick(POLLUTION_KEYS),
    () => 'n'.repeat(rng.between(100, 3000)),
    () => '',
  ])();
  return RESERVED_ON_CLIENT.has(name) ? `${name}!` : name;
}

interface JunkMessage {
  action: string;
  kind: string;
  /** What goes after the event name (empty: no payload at all). */
  args: unknown[];
}

function junkMessage(rng: Rng): JunkMessage {
  for (;;) {
    const known = rng.chance(0.7);
    const action = known ? rng.pick(CLIENT_ACTIONS) : junkActionName(rng);
    const fields = known ? FIELDS[action as ClientActionName] : { text: 'text' as FieldKind };
    const base = () => Object.fromEntries(Object.entries(fields).map(([name, kind]) => [name, wellFormed(kind, rng)]));
    const kinds = [
      'missing',
      'not-object',
      'extra-keys',
      'wrong-field',
      'deep',
      'huge',
      'pollution',
      'many-args',
    ] as const;
    const kind = rng.pick(kinds);
    let args: unknown[];
    switch (kind) {
      case 'missing':
        args = [];
        break;
      case 'not-object':
        args = [
          rng.pick([
            null,
            rng.pick(NUMBERS),
            junkString(rng, 50),
            rng.chance(0.5),
            Array.from({ length: rng.int(4) }, () => junkValue(rng, 1)),
            [base()],
          ]),
        ];
        break;
      case 'extra-keys':
        args = [{ ...base(), ...junkObject(rng) }];
        break;
      case 'wrong-field': {
        const names = Object.keys(fields);
        if (names.length === 0) {
          args = [junkObject(rng)];
          break;
        }
        const name = rng.pick(names);
        args = [{ ...base(), [name]: invalidFor(fields[name]!, rng) }];
        break;
      }
      case 'deep': {
        const depth = rng.between(50, 1000); // deeper ones overflow the client's own encoder: see the raw-frame test
        const names = Object.keys(fields);
        args = [
          rng.pick([
            () => nested(rng, depth),
            () => ({ ...base(), [`deep_${rng.int(100)}`]: nested(rng, depth) }),
            () =>
              names.length ? { ...base(), [rng.pick(names)]: [nested(rng, depth)] } : { deep: nested(rng, depth) },
          ])(),
        ];
        break;
      }
      case 'huge':
        args = [
          rng.pick([
            () => 'h'.repeat(rng.between(10_000, 60_000)),
            () => ({ ...base(), [`huge_${rng.int(100)}`]: 'h'.repeat(rng.between(10_000, 58_000)) }),
            () => Array.from({ length: rng.between(1000, 5000) }, () => rng.int(1000)),
            () => Object.fromEntries(Array.from({ length: rng.between(500, 2000) }, (_, i) => [`k${i}`, i])),
          ])(),
        ];
        break;
      case 'pollution': {
        const payload = JSON.parse(JSON.stringify(base())) as Record<string, unknown>;
        for (const key of ['__proto__', 'constructor', 'prototype']) {
          if (rng.chance(0.7))
            Object.defineProperty(payload, key, {
              value: { role: 'moderator', isAdmin: true, polluted: junkValue(rng, 2) },
              enumerable: true,
              writable: true,
              configurable: true,
            });
        }
        payload[`zz_${rng.int(1e6)}`] = true; // never valid, whatever the server does with the keys above
        args = [payload];
        break;
      }
      case 'many-args':
        args = [base(), ...Array.from({ length: rng.between(1, 4) }, () => junkValue(rng, 1))];
        break;
    }
    const bytes = args.length === 0 ? 0 : Buffer.byteLength(JSON.stringify([action, ...args]) ?? '');
    if (bytes < SOCKET_LIMIT_BYTES - 2048) return { action, kind, args };
  }
}

function describeArgs(args: unknown[]): string {
  if (args.length === 0) return '(no payload)';
  const text = JSON.stringify(args) ?? String(args);
  return text.length > 160 ? `${text.slice(0, 160)}… (${text.length} chars)` : text;
}
