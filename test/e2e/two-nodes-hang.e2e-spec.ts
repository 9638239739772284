import { Api } from './harness/api';
import { ok } from './harness/guest';
import { waitFor } from './harness/media';
import { describeWhenSet } from './harness/needs';
import { startTwoNodes, type TwoNodes } from './harness/two-nodes';

/** Set by `.ci/run` when it could start PostgreSQL and Redis. */
const postgres = describeWhenSet('PRESSROOM_TEST_POSTGRES_URL', 'PostgreSQL');
const redis = describeWhenSet('PRESSROOM_TEST_REDIS_URL', 'Redis');
const suite = postgres.url ? redis : postgres;

/**
 * A node that hangs rather than dies (a stopped VM, a swap storm, a deadlock; SIGSTOP here): its port still
 * accepts connections, so neither nginx nor its clients get an error. Its clients must notice the silence and
 * come back through nginx to the other node with their state, as after a crash: the server's pings (every
 * 10 s, 10 s to answer: silence noticed within 20 s; socket.io's defaults took 45 s) and nginx's 5 s wait on a
 * connection's first request (it waited an hour for the hung node) make it about 25 s.
 */
suite.describe('two API nodes behind nginx: one hangs', () => {
  let nodes: TwoNodes;

  beforeAll(async () => {
    nodes = await startTwoNodes(postgres.url!, redis.url!, { HLS_LADDER: '360' });
  }, 300_000);

  afterAll(async () => {
    try {
      if (nodes) process.kill(nodes.a.pid, 'SIGCONT');
    } catch {
      // gone already
    }
    await nodes?.close();
  }, 60_000);

  it('its clients come back through nginx to the other node with their state, and go on there', async () => {
    const moderatorApi = await Api.asModerator(nodes.b.url);
    const event = await moderatorApi.createEvent({ title: 'The hanging node', chatMode: 'post' });
    const audience = nodes.api('a');
    const journalistToken = (await audience.join(event.slug, { name: 'Ana García', outlet: 'El País' })).accessToken;
    const viewerToken = (await audience.join(event.slug, { name: 'Luis' })).accessToken;
    // As the pages connect (long-polling first, then the WebSocket), and reconnect.
    const journalist = await nodes.connect(journalistToken, 'a', { reconnection: true, polling: true });
    const viewer = await nodes.connect(viewerToken, 'a', { reconnection: true, polling: true });
    const moderator = await nodes.connect((await moderatorApi.join(event.slug)).accessToken, 'b');
    const { message } = await ok(journalist, 'chat:send', { text: 'Before the hang' });

    const states = (client: typeof viewer) => client.received.filter((r) => r.name === 'state').length;
    const before = new Map([journalist, viewer].map((client) => [client, states(client)]));
    process.kill(nodes.a.pid, 'SIGSTOP');
    const hungAt = Date.now();
    for (const client of [journalist, viewer]) {
      await waitFor(async () => (states(client) > before.get(client)! ? true : undefined), 40_000, 100);
      expect(client.socket.connected).toBe(true);
      expect(client.state.chat.map((m) => m.id)).toContain(message.id);
    }
    process.stdout.write(`two nodes: a hung node's clients were back ${Date.now() - hungAt} ms after it hung\n`);

    // On node B: what they send reaches the others, and the hung node is skipped by nginx.
    const seen = moderator.next('chat:message', (m) => m.text === 'After the hang');
    const seenByViewer = viewer.next('chat:message', (m) => m.text === 'After the hang');
    await ok(journalist, 'chat:send', { text: 'After the hang' });
    await Promise.all([seen, seenByViewer]);
    expect(await nodes.answeredBy('a')).toBe('b');
  }, 120_000);
});
