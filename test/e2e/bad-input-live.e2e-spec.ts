/**
 * Bad input on the realtime actions of the conversation (chat, questions, hands, moderation): malformed,
 * oversized and wrong-typed payloads of every action, sent by a role allowed to send it. Every refusal is a
 * clear bad_request naming what is wrong, nothing changes, and every socket stays connected.
 */
import { randomUUID } from 'node:crypto';
import { CLIENT_ACTIONS, type LiveState, type Transcript } from '@pressroom/protocol';
import { Api } from './harness/api';
import {
  ROLES,
  emitAck,
  expectError,
  castFor,
  closeCast,
  describePayloadCases,
  isStudioAction,
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

  describe('realtime payloads, for every action as a role allowed to send it', () => {
    let cast: Cast;
    beforeAll(async () => (cast = await castFor(server, moderator, 'payloads')));
    afterAll(() => closeCast(cast));

    describePayloadCases(
      CLIENT_ACTIONS.filter((action) => !isStudioAction(action)),
      () => cast,
    );

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
});
