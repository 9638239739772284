import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { LiveClient } from './harness/live-client';
import { openPressConference } from './harness/press-conference';
import { describeWhenSet } from './harness/needs';
import { startServer, type TestServer } from './harness/server';

/** Set by `.ci/run` when a PostgreSQL server is reachable (a URL of a role that may create databases). */
const postgres = describeWhenSet('PRESSROOM_TEST_POSTGRES_URL', 'PostgreSQL');
const adminUrl = postgres.url;

postgres.describe('PostgreSQL: the same entities and migrations as SQLite', () => {
  const database = `pressroom_e2e_${randomBytes(4).toString('hex')}`;
  let server: TestServer;

  const admin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    await admin((client) => client.query(`CREATE DATABASE ${database}`));
    const url = new URL(adminUrl!);
    url.pathname = `/${database}`;
    server = await startServer({ DATABASE_URL: url.toString() });
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
});
