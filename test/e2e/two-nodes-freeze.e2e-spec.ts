import { Api } from './harness/api';
import { ok } from './harness/guest';
import { waitFor } from './harness/media';
import { describeWhenSet } from './harness/needs';
import { ffmpegChildrenOf } from './harness/processes';
import { startTwoNodes, type TwoNodes } from './harness/two-nodes';

/** Set by `.ci/run` when it could start PostgreSQL and Redis. */
const postgres = describeWhenSet('PRESSROOM_TEST_POSTGRES_URL', 'PostgreSQL');
const redis = describeWhenSet('PRESSROOM_TEST_REDIS_URL', 'Redis');
const suite = postgres.url ? redis : postgres;

/** Seconds a node is believed alive without a heartbeat (cluster-store.ts NODE_TTL_MS), and a margin. */
const FROZEN_MS = 6_000 + 6_000;

/**
 * A node that holds a live event freezes (a stopped VM, a swap storm, SIGSTOP here) for longer than its lease:
 * the other node takes the event over and runs its broadcast. When the frozen node wakes up it must not go on
 * encoding the event beside the new holder (two encoders, two recordings, a restream pushed twice): it finds
 * that the event is held elsewhere and stops its media there, without disturbing the new holder's studio.
 */
suite.describe('two API nodes: the holder freezes past its lease and wakes up', () => {
  let nodes: TwoNodes;

  beforeAll(async () => {
    nodes = await startTwoNodes(postgres.url!, redis.url!, { HLS_LADDER: '360' });
  }, 300_000);

  afterAll(async () => {
    for (const node of [nodes?.a, nodes?.b]) {
      try {
        if (node) process.kill(node.pid, 'SIGCONT');
      } catch {
        // gone already
      }
    }
    await nodes?.close();
  }, 60_000);

  it('one encoder for the event again: the woken node stops its own; the new holder carries the turn on stage on, and its studio is left alone', async () => {
    try {
      const moderatorApi = await Api.asModerator(nodes.a.url);
      const event = await moderatorApi.createEvent({ title: 'Freeze' });
      const invite = await moderatorApi.inviteSpeaker(event.slug, 'Minister Ruiz');
      const audience = nodes.api('b');
      const speakerToken = (await audience.join(event.slug, { invite: invite.inviteToken })).accessToken;
      const journalistToken = (await audience.join(event.slug, { name: 'Ana García', outlet: 'El País' })).accessToken;
      // Node A holds the event and encodes it.
      await fetch(`${nodes.a.url}/hls/${event.slug}/index.m3u8`);
      await moderatorApi.expectOk('POST', `/api/events/${event.slug}/start`);
      await waitFor(async () => (ffmpegChildrenOf(nodes.a.pid).length > 0 ? true : undefined), 30_000, 250);
      expect(ffmpegChildrenOf(nodes.b.pid)).toEqual([]);
      // A speaker whose live connection is node B's, in node A's studio.
      const speaker = await nodes.connect(speakerToken, 'b', { reconnection: true });
      await ok(speaker, 'studio:join', {});
      // A journalist on node B invited on stage by a moderator on node B: their turn lives on node A.
      const moderator = await nodes.connect((await moderatorApi.join(event.slug)).accessToken, 'b');
      const journalist = await nodes.connect(journalistToken, 'b', { reconnection: true });
      const guestId = journalist.state.me.participantId;
      const { hand } = await ok(journalist, 'hand:raise', { topic: 'Port fees' });
      const invited = journalist.next('stage:invited', () => true, { timeoutMs: 10_000 });
      await ok(moderator, 'stage:invite', { handId: hand.id });
      await invited;
      await ok(journalist, 'stage:accept', {});
      await ok(journalist, 'studio:join', {});

      // Node A freezes; node B takes the event over, tells the studio, and encodes it.
      const reset = speaker.next('studio:reset', () => true, { timeoutMs: FROZEN_MS + 20_000 });
      process.kill(nodes.a.pid, 'SIGSTOP');
      await reset;
      await waitFor(async () => (ffmpegChildrenOf(nodes.b.pid).length > 0 ? true : undefined), 30_000, 250);
      // The speaker joins the studio again, on node B now; so does the guest, whose turn node B carried on.
      for (const client of [speaker, journalist]) {
        await waitFor(
          async () => {
            const reply = await client.send('studio:join', {});
            return reply.ok ? true : undefined;
          },
          15_000,
          500,
        );
      }
      const frozenFor = Date.now();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, FROZEN_MS - 4_000)));

      // Node A wakes up: within a few heartbeats its encoder is gone; node B's goes on.
      const resetsBefore = speaker.received.filter((r) => r.name === 'studio:reset').length;
      process.kill(nodes.a.pid, 'SIGCONT');
      const wokeAt = Date.now();
      await waitFor(async () => (ffmpegChildrenOf(nodes.a.pid).length === 0 ? true : undefined), 20_000, 250);
      process.stdout.write(
        `two nodes: node A was frozen for ${wokeAt - frozenFor + 4_000} ms; ` +
          `its encoder stopped ${Date.now() - wokeAt} ms after it woke up\n`,
      );
      expect(ffmpegChildrenOf(nodes.b.pid).length).toBeGreaterThan(0);
      // Node A let its old room go without a word: the speaker, in node B's studio, was not told to rejoin.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(speaker.received.filter((r) => r.name === 'studio:reset').length).toBe(resetsBefore);
      // The guest is still on stage, on node B: the studio lets them send, nobody ended their turn.
      expect(journalist.received.filter((r) => r.name === 'stage:ended')).toEqual([]);
      await ok(journalist, 'studio:createTransport', { direction: 'send' });
      const again = await nodes.connect(journalistToken, 'b');
      expect(again.state.myStage).toMatchObject({ status: 'onStage', handId: hand.id });
      const moderatorAgain = await nodes.connect((await moderatorApi.join(event.slug)).accessToken, 'b');
      expect(moderatorAgain.state.stage?.guests.map((g) => g.participantId)).toEqual([guestId]);
      // The stream is node B's, whichever node is asked.
      const playlistFrom = async (base: string) => (await fetch(`${base}/hls/${event.slug}/v360.m3u8`)).text();
      const [fromA, fromB] = [await playlistFrom(nodes.a.url), await playlistFrom(nodes.b.url)];
      const lastSegment = (playlist: string) =>
        playlist
          .trim()
          .split('\n')
          .filter((l) => !l.startsWith('#'))
          .at(-3);
      expect(lastSegment(fromA)).toBeDefined();
      expect([lastSegment(fromB), ...fromB.split('\n')]).toContain(lastSegment(fromA));
    } catch (error) {
      process.stderr.write(nodes.logs());
      throw error;
    }
  }, 180_000);
});
