import { createHmac } from 'node:crypto';
import type { ActionReply, IceServer } from '@pressroom/protocol';
import { openPressConference, type PressConference } from './harness/press-conference';
import { startServer, type TestServer } from './harness/server';
import type { LiveClient } from './harness/live-client';

const TURN_URLS = 'turn:turn.example.org:3478?transport=udp,turns:turn.example.org:5349?transport=tcp';
const TURN_SECRET = 'a-shared-secret-of-the-press-office';
const TTL = 7200;

type CreateTransportReply = Extract<ActionReply<'studio:createTransport'>, { ok: true }>;

async function iceServersOf(client: LiveClient): Promise<IceServer[]> {
  const joined = await client.send('studio:join', {});
  if (!joined.ok) throw new Error(`studio:join: ${joined.error.code}`);
  const reply = await client.send('studio:createTransport', { direction: 'send' });
  if (!reply.ok) throw new Error(`createTransport: ${reply.error.code}`);
  return (reply as CreateTransportReply).transport.iceServers;
}

/** TURN servers reach the studio's browsers with credentials of their own; the secret reaches nobody. */
describe('TURN servers handed to studio browsers', () => {
  let server: TestServer;
  let room: PressConference;

  beforeAll(async () => {
    server = await startServer({ TURN_URLS, TURN_SECRET, TURN_TTL_SECONDS: String(TTL) });
    room = await openPressConference(server);
  });
  afterAll(async () => {
    room?.close();
    await server?.close();
  });

  it('a speaker and a moderator each get the URLs with a credential for themselves, valid TURN_TTL_SECONDS', async () => {
    for (const client of [room.speaker, room.moderator]) {
      const before = Math.floor(Date.now() / 1000);
      const [turn, ...more] = await iceServersOf(client);
      expect(more).toEqual([]);
      expect(turn!.urls).toEqual(TURN_URLS.split(','));
      const [expiry, participantId] = turn!.username.split(':');
      expect(participantId).toBe(client.state.me.participantId);
      expect(Number(expiry)).toBeGreaterThanOrEqual(before + TTL);
      expect(Number(expiry)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + TTL);
      // What coturn computes with its static-auth-secret.
      expect(turn!.credential).toBe(createHmac('sha1', TURN_SECRET).update(turn!.username).digest('base64'));
    }
  });

  it('journalists and viewers get none, and no client ever receives the secret', async () => {
    for (const client of [room.journalist, room.viewer]) {
      expect(await client.send('studio:createTransport', { direction: 'send' })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    for (const client of [room.speaker, room.moderator, room.journalist, room.viewer]) {
      expect(JSON.stringify(client.received)).not.toContain(TURN_SECRET);
    }
  });

  it('without TURN_URLS, transports come with no TURN server', async () => {
    const plain = await startServer();
    const conference = await openPressConference(plain);
    try {
      expect(await iceServersOf(conference.speaker)).toEqual([]);
    } finally {
      conference.close();
      await plain.close();
    }
  });
});
