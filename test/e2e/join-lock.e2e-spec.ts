import type { EventDetails, PublicEvent } from '@pressroom/protocol';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Initial1763750000000 } from '../../apps/api/src/migrations/1763750000000-initial';
import { Api } from './harness/api';
import { LiveClient } from './harness/live-client';
import { openPressConference } from './harness/press-conference';
import { startServer, type TestServer } from './harness/server';

describe('Moderators lock joining during an event', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  const hlsCookie = async (slug: string, password: string) => {
    const response = await fetch(`${server.url}/api/events/${slug}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password }),
    });
    expect(response.status).toBe(200);
    return response.headers.getSetCookie()[0]!.split(';')[0]!;
  };
  const playlist = (slug: string, cookie: string) =>
    fetch(`${server.url}/hls/${slug}/index.m3u8`, { headers: { cookie } });

  it('refuses new audience members with a message while those already in keep taking part; unlocking lets them in', async () => {
    const password = 'press-only';
    const room = await openPressConference(server, { password });
    const { slug } = room.event;
    const audience = new Api(server.url);
    const watching = await hlsCookie(slug, password);
    expect(room.event.joinLocked).toBe(false);

    const locked = await room.moderatorApi.expectOk<EventDetails>('PATCH', `/api/events/${slug}`, { joinLocked: true });
    expect(locked.joinLocked).toBe(true);
    expect((await audience.expectOk<PublicEvent>('GET', `/api/events/${slug}`)).joinLocked).toBe(true);
    // Everyone's page learns it at once.
    await room.viewer.next('event:status', ({ event }) => event.joinLocked, { past: true });

    for (const request of [
      { password },
      { name: 'Carla Rossi', outlet: 'ANSA', password },
      { name: 'Dev', password },
    ]) {
      const refused = await audience.request('POST', `/api/events/${slug}/join`, request);
      expect(refused).toEqual({
        status: 403,
        body: {
          statusCode: 403,
          error: 'join_locked',
          message: 'The moderators have closed this event to new arrivals: nobody new may join now',
        },
      });
    }

    // Those in keep chatting, asking, watching, and come back after a reload with the access they have.
    expect(await room.journalist.send('chat:send', { text: 'Still here' })).toMatchObject({ ok: true });
    expect(await room.journalist.send('question:ask', { text: 'And the rail budget?' })).toMatchObject({ ok: true });
    expect((await playlist(slug, watching)).status).toBe(200);
    room.viewer.close();
    const reloaded = await LiveClient.connect(server.url, room.tokens.viewer);
    expect(reloaded.state.event.joinLocked).toBe(true);
    reloaded.close();
    // Moderators and invited speakers are not the audience: they still join.
    expect((await room.moderatorApi.request('POST', `/api/events/${slug}/join`, {})).status).toBe(200);
    const invite = await room.moderatorApi.inviteSpeaker(slug, 'Deputy Minister');
    expect((await audience.request('POST', `/api/events/${slug}/join`, { invite: invite.inviteToken })).status).toBe(
      200,
    );

    await room.moderatorApi.expectOk('PATCH', `/api/events/${slug}`, { joinLocked: false });
    expect(
      (await audience.request('POST', `/api/events/${slug}/join`, { name: 'Carla Rossi', outlet: 'ANSA', password }))
        .status,
    ).toBe(200);
    room.close();
  });

  it('takes only true or false, and only from moderators', async () => {
    const moderator = await Api.asModerator(server.url);
    const event = await moderator.createEvent();
    const wrong = await moderator.request('PATCH', `/api/events/${event.slug}`, { joinLocked: 'yes' });
    expect(wrong).toMatchObject({
      status: 400,
      body: { error: 'bad_request', message: 'joinLocked must be a boolean value' },
    });
    const anonymous = await new Api(server.url).request('PATCH', `/api/events/${event.slug}`, { joinLocked: true });
    expect(anonymous.status).toBe(401);
    expect((await moderator.expectOk<EventDetails>('GET', `/api/events/${event.slug}/details`)).joinLocked).toBe(false);
  });

  /** Set by `.ci/run` when a PostgreSQL server is reachable (a URL of a role that may create databases). */
  const postgresUrl = process.env.PRESSROOM_TEST_POSTGRES_URL;

  /** A database migrated up to the version before the lock, holding one event; its URL and a clean-up. */
  async function databaseBeforeTheLock(kind: 'sqlite' | 'postgres'): Promise<{ url: string; drop(): Promise<void> }> {
    const dataDir = mkdtempSync(join(tmpdir(), 'pressroom-join-lock-'));
    let url = `sqlite:${join(dataDir, 'pressroom.sqlite')}`;
    let drop = async () => rmSync(dataDir, { recursive: true, force: true });
    if (kind === 'postgres') {
      const name = `pressroom_lock_${randomBytes(4).toString('hex')}`;
      const admin = new Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const database = new URL(postgresUrl!);
      database.pathname = `/${name}`;
      url = database.toString();
      drop = async () => {
        const again = new Client({ connectionString: postgresUrl });
        await again.connect();
        await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await again.end();
      };
    }
    const before = new DataSource({
      ...(kind === 'postgres'
        ? { type: 'postgres' as const, url }
        : { type: 'better-sqlite3' as const, database: url.slice('sqlite:'.length) }),
      migrations: [Initial1763750000000],
    });
    await before.initialize();
    await before.runMigrations();
    const [p1, p2] = kind === 'postgres' ? ['$1', '$2'] : ['?', '?'];
    await before.query(
      `INSERT INTO press_event (id, slug, title, description, "startsAt", "passwordHash", "chatMode",
         "questionsEnabled", "retentionHours", "slowModeSeconds", status, "createdBy", "createdAt")
       VALUES ('00000000-0000-4000-8000-000000000001', 'older-briefing', 'Older briefing', '', ${p1}, NULL, 'post',
         true, 0, 0, 'scheduled', 'nobody', ${p2})`,
      // How TypeORM writes a date to SQLite: UTC, no "T" or "Z".
      [0, 0].map(() =>
        kind === 'postgres' ? new Date() : new Date().toISOString().replace('T', ' ').replace('Z', ''),
      ),
    );
    await before.destroy();
    return { url, drop };
  }

  it.each(postgresUrl ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const))(
    'adds the lock, open, to the events of a %s database made before it',
    async (kind) => {
      const database = await databaseBeforeTheLock(kind);
      const upgraded = await startServer({ DATABASE_URL: database.url });
      try {
        const event = await new Api(upgraded.url).expectOk<PublicEvent>('GET', '/api/events/older-briefing');
        expect(event).toMatchObject({ title: 'Older briefing', joinLocked: false });
        expect((await new Api(upgraded.url).request('POST', '/api/events/older-briefing/join', {})).status).toBe(200);
      } finally {
        await upgraded.close();
        await database.drop();
      }
    },
  );
});
