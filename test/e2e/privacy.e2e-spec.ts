import Database from 'better-sqlite3';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { EventDetails, Transcript } from '@pressroom/protocol';
import { Api } from './harness/api';
import { modeOf } from './harness/disk-scan';
import { LiveClient } from './harness/live-client';
import { openPressConference } from './harness/press-conference';
import { startServer, type TestServer } from './harness/server';

const PERSONAL_TABLES = [
  'participant',
  'chat_message',
  'question',
  'question_vote',
  'hand',
  'audit_entry',
  'speaker_invite',
  'stage_appearance',
];

describe('privacy: transcript, purge after retention, and durability across restarts', () => {
  let server: TestServer;

  beforeAll(async () => (server = await startServer({ PURGE_INTERVAL_SECONDS: '1' })));
  afterAll(() => server.close());

  it("keeps the database (0600, with its -wal and -shm) and MEDIA_DIR (0700) to the service's user, an older install's too", async () => {
    const database = join(server.dataDir, 'pressroom.sqlite');
    const files = [database, `${database}-wal`, `${database}-shm`];
    const media = join(server.dataDir, 'media');
    const modes = () => [...files, media].map((path) => [path, modeOf(path).toString(8)]);
    const restricted = [...files.map((path) => [path, '600']), [media, '700']];
    expect(modes()).toEqual(restricted);

    // An earlier version left them readable by every local user: the next start restricts them.
    for (const file of files) chmodSync(file, 0o644);
    chmodSync(media, 0o755);
    await server.restart();
    expect(modes()).toEqual(restricted);
  });

  it('a server restart mid-event loses no accepted item and clients get it back in state', async () => {
    const room = await openPressConference(server, { chatMode: 'pre', retentionHours: 1 });
    const asked = await room.journalist.send('question:ask', { text: 'Asked before the restart' });
    const chat = await room.journalist.send('chat:send', { text: 'Chat before the restart' });
    if (!asked.ok || !chat.ok) throw new Error('not accepted');
    await room.moderator.send('question:approve', { questionId: asked.question.id });
    room.close();

    await server.restart();

    const moderator = await LiveClient.connect(server.url, room.tokens.moderator);
    const viewer = await LiveClient.connect(server.url, room.tokens.viewer);
    expect(viewer.state.questions.map((q) => q.text)).toEqual(['Asked before the restart']);
    expect(moderator.state.chat.map((m) => [m.text, m.status])).toEqual([['Chat before the restart', 'pending']]);
    expect(viewer.state.chat).toEqual([]);
    moderator.close();
    viewer.close();
  });

  it('a live client reconnects by itself after a restart and gets a fresh state', async () => {
    const room = await openPressConference(server, { retentionHours: 1 });
    const journalist = await LiveClient.connect(server.url, room.tokens.journalist, { reconnection: true });
    // From before the restart: the server's start and socket.io's reconnection, which backs off up to 5 s
    // between tries (in a long Jest run the start alone took seconds: 10 s was missed once in CI).
    const freshState = journalist.next('state', () => true, { timeoutMs: 30_000 });
    room.close();
    await server.restart();
    await freshState;
    const sent = await journalist.send('chat:send', { text: 'after restart' });
    expect(sent.ok).toBe(true);
    journalist.close();
  }, 60_000);

  it('moderators export a transcript as JSON and Markdown before the purge', async () => {
    const room = await openPressConference(server, { retentionHours: 1 });
    const asked = await room.journalist.send('question:ask', { text: 'On *inflation*?' });
    if (!asked.ok) throw new Error('not asked');
    await room.moderator.send('question:approve', { questionId: asked.question.id });
    await room.journalist.send('chat:send', { text: 'Thanks for the briefing' });
    await room.journalist.send('hand:raise', { topic: 'Energy' });
    room.close();

    const json = await room.moderatorApi.expectOk<Transcript>('GET', `/api/events/${room.event.slug}/transcript`);
    expect(json.questions.map((q) => [q.text, q.name, q.outlet])).toEqual([
      ['On *inflation*?', 'Ana García', 'El País'],
    ]);
    expect(json.chat.map((m) => m.text)).toEqual(['Thanks for the briefing']);
    expect(json.hands.map((h) => h.topic)).toEqual(['Energy']);
    expect(json.moderation.map((a) => a.action)).toEqual(['question:approve']);

    const markdown = await room.moderatorApi.request<string>(
      'GET',
      `/api/events/${room.event.slug}/transcript?format=markdown`,
    );
    expect(markdown.status).toBe(200);
    expect(markdown.body).toContain('# Budget press conference');
    expect(markdown.body).toContain('**Ana García (El País)**: On \\*inflation\\*?');
    expect(markdown.body).toContain('## Questions (1)');
    expect(markdown.body).toContain('_(approved, 0 votes)_');

    // For people: in the moderator's language (the console asks in its own), what people wrote as written.
    const spanish = await room.moderatorApi.request<string>(
      'GET',
      `/api/events/${room.event.slug}/transcript?format=markdown&language=es`,
    );
    expect(spanish.body).toContain('## Preguntas (1)');
    expect(spanish.body).toContain('## Manos levantadas (1)');
    expect(spanish.body).toContain('_(aprobada, 0 votos)_');
    expect(spanish.body).toContain('**Ana García (El País)**: On \\*inflation\\*?');
    expect(spanish.body).not.toMatch(/## (Questions|Raised hands|On stage|Captions) \(/);
    const wrong = await room.moderatorApi.request<{ message: string }>(
      'GET',
      `/api/events/${room.event.slug}/transcript?format=markdown&language=pt`,
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toBe('language must be one of en, es, fr, it, nl, de');

    const anonymous = await new Api(server.url).request('GET', `/api/events/${room.event.slug}/transcript`);
    expect(anonymous.status).toBe(401);
  });

  it('the purge deletes chat, questions, hands and identities at the end of retention, keeping counts', async () => {
    const room = await openPressConference(server, { retentionHours: 0 });
    const asked = await room.journalist.send('question:ask', { text: 'Personal question' });
    if (!asked.ok) throw new Error('not asked');
    await room.moderator.send('question:approve', { questionId: asked.question.id });
    await room.viewer.send('question:vote', { questionId: asked.question.id });
    await room.journalist.send('chat:send', { text: 'My name is in here' });
    await room.journalist.send('hand:raise', {});
    await room.moderatorApi.expectOk('POST', `/api/events/${room.event.slug}/start`);

    const disconnected = new Promise((resolve) => room.viewer.socket.once('disconnect', resolve));
    const purged = room.viewer.next('event:status', (p) => p.status === 'purged', { timeoutMs: 15_000 });
    await room.moderatorApi.expectOk('POST', `/api/events/${room.event.slug}/end`);
    // Connected clients are told, like of every status change, then let go.
    expect(await purged).toMatchObject({ status: 'purged', event: { slug: room.event.slug, status: 'purged' } });
    await disconnected;

    const details = await waitFor(async () => {
      const d = await room.moderatorApi.expectOk<EventDetails>('GET', `/api/events/${room.event.slug}/details`);
      return d.status === 'purged' ? d : null;
    });
    expect(details.stats).toEqual({
      participants: 4,
      journalists: 1,
      chatMessages: 1,
      questions: 1,
      questionsApproved: 1,
      hands: 1,
    });

    const db = new Database(join(server.dataDir, 'pressroom.sqlite'), { readonly: true });
    for (const table of PERSONAL_TABLES) {
      const { count } = db.prepare(`SELECT COUNT(*) AS count FROM ${table} WHERE eventId = ?`).get(details.id) as {
        count: number;
      };
      expect({ table, count }).toEqual({ table, count: 0 });
    }
    const dump = JSON.stringify(db.prepare('SELECT * FROM press_event WHERE id = ?').get(details.id));
    db.close();
    expect(dump).not.toContain('Ana García');

    await expect(LiveClient.connect(server.url, room.tokens.journalist)).rejects.toMatchObject({
      data: { code: 'unauthorized' },
    });
    const transcript = await room.moderatorApi.request('GET', `/api/events/${room.event.slug}/transcript`);
    expect(transcript).toMatchObject({ status: 410, body: { error: 'event_purged' } });
    room.close();
  });
});

async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
