import type { EventDetails, SpeakerInviteView } from '@pressroom/protocol';
import { randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { Api } from './harness/api';
import { findMarkers } from './harness/disk-scan';
import { LiveClient } from './harness/live-client';
import { waitFor } from './harness/media';
import { openPressConference } from './harness/press-conference';
import { describeWhenSet } from './harness/needs';
import { startServer, type TestServer } from './harness/server';

/** Set by `.ci/run` when a PostgreSQL server is reachable (a URL of a role that may create databases). */
const postgres = describeWhenSet('PRESSROOM_TEST_POSTGRES_URL', 'PostgreSQL');
const adminUrl = postgres.url;

postgres.describe('PostgreSQL: the same entities and migrations as SQLite', () => {
  const database = `pressroom_e2e_${randomBytes(4).toString('hex')}`;
  let server: TestServer;

  const admin = async <T>(work: (client: Client) => Promise<T>, url = adminUrl): Promise<T> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  let databaseUrl: string;
  /** As the test's role, in the server's database. */
  const inDatabase = <T>(work: (client: Client) => Promise<T>) => admin(work, databaseUrl);

  beforeAll(async () => {
    await admin((client) => client.query(`CREATE DATABASE ${database}`));
    const url = new URL(adminUrl!);
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
    server = await startServer({ DATABASE_URL: databaseUrl, PURGE_INTERVAL_SECONDS: '1' });
  });

  afterAll(async () => {
    await server?.close();
    await admin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  });

  it('runs the conversation and keeps it across a restart', async () => {
    const room = await openPressConference(server, { chatMode: 'pre', retentionHours: 1 });
    const asked = await room.journalist.send('question:ask', { text: 'Asked on PostgreSQL' });
    if (!asked.ok) throw new Error(asked.error.message);
    await room.moderator.send('question:approve', { questionId: asked.question.id });
    expect(await room.viewer.send('question:vote', { questionId: asked.question.id })).toEqual({ ok: true, votes: 1 });
    expect(await room.viewer.send('question:vote', { questionId: asked.question.id })).toMatchObject({
      ok: false,
      error: { code: 'already_voted' },
    });
    await room.journalist.send('chat:send', { text: 'Held for approval' });
    room.close();

    await server.restart();

    const viewer = await LiveClient.connect(server.url, room.tokens.viewer);
    const moderator = await LiveClient.connect(server.url, room.tokens.moderator);
    expect(viewer.state.questions.map((q) => [q.text, q.votes])).toEqual([['Asked on PostgreSQL', 1]]);
    expect(viewer.state.votedQuestionIds).toEqual([asked.question.id]);
    expect(moderator.state.chat.map((m) => [m.text, m.status])).toEqual([['Held for approval', 'pending']]);
    viewer.close();
    moderator.close();
  });

  it('the purge rewrites the purged tables (VACUUM FULL): their rows are gone from the files, not only from queries', async () => {
    const tag = randomBytes(4).toString('hex');
    const markers = {
      name: `PRM${tag}PgName`,
      outlet: `PRM${tag}PgOutlet`,
      speaker: `PRM${tag}PgSpeaker`,
      chat: `PRM${tag}PgChat`,
      question: `PRM${tag}PgQuestion`,
      topic: `PRM${tag}PgTopic`,
      captioner: `PRM${tag}PgCaptioner`,
      caption: `PRM${tag}PgCaption`,
    };
    const moderatorApi = await Api.asModerator(server.url);
    const event = await moderatorApi.createEvent({ retentionHours: 1 });
    await moderatorApi.inviteSpeaker(event.slug, markers.speaker);
    const joined = await new Api(server.url).join(event.slug, { name: markers.name, outlet: markers.outlet });
    const moderator = await LiveClient.connect(server.url, (await moderatorApi.join(event.slug)).accessToken);
    const journalist = await LiveClient.connect(server.url, joined.accessToken);
    const asked = await journalist.send('question:ask', { text: markers.question });
    if (!asked.ok) throw new Error(asked.error.message);
    expect(await moderator.send('question:approve', { questionId: asked.question.id })).toEqual({ ok: true });
    expect(await journalist.send('question:vote', { questionId: asked.question.id })).toMatchObject({ ok: true });
    expect(await journalist.send('chat:send', { text: markers.chat })).toMatchObject({ ok: true });
    expect(await journalist.send('hand:raise', { topic: markers.topic })).toMatchObject({ ok: true });
    const captionerInvite = await moderatorApi.expectOk<SpeakerInviteView>(
      'POST',
      `/api/events/${event.slug}/speakers`,
      {
        name: markers.captioner,
        role: 'captioner',
        language: 'es',
      },
    );
    const captioner = await LiveClient.connect(
      server.url,
      (await new Api(server.url).join(event.slug, { invite: captionerInvite.inviteToken })).accessToken,
    );
    expect(await captioner.send('caption:send', { text: markers.caption })).toMatchObject({ ok: true });
    await moderatorApi.expectOk('POST', `/api/events/${event.slug}/end`);
    moderator.close();
    journalist.close();
    captioner.close();

    const tables = [
      'participant',
      'speaker_invite',
      'chat_message',
      'question',
      'question_vote',
      'hand',
      'audit_entry',
      'caption_cue',
    ];
    const files = () =>
      inDatabase(async (client) => {
        const { rows } = await client.query<{ relname: string; path: string }>(
          'SELECT relname, pg_relation_filepath(oid) AS path FROM pg_class WHERE relname = ANY($1) ORDER BY relname',
          [tables],
        );
        return rows;
      });
    // Where the server's database lives, when this role may know it and this process read it (CI as root).
    const databaseDir = await inDatabase(async (client) => {
      try {
        const { rows } = await client.query<{ dir: string; oid: string }>(
          "SELECT current_setting('data_directory') AS dir, oid::text FROM pg_database WHERE datname = current_database()",
        );
        const dir = join(rows[0]!.dir, 'base', rows[0]!.oid);
        accessSync(dir, constants.R_OK);
        return dir;
      } catch {
        return undefined;
      }
    });
    /** Writes PostgreSQL's buffers to the files, when this role may (PostgreSQL 15+, `pg_checkpoint`). */
    const checkpoint = () =>
      inDatabase((client) =>
        client.query('CHECKPOINT').then(
          () => true,
          () => false,
        ),
      );
    const scan = () => findMarkers([databaseDir!], Object.values(markers)).map((hit) => `${hit.marker} in ${hit.file}`);

    // Autovacuum analyzes busy tables by itself: the planner's statistics must not sample what people wrote.
    const sampled = await inDatabase(async (client) => {
      await client.query(`ANALYZE ${tables.map((table) => `"${table}"`).join(', ')}`);
      const { rows } = await client.query<{ column: string }>(
        `SELECT tablename || '.' || attname AS column FROM pg_stats WHERE tablename = ANY($1)
           AND concat(most_common_vals::text, histogram_bounds::text) LIKE '%' || $2 || '%' ORDER BY 1`,
        [tables, tag],
      );
      return rows.map((row) => row.column);
    });
    expect(sampled).toEqual([]);

    const before = await files();
    expect(before.map((row) => row.relname)).toEqual([...tables].sort());
    const canScan = databaseDir !== undefined && (await checkpoint());
    // The scan sees them before the purge.
    if (canScan) expect(new Set(scan().map((hit) => hit.split(' ')[0])).size).toBe(Object.keys(markers).length);

    await moderatorApi.expectOk('PATCH', `/api/events/${event.slug}`, { retentionHours: 0 });
    await waitFor(async () => {
      const details = await moderatorApi.expectOk<EventDetails>('GET', `/api/events/${event.slug}/details`);
      return details.status === 'purged' ? details : undefined;
    }, 15_000);
    // Each table (with its indexes) was written anew, and the old file let go.
    const after = await waitFor(async () => {
      const now = await files();
      return now.every((row, i) => row.path !== before[i]!.path) ? now : undefined;
    }, 15_000).catch(() => files());
    expect(after.filter((row, i) => row.path === before[i]!.path).map((row) => row.relname)).toEqual([]);
    if (canScan) {
      await checkpoint();
      expect(scan()).toEqual([]);
    }
  });
});
