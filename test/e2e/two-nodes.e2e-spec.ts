import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProgramInfo, RecordingStatus } from '@pressroom/protocol';
import { Api } from './harness/api';
import { DTLS, ok, opusParameters, vp8Parameters } from './harness/guest';
import { mediaPlaylistOf } from './harness/hls';
import type { LiveClient } from './harness/live-client';
import { waitFor } from './harness/media';
import { describeWhenSet } from './harness/needs';
import { ffmpegChildren, ffmpegChildrenOf as ffmpegOf } from './harness/processes';
import { startTwoNodes, type TwoNodes } from './harness/two-nodes';

/** Set by `.ci/run` when it could start PostgreSQL and Redis. */
const postgres = describeWhenSet('PRESSROOM_TEST_POSTGRES_URL', 'PostgreSQL');
const redis = describeWhenSet('PRESSROOM_TEST_REDIS_URL', 'Redis');
const suite = postgres.url ? redis : postgres;

type Candidate = { port: number };

/**
 * Two API nodes behind nginx on one PostgreSQL and one Redis (issue 13): each event's media runs on the node
 * that holds it, sockets on the other node are served through it (studio actions forwarded, studio events and
 * the conversation through Redis), /hls/ is the same stream from both, and a node that dies loses nobody's
 * chat or question: its clients come back through nginx to the other node.
 */
