/**
 * Actions sent by roles that may not send them, and well-formed ids of another event: refused as
 * forbidden or not_found, and nothing they asked for happens.
 */
import { ACTION_ROLES, CLIENT_ACTIONS, type Transcript } from '@pressroom/protocol';
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
  suiteStage,
  castForBlock,
} from './harness/bad-input';
import { LiveClient } from './harness/live-client';

describe('bad input', () => {
  const suite = suiteStage();

  describe('wrong roles', () => {
    const scene = castForBlock(suite, 'roles');

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
      const reply = await emitAck(scene.cast.clients[role], action, SPECS[action].valid());
      expectError(reply, 'forbidden', new RegExp(`${role}.*${action}`));
    });

    it.each(refused.filter(([, role]) => role === 'viewer'))(
      '%s as %s without an acknowledgement → action:error forbidden',
      async (action, role) => {
        const sender = scene.cast.clients[role];
        const before = sender.all('action:error').filter((e) => e.action === action).length;
        sender.socket.emit(action, SPECS[action].valid());
        const errors = (await actionErrors(sender, action, before + 1)).slice(before);
        expect(errors).toEqual([expect.objectContaining({ code: 'forbidden' })]);
      },
    );

    it('a viewer asking a well-formed question is refused and the moderator never sees it', async () => {
      const from = scene.cast.clients.moderator.received.length;
      expectError(await emitAck(scene.cast.clients.viewer, 'question:ask', { text: 'Sneaky question?' }), 'forbidden');
      expectError(await emitAck(scene.cast.clients.speaker, 'hand:raise', { topic: 'Sneaky hand' }), 'forbidden');
      await sleep(300);
      const seen = scene.cast.clients.moderator.received.slice(from).map((r) => r.name);
      expect(seen).not.toContain('question:pending');
      expect(seen).not.toContain('hand:queue');
    });

    it('a journalist cannot ban or mute anyone: the viewer stays connected and unmuted', async () => {
      expectError(
        await emitAck(scene.cast.clients.journalist, 'user:ban', { participantId: scene.cast.ids.viewer }),
        'forbidden',
      );
      expectError(
        await emitAck(scene.cast.clients.journalist, 'user:mute', {
          participantId: scene.cast.ids.viewer,
          muted: true,
        }),
        'forbidden',
      );
      await sleep(200);
      expect(scene.cast.clients.viewer.socket.connected).toBe(true);
      expect(scene.cast.clients.viewer.all('user:status')).toEqual([]);
      expect(scene.cast.clients.viewer.all('user:banned')).toEqual([]);
    });

    it('nothing a forbidden action asked for happened', async () => {
      const fresh = await LiveClient.connect(suite.server.url, scene.cast.tokens.moderator);
      try {
        expect(fresh.state.questions).toEqual([]);
        expect(fresh.state.hands).toEqual([]);
      } finally {
        fresh.close();
      }
      const transcript = await suite.moderator.expectOk<Transcript>(
        'GET',
        `/api/events/${scene.cast.event.slug}/transcript`,
      );
      expect(transcript).toMatchObject({ chat: [], questions: [], hands: [], moderation: [] });
    });
  });

  describe('well-formed ids of another event', () => {
    let a: Cast;
    let b: Cast;
    beforeAll(async () => {
      a = await castFor(suite.server, suite.moderator, 'event-a');
      b = await castFor(suite.server, suite.moderator, 'event-b');
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

      const fresh = await LiveClient.connect(suite.server.url, b.tokens.moderator);
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
