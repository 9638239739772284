/**
 * Bad input on the realtime actions of the conversation (chat, questions, hands, moderation): malformed,
 * oversized and wrong-typed payloads of every action, sent by a role allowed to send it. Every refusal is a
 * clear bad_request naming what is wrong, nothing changes, and every socket stays connected.
 */
import { randomUUID } from 'node:crypto';
import { CLIENT_ACTIONS, type LiveState, type Transcript } from '@pressroom/protocol';
import {
  ROLES,
  emitAck,
  expectError,
  describePayloadCases,
  isStudioAction,
  suiteStage,
  castForBlock,
} from './harness/bad-input';
import { LiveClient } from './harness/live-client';

describe('bad input', () => {
  const suite = suiteStage();

  describe('realtime payloads, for every action as a role allowed to send it', () => {
    const scene = castForBlock(suite, 'payloads');

    describePayloadCases(
      CLIENT_ACTIONS.filter((action) => !isStudioAction(action)),
      () => scene.cast,
    );

    it.each(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf'])(
      'a "%s" key is refused like any other unknown field (question:vote → bad_request, not a lookup)',
      async (key) => {
        const payload = JSON.parse(`{"questionId":"${randomUUID()}","${key}":{"isAdmin":true}}`) as object;
        expect(Object.keys(payload)).toContain(key);
        const reply = await emitAck(scene.cast.clients.journalist, 'question:vote', payload);
        expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
        expectError(reply, 'bad_request', new RegExp(key));
      },
    );

    it('none of the bad payloads changed anything: a fresh moderator state and the transcript are empty', async () => {
      const fresh = await LiveClient.connect(suite.server.url, scene.cast.tokens.moderator);
      try {
        const state: LiveState = fresh.state;
        expect(state.chat).toEqual([]);
        expect(state.questions).toEqual([]);
        expect(state.hands).toEqual([]);
      } finally {
        fresh.close();
      }
      const transcript = await suite.moderator.expectOk<Transcript>(
        'GET',
        `/api/events/${scene.cast.event.slug}/transcript`,
      );
      expect(transcript).toMatchObject({ chat: [], questions: [], hands: [], moderation: [] });
      const journalist = await LiveClient.connect(suite.server.url, scene.cast.tokens.journalist);
      try {
        expect(journalist.state.hand).toBeNull();
        expect(journalist.state.me.muted).toBe(false);
      } finally {
        journalist.close();
      }
    });

    it('every socket is still connected after all of that', () => {
      for (const role of ROLES) expect(scene.cast.clients[role].socket.connected).toBe(true);
    });
  });
});
