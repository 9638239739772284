/**
 * The flood guard (SOCKET_MESSAGES_PER_SECOND): a socket that sends too much gets rate_limited errors with
 * a retry hint, stays connected, and slows down nobody else.
 */
import { randomUUID } from 'node:crypto';
import { Api } from './harness/api';
import { sleep, emitAck, expectError, actionErrors, castFor, closeCast, type Cast } from './harness/bad-input';
import { startServer, type TestServer } from './harness/server';

jest.setTimeout(120_000);

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
