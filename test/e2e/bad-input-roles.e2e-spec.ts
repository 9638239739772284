/**
 * Actions sent by roles that may not send them, and well-formed ids of another event: refused as
 * forbidden or not_found, and nothing they asked for happens.
 */
import { ACTION_ROLES, CLIENT_ACTIONS, type Transcript } from '@pressroom/protocol';
import { Api } from './harness/api';
import {
  ROLES,
  sleep,
  emitAck,
  expectError,
  actionErrors,
  castFor,
  closeCast,
  SPECS,
  type Cast,
} from './harness/bad-input';
import { LiveClient } from './harness/live-client';
import { startServer, type TestServer } from './harness/server';

jest.setTimeout(120_000);

describe('bad input', () => {
  let server: TestServer;
  let moderator: Api;

  beforeAll(async () => {
    server = await startServer();
    moderator = await Api.asModerator(server.url);
  });
  afterAll(() => server?.close());

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
});