suite.describe('two API nodes behind nginx on PostgreSQL and Redis', () => {
  let nodes: TwoNodes;
  /** What the first test leaves for the second: the live event and its clients, all on node A by then. */
  let live:
    | {
        slug: string;
        eventId: string;
        speaker: LiveClient;
        journalist: LiveClient;
        viewers: LiveClient[];
        questionId: string;
        moderatorToken: string;
      }
    | undefined;

  beforeAll(async () => {
    nodes = await startTwoNodes(postgres.url!, redis.url!, { HLS_LADDER: '360' });
  }, 300_000);

  afterAll(() => nodes?.close(), 60_000);

  /** A client through nginx, pinned to a node, reconnecting as the pages do. */
  const connect = (token: string, node: 'a' | 'b') => nodes.connect(token, node, { reconnection: true });

  it("nginx with the shipped two-node config passes the nodes' own calls (/api/cluster/) to neither node", async () => {
    for (const node of ['a', 'b'] as const) {
      const through = await nodes.request(node, '/api/cluster/studio', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'studio:join' }),
      });
      expect(through.status).toBe(404);
      // The same call straight to the node reaches it (and is refused there for want of the nodes' key).
      const direct = await fetch(`${nodes[node].url}/api/cluster/studio`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'studio:join' }),
      });
      expect(direct.status).not.toBe(404);
    }
  });

  it('a speaker on node B goes on air on node A, viewers of both get the question and one stream; B dies, nothing is lost', async () => {
    try {
      const moderatorApi = await Api.asModerator(nodes.a.url);
      const event = await moderatorApi.createEvent({ slowModeSeconds: 5 });
      const invite = await moderatorApi.inviteSpeaker(event.slug, 'Minister Ruiz');
      const audience = nodes.api('b');
      const tokens = {
        moderator: (await moderatorApi.join(event.slug)).accessToken,
        speaker: (await audience.join(event.slug, { invite: invite.inviteToken })).accessToken,
        journalist: (await audience.join(event.slug, { name: 'Ana García', outlet: 'El País' })).accessToken,
        viewerA: (await audience.join(event.slug)).accessToken,
        viewerB: (await audience.join(event.slug)).accessToken,
      };

      // The "starting soon" slate asked of node A: node A now holds the event's media.
      await fetch(`${nodes.a.url}/hls/${event.slug}/index.m3u8`);

      const moderator = await connect(tokens.moderator, 'a');
      const viewerA = await connect(tokens.viewerA, 'a');
      const speaker = await connect(tokens.speaker, 'b');
      const journalist = await connect(tokens.journalist, 'b');
      const viewerB = await connect(tokens.viewerB, 'b');

      // Go live through node B: node A, which holds the event, starts its one encoder.
      const started = await new Api(nodes.b.url, moderatorApi.bearer).request(
        'POST',
        `/api/events/${event.slug}/start`,
      );
      expect(started.status).toBeLessThan(300);

      // Renamed through node B: node A's running broadcast writes the new title for its slate (relayed by Redis).
      const renamed = await new Api(nodes.b.url, moderatorApi.bearer).request('PATCH', `/api/events/${event.slug}`, {
        title: 'Renamed through node B',
      });
      expect(renamed.status).toBe(200);
      const work = join(nodes.work, 'media-a', 'broadcasts', event.id, 'work');
      const slateTitle = () =>
        (existsSync(work) ? readdirSync(work) : [])
          .filter((name) => /-slate-title-\d+\.txt$/.test(name))
          .map((name) => readFileSync(join(work, name), 'utf8'))
          .join(' ');
      await waitFor(async () => (slateTitle().includes('Renamed through node B') ? true : undefined), 15_000, 200);

      // The speaker's socket is on node B; the studio is on node A: its transport is node A's WebRTC port
      // (node B, started second on the same RTC_PORT, took the next one).
      const joined = await ok(speaker, 'studio:join', {});
      expect(joined.peers).toEqual([]);
      const { transport } = await ok(speaker, 'studio:createTransport', { direction: 'send' });
      expect(new Set((transport.iceCandidates as Candidate[]).map((c) => c.port))).toEqual(new Set([nodes.rtcPort]));
      await ok(speaker, 'studio:connectTransport', { transportId: transport.id, dtlsParameters: DTLS });
      for (const [kind, source, rtpParameters] of [
        ['audio', 'microphone', opusParameters(1111)],
        ['video', 'camera', vp8Parameters(2222)],
      ] as const) {
        await ok(speaker, 'studio:produce', { transportId: transport.id, kind, source, rtpParameters });
      }
      // Studio events from node A reach the socket on node B (through Redis), and the other way round.
      const moderatorSeen = speaker.next('studio:peerJoined', (peer) => peer.role === 'moderator', {
        timeoutMs: 10_000,
      });
      const inStudio = await ok(moderator, 'studio:join', {});
      expect(inStudio.peers.map((peer) => peer.name)).toEqual(['Minister Ruiz']);
      await moderatorSeen;

      // On air: who is on air, from either node, is the speaker; the stream is the same from both.
      const programOf = async (base: string) => {
        const response = await fetch(`${base}/hls/${event.slug}/program.json`);
        return response.ok ? ((await response.json()) as ProgramInfo) : undefined;
      };
      for (const base of [nodes.b.url, nodes.a.url]) {
        await waitFor(
          async () => ((await programOf(base))?.speakers.includes('Minister Ruiz') ? true : undefined),
          90_000,
          500,
        );
      }
      const playlistA = await waitFor(
        async () => {
          const playlist = await mediaPlaylistOf(`${nodes.a.url}/hls/${event.slug}`, 'v360').catch(() => undefined);
          return playlist && playlist.segments.length >= 2 ? playlist : undefined;
        },
        60_000,
        500,
      );
      const playlistB = await mediaPlaylistOf(`${nodes.b.url}/hls/${event.slug}`, 'v360');
      const segment = playlistA.segments[playlistA.segments.length - 2]!;
      expect(playlistB.segments.map((s) => s.uri)).toContain(segment.uri);
      const segmentUrl = (base: string) => new URL(segment.uri, `${base}/hls/${event.slug}/`);
      const bytesOf = async (base: string) => Buffer.from(await (await fetch(segmentUrl(base))).arrayBuffer());
      const fromA = await bytesOf(nodes.a.url);
      expect(fromA.length).toBeGreaterThan(0);
      expect((await bytesOf(nodes.b.url)).equals(fromA)).toBe(true);
      // Through nginx from node B's clients, then from node A's: the same bytes, and one cache for both nodes.
      const segmentPath = segmentUrl('http://nginx').pathname;
      const throughB = await nodes.request('b', segmentPath);
      expect(throughB.status).toBe(200);
      expect(throughB.body.equals(fromA)).toBe(true);
      const throughA = await nodes.request('a', segmentPath);
      expect(throughA.body.equals(fromA)).toBe(true);
      expect(throughA.headers['x-cache-status']).toBe('HIT');
      // A client cannot pass for a node to make node B answer (and encode) the event itself.
      const spoofed = await fetch(`${nodes.b.url}/hls/${event.slug}/index.m3u8`, {
        headers: { 'x-pressroom-node': 'node-b-itself' },
      });
      expect(spoofed.status).toBe(200);
      // One encoder for the event across the nodes: on A; node B runs no FFmpeg and wrote no broadcast.
      expect(ffmpegOf(nodes.a.pid).length).toBeGreaterThan(0);
      expect(ffmpegOf(nodes.b.pid)).toEqual([]);
      const broadcastsB = join(nodes.work, 'media-b', 'broadcasts');
      expect(existsSync(broadcastsB) ? readdirSync(broadcastsB) : []).toEqual([]);

      // The conversation: asked on B, approved on A, seen on both.
      const pending = moderator.next('question:pending', (q) => q.text === 'Will the budget pass?');
      const asked = await ok(journalist, 'question:ask', { text: 'Will the budget pass?' });
      await pending;
      const approvedA = viewerA.next('question:approved', (q) => q.id === asked.question.id);
      const approvedB = viewerB.next('question:approved', (q) => q.id === asked.question.id);
      await ok(moderator, 'question:approve', { questionId: asked.question.id });
      await Promise.all([approvedA, approvedB]);
      await ok(moderator, 'question:onAir', { questionId: asked.question.id });

      // Limits are shared: the journalist's slow mode counts on both nodes.
      const chat = await ok(journalist, 'chat:send', { text: 'Sent through node B' });
      const journalistOnA = await connect(tokens.journalist, 'a');
      expect(await journalistOnA.send('chat:send', { text: 'Too soon, through node A' })).toMatchObject({
        ok: false,
        error: { code: 'slow_mode' },
      });

      // Node B dies. Its clients come back through nginx to node A, with their state.
      const statesBefore = new Map(
        [speaker, journalist, viewerB].map((client) => [
          client,
          client.received.filter((r) => r.name === 'state').length,
        ]),
      );
      const speakerLeft = moderator.next('studio:peerLeft', () => true, { timeoutMs: 20_000 });
      await nodes.kill('b');
      for (const client of [speaker, journalist, viewerB]) {
        await waitFor(
          async () =>
            client.received.filter((r) => r.name === 'state').length > statesBefore.get(client)! ? true : undefined,
          20_000,
          100,
        );
        expect(client.socket.connected).toBe(true);
        expect(client.state.questions.map((q) => q.id)).toContain(asked.question.id);
        expect(client.state.chat.map((m) => m.id)).toContain(chat.message.id);
      }
      // Node A noticed that the speaker's socket went with node B: the studio lets them go.
      await speakerLeft;
      // nginx sends node B's clients to node A now.
      expect(await nodes.answeredBy('b')).toBe('a');

      // The studio and the conversation go on, on node A alone.
      await new Promise((resolve) => setTimeout(resolve, 5_000)); // slow mode
      const pendingAgain = moderator.next('question:pending', (q) => q.text === 'And after the failover?');
      await ok(journalist, 'question:ask', { text: 'And after the failover?' });
      await pendingAgain;
      const chatSeen = viewerA.next('chat:message', (m) => m.text === 'Still here');
      await ok(journalist, 'chat:send', { text: 'Still here' });
      await chatSeen;
      const rejoined = await ok(speaker, 'studio:join', {});
      expect(rejoined.peers.map((peer) => peer.role)).toEqual(['moderator']);
      const afterPlaylist = await nodes.request('b', `/hls/${event.slug}/index.m3u8`);
      expect(afterPlaylist.status).toBe(200);
      expect(ffmpegChildren()).toEqual([]); // nothing of the broadcast ran in the test's own process
      live = {
        slug: event.slug,
        eventId: event.id,
        speaker,
        journalist,
        viewers: [viewerA, viewerB],
        questionId: asked.question.id,
        moderatorToken: moderatorApi.bearer!,
      };
    } catch (error) {
      process.stderr.write(nodes.logs());
      throw error;
    }
  }, 300_000);

  it('node B comes back and node A, which holds the live event, dies: B takes the event over within the lease', async () => {
    if (!live) throw new Error('needs the first test');
    const { slug, speaker, journalist, viewers, questionId } = live;
    try {
      await nodes.restart('b');
      const statesBefore = new Map(
        [speaker, journalist, ...viewers].map((client) => [
          client,
          client.received.filter((r) => r.name === 'state').length,
        ]),
      );
      const killedAt = Date.now();
      await nodes.kill('a');
      // Everyone comes back through nginx, to node B now, with the conversation.
      for (const client of [speaker, journalist, ...viewers]) {
        await waitFor(
          async () =>
            client.received.filter((r) => r.name === 'state').length > statesBefore.get(client)! ? true : undefined,
          20_000,
          100,
        );
        expect(client.state.questions.map((q) => q.id)).toContain(questionId);
        expect(client.state.chat.map((m) => m.text)).toContain('Still here');
      }
      expect(await nodes.answeredBy('a')).toBe('b');
      // Node B took the live event when node A's heartbeat lapsed: its own encoder, the stream from it.
      await waitFor(async () => (ffmpegOf(nodes.b.pid).length > 0 ? true : undefined), 30_000, 250);
      const playlist = await waitFor(
        async () => {
          const response = await nodes.request('a', `/hls/${slug}/index.m3u8`);
          return response.status === 200 ? response.body.toString('utf8') : undefined;
        },
        30_000,
        250,
      );
      expect(playlist).toContain('#EXT-X-STREAM-INF');
      process.stdout.write(`two nodes: the stream was back ${Date.now() - killedAt} ms after the holder died\n`);
      // The studio is on node B now: the speaker joins again and publishes there (node B's WebRTC port).
      const joined = await waitFor(
        async () => {
          const reply = await speaker.send('studio:join', {});
          return reply.ok ? reply : undefined;
        },
        15_000,
        500,
      );
      expect(joined.ok).toBe(true);
      const { transport } = await ok(speaker, 'studio:createTransport', { direction: 'send' });
      expect((transport.iceCandidates as Candidate[]).map((c) => c.port)).not.toContain(nodes.rtcPort);

      // Node A comes back; the event ends through it. Node B, the holder, closes the broadcast and makes the
      // recording on its disk, which node A serves to the moderator by asking node B.
      await nodes.restart('a');
      const moderatorOnA = new Api(nodes.a.url, live.moderatorToken);
      expect((await moderatorOnA.request('POST', `/api/events/${slug}/end`)).status).toBeLessThan(300);
      const status = await waitFor(
        async () => {
          const reply = await moderatorOnA.request<RecordingStatus>('GET', `/api/events/${slug}/recording`);
          return reply.status === 200 && reply.body.state !== 'preparing' ? reply.body : undefined;
        },
        90_000,
        1_000,
      );
      expect(status.state).toBe('ready');
      const mp4 = await fetch(`${nodes.a.url}/api/events/${slug}/recording.mp4`, {
        headers: { authorization: `Bearer ${live.moderatorToken}` },
      });
      expect(mp4.status).toBe(200);
      expect(mp4.headers.get('content-type')).toMatch(/^video\/mp4/);
      const served = Buffer.from(await mp4.arrayBuffer());
      expect(served.length).toBeGreaterThan(10_000);
      // It is node B's recording (node A still has the files of its own run, before it died: not those).
      const fromHolder = await fetch(`${nodes.b.url}/api/events/${slug}/recording.mp4`, {
        headers: { authorization: `Bearer ${live.moderatorToken}` },
      });
      expect(Buffer.from(await fromHolder.arrayBuffer()).equals(served)).toBe(true);
    } catch (error) {
      process.stderr.write(nodes.logs());
      throw error;
    }
  }, 180_000);
});
