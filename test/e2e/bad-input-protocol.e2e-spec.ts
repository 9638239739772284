/**
 * Bad input below the actions: unknown event names, packets that are not JSON, reserved event names,
 * messages over the socket limit and absurdly deep nesting. A refusal keeps the socket where socket.io
 * lets the server refuse; a frame socket.io itself rejects closes only that socket, and the server and
 * every other client keep working.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Api } from './harness/api';
import {
  ROLES,
  SOCKET_LIMIT_BYTES,
  emitAck,
  expectError,
  actionErrors,
  waitForDisconnect,
  suiteStage,
  castForBlock,
} from './harness/bad-input';
import { LiveClient } from './harness/live-client';

describe('bad input', () => {
  const suite = suiteStage();

  describe('unknown event names', () => {
    const scene = castForBlock(suite, 'unknown');

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
        const reply = await emitAck(scene.cast.clients[role], name, { text: 'hi' });
        expectError(reply, 'unknown_event', /unknown/i);
        if (!reply.ok) expect(reply.error.message.length).toBeLessThan(200);
      }
    });

    it.each(NAMES.slice(0, 12).map((name) => [JSON.stringify(name), name]))(
      '%s without an acknowledgement → action:error unknown_event',
      async (_, name) => {
        const sender = scene.cast.clients.viewer;
        const before = sender.all('action:error').filter((e) => e.action === name).length;
        sender.socket.emit(name, { text: 'hi' });
        const errors = (await actionErrors(sender, name, before + 1)).slice(before);
        expect(errors).toEqual([expect.objectContaining({ code: 'unknown_event' })]);
      },
    );

    it('an unknown event with no payload and an acknowledgement → unknown_event', async () => {
      expectError(await emitAck(scene.cast.clients.journalist, 'nope'), 'unknown_event');
    });

    it('a numeric event name (raw packet) → action:error unknown_event', async () => {
      const sender = scene.cast.clients.journalist;
      const raw = sender.socket as unknown as { packet(packet: object): void };
      raw.packet({ type: 2, data: [42, { text: 'hi' }] });
      const errors = await actionErrors(sender, '42', 1);
      expect(errors).toEqual([expect.objectContaining({ code: 'unknown_event' })]);
      expect(sender.socket.connected).toBe(true);
    });

    it('all sockets are still connected, and a normal action still works', async () => {
      for (const role of ROLES) expect(scene.cast.clients[role].socket.connected).toBe(true);
      const reply = await emitAck(scene.cast.clients.journalist, 'chat:send', { text: 'Still here' });
      expect(reply.ok).toBe(true);
    });
  });

  describe('protocol-level junk and messages over the socket limit', () => {
    const scene = castForBlock(suite, 'frames');

    /** Writes one engine.io message as it is: what a hand-written client can put on the wire. */
    function writeRaw(client: LiveClient, data: string | Buffer): void {
      (client.socket.io.engine as unknown as { write(data: string | Buffer): void }).write(data);
    }

    async function onlyThisSocketDropped(victim: LiveClient, token: string): Promise<void> {
      // The others are unaffected…
      for (const role of ['moderator', 'viewer'] as const) {
        expect(scene.cast.clients[role].socket.connected).toBe(true);
        expectError(
          await emitAck(scene.cast.clients[role], 'question:vote', { questionId: randomUUID() }),
          role === 'viewer' ? 'not_found' : 'forbidden',
        );
      }
      // …they still get live events…
      const queued = scene.cast.clients.moderator.next('hand:queue', ({ hands }) =>
        hands.some((hand) => hand.participantId === scene.cast.ids.journalist && hand.topic === 'After the bad frame'),
      );
      expect((await emitAck(scene.cast.clients.journalist, 'hand:raise', { topic: 'After the bad frame' })).ok).toBe(
        true,
      );
      await queued;
      expect((await emitAck(scene.cast.clients.journalist, 'hand:lower', {})).ok).toBe(true);
      // …the server is healthy…
      const health = await new Api(suite.server.url).request<{ status: string }>('GET', '/health');
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('ok');
      // …a new client can still join…
      const joined = await new Api(suite.server.url).join(scene.cast.event.slug, { name: 'Late Viewer' });
      const newcomer = await LiveClient.connect(suite.server.url, joined.accessToken);
      try {
        expect(newcomer.state.me).toMatchObject({ role: 'viewer', name: 'Late Viewer' });
      } finally {
        newcomer.close();
      }
      // …and the dropped client can come back with the same token.
      const again = await LiveClient.connect(suite.server.url, token);
      try {
        expect(again.state.me.participantId).toBe(victim.state.me.participantId);
        expect((await emitAck(again, 'hand:lower', {})).ok).toBe(true);
      } finally {
        again.close();
      }
    }

    it('a message over 64 KiB drops only that socket; it can reconnect', async () => {
      const victim = await LiveClient.connect(suite.server.url, scene.cast.tokens.journalist);
      const dropped = waitForDisconnect(victim);
      victim.socket.emit('chat:send', { text: 'z'.repeat(SOCKET_LIMIT_BYTES + 1024) });
      expect(await dropped).toBe('transport close');
      await onlyThisSocketDropped(victim, scene.cast.tokens.journalist);
      const fresh = await LiveClient.connect(suite.server.url, scene.cast.tokens.moderator);
      expect(fresh.state.chat).toEqual([]);
      fresh.close();
    });

    it('a packet that is not JSON drops only that socket; it can reconnect', async () => {
      const victim = await LiveClient.connect(suite.server.url, scene.cast.tokens.journalist);
      const dropped = waitForDisconnect(victim);
      writeRaw(victim, '2/live,["chat:send",{"text":');
      expect(await dropped).toBeTruthy();
      await onlyThisSocketDropped(victim, scene.cast.tokens.journalist);
    });

    // socket.io's own parser rejects a reserved name before any handler of ours sees it, as it rejects a
    // packet that is not JSON: a protocol error, which closes that connection. No socket.io client can
    // send one (they refuse to emit reserved names), so only a hand-written client meets this.
    it('a reserved event name (raw "disconnect" packet) is a protocol error: only that socket is closed; it can reconnect', async () => {
      const victim = await LiveClient.connect(suite.server.url, scene.cast.tokens.journalist);
      const raw = victim.socket as unknown as { packet(packet: object): void };
      const dropped = waitForDisconnect(victim);
      raw.packet({ type: 2, data: ['disconnect', 'forged'] });
      expect(await dropped).toBe('transport close');
      expect(victim.all('action:error')).toEqual([]);
      await onlyThisSocketDropped(victim, scene.cast.tokens.journalist);
    });

    const MiB = 1024 * 1024;
    it.each([
      ['a 4 MiB text frame', () => `2/live,["chat:send",{"text":"${'m'.repeat(4 * MiB)}"}]`],
      ['a binary frame just over the limit', () => Buffer.alloc(SOCKET_LIMIT_BYTES + 1, 7)],
      ['a binary frame of random bytes', () => randomBytes(512)],
      ['control characters in the packet header', () => '2\u0000\u0007/live,["chat:send",{"text":"hi"}]'],
      ['control characters in the namespace', () => '2/li\u0000ve\u009f,["chat:send",{"text":"hi"}]'],
      [
        'raw (unescaped) control characters inside a JSON string',
        () => '2/live,["chat:send",{"text":"a\u0000\u0001\u001fb"}]',
      ],
      ['only control characters', () => '\u0000\u0001\u0002\u001b\u007f\u0085'],
      ['a packet type that does not exist', () => '9/live,["chat:send",{"text":"hi"}]'],
    ])('%s closes only that socket; the server and the others keep working', async (_, frame) => {
      const victim = await LiveClient.connect(suite.server.url, scene.cast.tokens.journalist);
      const dropped = waitForDisconnect(victim);
      writeRaw(victim, frame());
      expect(await dropped).toBe('transport close');
      await onlyThisSocketDropped(victim, scene.cast.tokens.journalist);
      const fresh = await LiveClient.connect(suite.server.url, scene.cast.tokens.moderator);
      expect(fresh.state.chat).toEqual([]);
      fresh.close();
    });

    /** Raw frames: the socket.io client cannot even encode nesting this deep, but anyone can write the JSON by hand. */
    it.each([
      ['the payload', (d: number) => `${'['.repeat(d)}${']'.repeat(d)}`],
      ['the text field', (d: number) => `{"text":${'['.repeat(d)}${']'.repeat(d)}}`],
      ['an unknown field', (d: number) => `{"text":"hi","deep":${'['.repeat(d)}${']'.repeat(d)}}`],
      ['nested objects', (d: number) => `{"text":"hi","a":${'{"a":'.repeat(d)}1${'}'.repeat(d)}}`],
    ])('nesting 10 000 levels deep in %s (raw frame) → bad_request, the socket stays connected', async (_, build) => {
      const sender = await LiveClient.connect(suite.server.url, scene.cast.tokens.journalist);
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
      const fresh = await LiveClient.connect(suite.server.url, scene.cast.tokens.moderator);
      expect(fresh.state.chat).toEqual([]);
      fresh.close();
    });
  });
});
