/**
 * What the bad-input suites (`test/e2e/bad-input-*.e2e-spec.ts`) share: a cast of one socket per role on a
 * fresh event, acknowledged sends, the expected error shapes, and the table of what is wrong with each
 * action's payload. The seeded junk generator is in `./junk`.
 */
import { randomUUID } from 'node:crypto';
import {
  ACTION_ROLES,
  CAPTION_MAX_LENGTH,
  LIMITS,
  type ActionError,
  type CrewRole,
  type SpeakerInviteView,
  type ClientActionName,
  type ErrorCode,
  type EventDetails,
  type Role,
} from '@pressroom/protocol';
import { Api } from './api';
import { LiveClient } from './live-client';
import type { TestServer } from './server';
import { serverStage, type Stage } from './stage';

export type Reply = ({ ok: true } & Record<string, unknown>) | { ok: false; error: ActionError };

export const ROLES: readonly Role[] = [
  'moderator',
  'speaker',
  'journalist',
  'viewer',
  'captioner',
  'interpreter',
  'signer',
];
/** socket.io's `maxHttpBufferSize` on `/live` (LiveIoAdapter). */
export const SOCKET_LIMIT_BYTES = 64 * 1024;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Emits `action` with exactly these arguments plus an acknowledgement, and resolves with the reply. */
export function emitAck(client: LiveClient, action: string, ...args: unknown[]): Promise<Reply> {
  return client.socket.timeout(5000).emitWithAck(action, ...args) as Promise<Reply>;
}

export function expectError(reply: Reply, code: ErrorCode, message?: RegExp): void {
  expect(reply).toEqual({ ok: false, error: expect.objectContaining({ code, message: expect.any(String) }) });
  if (reply.ok) return;
  expect(reply.error.message.trim()).not.toBe('');
  if (message) expect(reply.error.message).toMatch(message);
}

