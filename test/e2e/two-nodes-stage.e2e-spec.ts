import { Api } from './harness/api';
import { DTLS, ok, opusParameters } from './harness/guest';
import { describeWhenSet } from './harness/needs';
import { startTwoNodes, type TwoNodes } from './harness/two-nodes';

/** Set by `.ci/run` when it could start PostgreSQL and Redis. */
const postgres = describeWhenSet('PRESSROOM_TEST_POSTGRES_URL', 'PostgreSQL');
const redis = describeWhenSet('PRESSROOM_TEST_REDIS_URL', 'Redis');
const suite = postgres.url ? redis : postgres;

type Candidate = { port: number };

/**
 * The journalist on stage across two API nodes (issue 13): the moderator's socket is on node A, which holds
 * the event's media; the journalist's is on node B. Invitation, answer, the guest's studio and the end of the
 * turn all happen on the holder, and each side sees the same stage in its events and in its state.
 */
suite.describe('the journalist on stage with two API nodes', () => {
  let nodes: TwoNodes;

  beforeAll(async () => {
    nodes = await startTwoNodes(postgres.url!, redis.url!, { STAGE_RECONNECT_SECONDS: '60' });
  }, 300_000);

  afterAll(() => nodes?.close(), 60_000);

  /** A client through nginx, pinned to a node. */
  const connect = (token: string, node: 'a' | 'b') => nodes.connect(token, node);

  it('a moderator on node A invites a journalist on node B: accept, the guest studio on A, the end of the turn', async () => {
    try {
      const moderatorApi = await Api.asModerator(nodes.a.url);
      const event = await moderatorApi.createEvent({});
      const audience = nodes.api('b');
      const tokens = {
        moderator: (await moderatorApi.join(event.slug)).accessToken,
        moderatorB: (await moderatorApi.join(event.slug)).accessToken,
        journalist: (await audience.join(event.slug, { name: 'Ana García', outlet: 'El País' })).accessToken,
      };
      const moderator = await connect(tokens.moderator, 'a');
      const moderatorB = await connect(tokens.moderatorB, 'b');
      const journalist = await connect(tokens.journalist, 'b');
      const guestId = journalist.state.me.participantId;

      // The moderator joins the studio through node A: node A holds the event's media.
      await ok(moderator, 'studio:join', {});

      const { hand } = await ok(journalist, 'hand:raise', { topic: 'A follow-up' });
      await moderator.next('hand:queue', ({ hands }) => hands.some((h) => h.id === hand.id), { past: true });

      // Invited from node A: the journalist on node B gets the invitation, the moderators of both nodes see it.
      const invited = journalist.next('stage:invited', (i) => i.handId === hand.id, { timeoutMs: 10_000 });
      const seenOnB = moderatorB.next('stage:changed', (s) => s.invitations.length === 1, { timeoutMs: 10_000 });
      await ok(moderator, 'stage:invite', { handId: hand.id });
      expect(await invited).toEqual({ handId: hand.id, expiresAt: expect.any(String) });
      expect((await seenOnB).invitations).toEqual([
        expect.objectContaining({ participantId: guestId, handId: hand.id, name: 'Ana García' }),
      ]);
      // A second connection of the journalist on node B, and a moderator's on B, get the stage in their state.
      const journalistAgain = await connect(tokens.journalist, 'b');
      expect(journalistAgain.state.myStage).toEqual({
        status: 'invited',
        handId: hand.id,
        expiresAt: expect.any(String),
      });
      journalistAgain.close();
      const moderatorAgainB = await connect(tokens.moderatorB, 'b');
      expect(moderatorAgainB.state.stage?.invitations.map((i) => i.participantId)).toEqual([guestId]);
      moderatorAgainB.close();

      // Accepted through node B: on stage for both moderators.
      const onStageA = moderator.next('stage:changed', (s) => s.guests.length === 1, { timeoutMs: 10_000 });
      const onStageB = moderatorB.next('stage:changed', (s) => s.guests.length === 1, { timeoutMs: 10_000 });
      await ok(journalist, 'stage:accept', {});
      for (const stage of [await onStageA, await onStageB]) {
        expect(stage).toMatchObject({
          guests: [{ participantId: guestId, handId: hand.id, name: 'Ana García', outlet: 'El País', muted: false }],
          invitations: [],
        });
      }

      // The guest's studio is node A's: the moderator there sees them arrive; their transport is node A's port.
      const arrived = moderator.next('studio:peerJoined', (p) => p.peerId === guestId, { timeoutMs: 10_000 });
      const joined = await ok(journalist, 'studio:join', {});
      expect(joined.peers.map((p) => p.role)).toEqual(['moderator']);
      expect(await arrived).toMatchObject({ peerId: guestId, role: 'guest', name: 'Ana García', outlet: 'El País' });
      const { transport } = await ok(journalist, 'studio:createTransport', { direction: 'send' });
      expect(new Set((transport.iceCandidates as Candidate[]).map((c) => c.port))).toEqual(new Set([nodes.rtcPort]));
      await ok(journalist, 'studio:connectTransport', { transportId: transport.id, dtlsParameters: DTLS });
      const announced = moderator.next('studio:newProducer', (p) => p.peerId === guestId, { timeoutMs: 10_000 });
      const { producerId } = await ok(journalist, 'studio:produce', {
        transportId: transport.id,
        kind: 'audio',
        rtpParameters: opusParameters(3001),
        source: 'microphone',
      });
      expect(await announced).toMatchObject({ producerId, kind: 'audio' });

      // Muted from node A: the guest on node B is told.
      const muted = journalist.next('stage:muted', () => true, { timeoutMs: 10_000 });
      await ok(moderator, 'stage:mute', { participantId: guestId, muted: true });
      expect(await muted).toEqual({ muted: true });

      // The journalist's connection on node B drops while another stays: still on stage, no grace.
      const second = await connect(tokens.journalist, 'b');
      expect(second.state.myStage).toMatchObject({ status: 'onStage', handId: hand.id, muted: true });

      // The moderator on node A ends the turn: the guest on B is told, their tracks close, the studio refuses them.
      const ended = journalist.next('stage:ended', () => true, { timeoutMs: 10_000 });
      const left = moderator.next('studio:peerLeft', (p) => p.peerId === guestId, { timeoutMs: 10_000 });
      const offStage = moderatorB.next('stage:changed', (s) => s.guests.length === 0, { timeoutMs: 10_000 });
      await ok(moderator, 'stage:remove', { participantId: guestId });
      expect(await ended).toEqual({ reason: 'removed' });
      await left;
      expect(await offStage).toMatchObject({ guests: [], invitations: [] });
      expect(await journalist.send('studio:createTransport', { direction: 'send' })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(await journalist.send('stage:leave', {})).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
      const after = await connect(tokens.journalist, 'b');
      expect(after.state.myStage).toBeNull();
      second.close();
    } catch (error) {
      process.stderr.write(nodes.logs());
      throw error;
    }
  }, 120_000);
  it('on node B: a journalist off stage is refused the studio, a hand lowered takes its invitation, a dropped guest has the grace and comes back', async () => {
    try {
      const moderatorApi = await Api.asModerator(nodes.a.url);
      const event = await moderatorApi.createEvent({});
      const audience = nodes.api('b');
      const tokens = {
        moderator: (await moderatorApi.join(event.slug)).accessToken,
        journalist: (await audience.join(event.slug, { name: 'Ben Okafor', outlet: 'The Courier' })).accessToken,
      };
      const moderator = await connect(tokens.moderator, 'a');
      let journalist = await connect(tokens.journalist, 'b');
      const guestId = journalist.state.me.participantId;
      await ok(moderator, 'studio:join', {});

      // Not on stage: every studio action is refused as forbidden, whatever it carries (decided on node A).
      for (const [action, request] of [
        ['studio:join', {}],
        ['studio:produce', { kind: 'nonsense' }],
      ] as const) {
        expect(await journalist.send(action, request)).toMatchObject({
          ok: false,
          error: {
            code: 'forbidden',
            message: expect.stringMatching(/journalist.*only a journalist invited on stage/),
          },
        });
      }

      // Invited from A, the hand lowered on B: the invitation goes with it.
      const first = await ok(journalist, 'hand:raise', { topic: 'A first question' });
      await moderator.next('hand:queue', ({ hands }) => hands.some((h) => h.id === first.hand.id), { past: true });
      await ok(moderator, 'stage:invite', { handId: first.hand.id });
      await moderator.next('stage:changed', (s) => s.invitations.length === 1, { past: true, timeoutMs: 10_000 });
      const withdrawn = journalist.next('stage:ended', () => true, { timeoutMs: 10_000 });
      const emptied = moderator.next('stage:changed', (s) => s.invitations.length === 0, { timeoutMs: 10_000 });
      await ok(journalist, 'hand:lower', {});
      expect(await withdrawn).toEqual({ reason: 'withdrawn' });
      await emptied;
      expect(await journalist.send('stage:accept', {})).toMatchObject({ ok: false, error: { code: 'invalid_state' } });

      // Invited again and on stage; their only connection (on B) drops: node A gives them the grace.
      const second = await ok(journalist, 'hand:raise', { topic: 'A second question' });
      await moderator.next('hand:queue', ({ hands }) => hands.some((h) => h.id === second.hand.id), { past: true });
      await ok(moderator, 'stage:invite', { handId: second.hand.id });
      await ok(journalist, 'stage:accept', {});
      await moderator.next('stage:changed', (s) => s.guests.length === 1, { past: true, timeoutMs: 10_000 });
      const grace = moderator.next('stage:changed', (s) => s.guests[0]?.reconnectBy != null, { timeoutMs: 10_000 });
      journalist.close();
      const reconnectBy = new Date((await grace).guests[0]!.reconnectBy!).getTime();
      expect(reconnectBy).toBeGreaterThan(Date.now() + 30_000);

      // Back on B within the grace: on stage again, without it.
      const back = moderator.next('stage:changed', (s) => s.guests.length === 1 && s.guests[0]!.reconnectBy === null, {
        timeoutMs: 10_000,
      });
      journalist = await connect(tokens.journalist, 'b');
      await back;
      expect(journalist.state.myStage).toMatchObject({ status: 'onStage', handId: second.hand.id });

      // The guest leaves on their own, through B.
      const gone = moderator.next('stage:changed', (s) => s.guests.length === 0, { timeoutMs: 10_000 });
      await ok(journalist, 'stage:leave', {});
      expect((await gone).guests).toEqual([]);
      expect(await journalist.send('studio:join', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(guestId).toBe(journalist.state.me.participantId);
    } catch (error) {
      process.stderr.write(nodes.logs());
      throw error;
    }
  }, 120_000);
});
