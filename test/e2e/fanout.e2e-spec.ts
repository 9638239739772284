import { join } from 'node:path';
import { Api } from './harness/api';
import { LiveClient } from './harness/live-client';
import { describeWhenSet } from './harness/needs';
import { startServer, type TestServer } from './harness/server';

/** Set by `.ci/run` when a Redis server is reachable. */
const redis = describeWhenSet('PRESSROOM_TEST_REDIS_URL', 'Redis');
const redisUrl = redis.url;

redis.describe('scale-out: two API nodes share realtime through Redis', () => {
  let nodeA: TestServer;
  let nodeB: TestServer;

  beforeAll(async () => {
    nodeA = await startServer({ REDIS_URL: redisUrl! });
    nodeB = await startServer({
      REDIS_URL: redisUrl!,
      DATABASE_URL: `sqlite:${join(nodeA.dataDir, 'pressroom.sqlite')}`,
    });
    // Two whole servers in one long Jest run: more than 30 s once in CI.
  }, 60_000);
  afterAll(async () => {
    await nodeB?.close();
    await nodeA?.close();
  });

  it('a question approved on one node reaches the audience connected to the other', async () => {
    const moderatorApi = await Api.asModerator(nodeA.url);
    const event = await moderatorApi.createEvent();
    const moderator = await LiveClient.connect(nodeA.url, (await moderatorApi.join(event.slug)).accessToken);
    const audienceApi = new Api(nodeB.url);
    const journalist = await LiveClient.connect(
      nodeB.url,
      (await audienceApi.join(event.slug, { name: 'Ana García', outlet: 'El País' })).accessToken,
    );
    const viewer = await LiveClient.connect(nodeB.url, (await audienceApi.join(event.slug)).accessToken);

    const pending = moderator.next('question:pending', (q) => q.text === 'Across nodes?');
    const asked = await journalist.send('question:ask', { text: 'Across nodes?' });
    expect(asked.ok).toBe(true);
    const question = await pending;

    const delivered = viewer.next('question:approved', (q) => q.id === question.id);
    await moderator.send('question:approve', { questionId: question.id });
    expect((await delivered).text).toBe('Across nodes?');

    const banned = viewer.next('user:banned');
    await moderator.send('user:ban', { participantId: viewer.state.me.participantId });
    await banned;
    for (const client of [moderator, journalist, viewer]) client.close();
  });
});