/** Resolves once the client has received `count` `action:error` events for `action` in total. */
export async function actionErrors(
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

export function waitForDisconnect(client: LiveClient, timeoutMs = 5000): Promise<string> {
  if (!client.socket.connected) return Promise.resolve('already disconnected');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still connected after ${timeoutMs} ms`)), timeoutMs);
    client.socket.once('disconnect', (reason: string) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

export const isStudioAction = (action: ClientActionName): boolean => action.startsWith('studio:');

export const uniqueSlug = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export interface Cast {
  event: EventDetails;
  tokens: Record<Role, string>;
  ids: Record<Role, string>;
  clients: Record<Role, LiveClient>;
}

/** A fresh event with one connected socket per role. */
export async function castFor(server: TestServer, moderator: Api, prefix: string): Promise<Cast> {
  const event = await moderator.createEvent({ slug: uniqueSlug(prefix), title: `Bad input ${prefix}` });
  const anonymous = new Api(server.url);
  const invite = await moderator.inviteSpeaker(event.slug, 'Sam Speaker');
  const joins = {
    moderator: await moderator.join(event.slug),
    speaker: await anonymous.join(event.slug, { invite: invite.inviteToken }),
    journalist: await anonymous.join(event.slug, { name: 'Jo Journalist', outlet: 'Daily Planet' }),
    viewer: await anonymous.join(event.slug, { name: 'Vic Viewer' }),
    captioner: await anonymous.join(event.slug, { invite: await crewInvite(moderator, event.slug, 'captioner', 'es') }),
    interpreter: await anonymous.join(event.slug, {
      invite: await crewInvite(moderator, event.slug, 'interpreter', 'fr'),
    }),
    signer: await anonymous.join(event.slug, { invite: await crewInvite(moderator, event.slug, 'signer') }),
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

async function crewInvite(moderator: Api, slug: string, role: CrewRole, language?: string): Promise<string> {
  const invite = await moderator.expectOk<SpeakerInviteView>('POST', `/api/events/${slug}/speakers`, {
    name: `Crew ${role}`,
    role,
    ...(language ? { language } : {}),
  });
  return invite.inviteToken;
}

export function closeCast(cast: Cast | undefined): void {
  if (cast) for (const role of ROLES) cast.clients[role].close();
}

/** A bad-input suite's server and moderator (`serverStage`), with the long timeout these suites need. */
export function suiteStage(environment?: Record<string, string>): Stage {
  jest.setTimeout(120_000);
  return serverStage(environment);
}

/** A cast on a fresh event for the `describe` block it is called in. */
export function castForBlock(stage: Stage, prefix: string): { readonly cast: Cast } {
  const scene = {} as { cast: Cast };
  beforeAll(async () => (scene.cast = await castFor(stage.server, stage.moderator, prefix)));
  afterAll(() => closeCast(scene.cast));
  return scene;
}

/**
 * The role each action is tried as: the journalist where allowed, else the first allowed role. Studio
 * actions go as the speaker: a journalist may send them only while on stage (test/e2e/stage-*.e2e-spec.ts).
 */
export const senderOf = (action: ClientActionName): Role =>
  isStudioAction(action)
    ? 'speaker'
    : ACTION_ROLES[action].includes('journalist')
      ? 'journalist'
      : ACTION_ROLES[action][0]!;

// ---------------------------------------------------------------------------------------------------------
// What is wrong with each action's payload

export interface Case {
  name: string;
  payload: unknown;
  /** The message must name what is wrong (usually the field). */
  message: RegExp;
}

export interface Spec {
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

export const SPECS: { [A in ClientActionName]: Spec } = {
  'chat:send': {
    valid: () => ({ text: 'Hello' }),
    cases: () => textCases('text', LIMITS.chatText, () => ({ text: 'Hello' })),
  },
  'caption:send': {
    valid: () => ({ text: 'Good morning.' }),
    cases: () => [
      ...textCases('text', CAPTION_MAX_LENGTH, () => ({ text: 'Good morning.' })),
      { name: 'interim a string', payload: { text: 'Good', interim: 'yes' }, message: /interim/ },
      { name: 'a line break', payload: { text: 'Good\nmorning' }, message: /text/ },
    ],
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
  'stage:invite': { valid: ref('handId'), cases: () => idCases('handId', ref('handId')), unknownIds: 'not_found' },
  'stage:remove': {
    valid: ref('participantId'),
    cases: () => idCases('participantId', ref('participantId')),
    unknownIds: 'not_found',
  },
  'stage:mute': {
    valid: () => ({ participantId: randomUUID(), muted: true }),
    cases: () => {
      const base = () => ({ participantId: randomUUID(), muted: true });
      const message = /muted/;
      return [
        ...idCases('participantId', base),
        { name: 'muted missing', payload: { participantId: randomUUID() }, message },
        { name: 'muted a string', payload: { participantId: randomUUID(), muted: 'true' }, message },
        { name: 'muted null', payload: { participantId: randomUUID(), muted: null }, message },
      ];
    },
    unknownIds: 'not_found',
  },
  // A journalist with no invitation and not on stage.
  'stage:accept': { valid: () => ({}), cases: () => [], unknownIds: 'invalid_state' },
  'stage:decline': { valid: () => ({}), cases: () => [], unknownIds: 'invalid_state' },
  'stage:leave': { valid: () => ({}), cases: () => [], unknownIds: 'invalid_state' },
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

export const NOT_OBJECTS: Array<{ name: string; payload: unknown }> = [
  { name: 'null', payload: null },
  { name: 'a string', payload: 'hello' },
  { name: 'an empty string', payload: '' },
  { name: 'a number', payload: 42 },
  { name: 'zero', payload: 0 },
  { name: 'a boolean', payload: true },
  { name: 'an empty array', payload: [] },
];

// ---------------------------------------------------------------------------------------------------------

/**
 * For each action: no payload, payloads that are not objects, each malformed field, unknown and
 * prototype-pollution keys, a payload near the socket limit, ids of nothing, and no acknowledgement. Each
 * is sent by a role allowed to send the action (`senderOf`), on the sockets of `cast()`.
 */
export function describePayloadCases(actions: readonly ClientActionName[], cast: () => Cast): void {
  const client = (action: ClientActionName) => cast().clients[senderOf(action)];

  describe.each(actions.map((action) => [action, senderOf(action)] as const))('%s (as %s)', (action) => {
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
      expect(Object.keys(payload)).toEqual(expect.arrayContaining(['__proto__', 'constructor', 'prototype', 'sneaky']));
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
}
