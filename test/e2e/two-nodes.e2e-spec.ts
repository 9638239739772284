import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { ProgramInfo, RecordingStatus } from '@pressroom/protocol';
import { Api } from './harness/api';
import { startApiNode, type ApiNode } from './harness/api-node';
import { DTLS, ok, opusParameters, vp8Parameters } from './harness/guest';
import { mediaPlaylistOf } from './harness/hls';
import { LiveClient } from './harness/live-client';
import { waitFor } from './harness/media';
import { describeWhenSet } from './harness/needs';
import { startNginxSite, type Nginx } from './harness/nginx';
import { ffmpegChildren } from './harness/processes';
import { freePort } from './harness/server';

/** Set by `.ci/run` when it could start PostgreSQL and Redis. */
const postgres = describeWhenSet('PRESSROOM_TEST_POSTGRES_URL', 'PostgreSQL');
const redis = describeWhenSet('PRESSROOM_TEST_REDIS_URL', 'Redis');
const suite = postgres.url ? redis : postgres;

const ROOT = join(__dirname, '../..');

type Candidate = { port: number };

/** The `ffmpeg` children of a process (the node's encoders). */
function ffmpegOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid), 'ffmpeg'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Two API nodes behind nginx on one PostgreSQL and one Redis (issue 13): each event's media runs on the node
 * that holds it, sockets on the other node are served through it (studio actions forwarded, studio events and
 * the conversation through Redis), /hls/ is the same stream from both, and a node that dies loses nobody's
 * chat or question: its clients come back through nginx to the other node.
 */
suite.describe('two API nodes behind nginx on PostgreSQL and Redis', () => {
  const database = `pressroom_e2e_${randomBytes(4).toString('hex')}`;
  const work = mkdtempSync(join(tmpdir(), 'pressroom-nodes-'));
  let nodeA: ApiNode;
  let nodeB: ApiNode;
  let nginx: Nginx;
  let rtcPort: number;
  /** X-Pin header values that nginx's upstream hash sends to node A and to node B. */
  const pin = { a: '', b: '' };
  const clients: LiveClient[] = [];
  let restartB: () => Promise<ApiNode>;
  let restartA: () => Promise<ApiNode>;
  /** The encoders of a node the test killed. */
  const orphans: number[] = [];
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

  const admin = async <T>(sql: string): Promise<void> => {
    const client = new Client({ connectionString: postgres.url });
    await client.connect();
    try {
      await client.query<T & object>(sql);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    // The nodes run the built API, as `npm run serve` does: build what changed (incremental).
    execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-b', 'apps/api/tsconfig.app.json'], { cwd: ROOT });
    await admin(`CREATE DATABASE ${database}`);
    const databaseUrl = new URL(postgres.url!);
    databaseUrl.pathname = `/${database}`;
    // A Redis database of this test's own: its registry and event holders meet no other suite's.
    const redisUrl = new URL(redis.url!);
    redisUrl.pathname = `/${2 + Math.floor(Math.random() * 12)}`;
    const [portA, portB] = [await freePort(), await freePort()];
    rtcPort = 20_000 + Math.floor(Math.random() * 15_000);
    const broadcastPorts = 51_000 + 2 * Math.floor(Math.random() * 3_000);
    // The same settings for both, but PORT (and a media folder of each: two machines' disks).
    const shared = {
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL: redisUrl.toString(),
      // Both on one machine with the same RTC_PORT: the second node's worker takes the next free port.
      RTC_PORT: String(rtcPort),
      BROADCAST_MIN_PORT: String(broadcastPorts),
      BROADCAST_MAX_PORT: String(broadcastPorts + 79),
      HLS_LADDER: '360',
      TRUST_PROXY: 'loopback',
    };
    // One after the other: the first runs the migrations.
    restartA = () => startApiNode(portA, { ...shared, MEDIA_DIR: join(work, 'media-a') });
    nodeA = await restartA();
    restartB = () => startApiNode(portB, { ...shared, MEDIA_DIR: join(work, 'media-b') });
    nodeB = await restartB();
    nginx = await startNginxSite(
      (port) => `map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream pressroom {
    # The test pins a client to a node by its X-Pin header; a node that is down is skipped.
    hash $http_x_pin;
    server 127.0.0.1:${portA} max_fails=1 fail_timeout=2s;
    server 127.0.0.1:${portB} max_fails=1 fail_timeout=2s;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://pressroom;
      proxy_http_version 1.1;
      proxy_connect_timeout 2s;
      proxy_next_upstream error timeout;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_read_timeout 3600s;
      add_header X-Upstream $upstream_addr always;
    }
  }`,
    );
    for (let i = 0; (!pin.a || !pin.b) && i < 50; i++) {
      const response = await fetch(`${nginx.url}/health`, { headers: { 'x-pin': `p${i}` } });
      const upstream = response.headers.get('x-upstream');
      if (upstream === `127.0.0.1:${portA}`) pin.a ||= `p${i}`;
      if (upstream === `127.0.0.1:${portB}`) pin.b ||= `p${i}`;
    }
    expect(pin.a && pin.b).toBeTruthy();
  }, 300_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await nginx?.stop();
    await nodeB?.stop();
    await nodeA?.stop();
    // FFmpegs of a killed node outlive it (the next start of a node on that media folder would end them).
    for (const pid of orphans) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    rmSync(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }, 60_000);

  /** A client through nginx, pinned to a node, reconnecting as the pages do. */
  const connect = async (token: string, node: 'a' | 'b') => {
    const client = await LiveClient.connect(nginx.url, token, {
      extraHeaders: { 'x-pin': pin[node] },
      reconnection: true,
    });
    clients.push(client);
    return client;
  };

  it('a speaker on node B goes on air on node A, viewers of both get the question and one stream; B dies, nothing is lost', async () => {
    try {
      const moderatorApi = await Api.asModerator(nodeA.url);
      const event = await moderatorApi.createEvent({ slowModeSeconds: 5 });
      const invite = await moderatorApi.inviteSpeaker(event.slug, 'Minister Ruiz');
      const audience = new Api(nginx.url);
      const tokens = {
        moderator: (await moderatorApi.join(event.slug)).accessToken,
        speaker: (await audience.join(event.slug, { invite: invite.inviteToken })).accessToken,
        journalist: (await audience.join(event.slug, { name: 'Ana García', outlet: 'El País' })).accessToken,
        viewerA: (await audience.join(event.slug)).accessToken,
        viewerB: (await audience.join(event.slug)).accessToken,
      };

      // The "starting soon" slate asked of node A: node A now holds the event's media.
      await fetch(`${nodeA.url}/hls/${event.slug}/index.m3u8`);

      const moderator = await connect(tokens.moderator, 'a');
      const viewerA = await connect(tokens.viewerA, 'a');
      const speaker = await connect(tokens.speaker, 'b');
      const journalist = await connect(tokens.journalist, 'b');
      const viewerB = await connect(tokens.viewerB, 'b');

      // Go live through node B: node A, which holds the event, starts its one encoder.
      const started = await new Api(nodeB.url, moderatorApi.bearer).request('POST', `/api/events/${event.slug}/start`);
      expect(started.status).toBeLessThan(300);

      // The speaker's socket is on node B; the studio is on node A: its transport is node A's WebRTC port
      // (node B, started second on the same RTC_PORT, took the next one).
      const joined = await ok(speaker, 'studio:join', {});
      expect(joined.peers).toEqual([]);
      const { transport } = await ok(speaker, 'studio:createTransport', { direction: 'send' });
      expect(new Set((transport.iceCandidates as Candidate[]).map((c) => c.port))).toEqual(new Set([rtcPort]));
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
      for (const base of [nodeB.url, nodeA.url]) {
        await waitFor(
          async () => ((await programOf(base))?.speakers.includes('Minister Ruiz') ? true : undefined),
          90_000,
          500,
        );
      }
      const playlistA = await waitFor(
        async () => {
          const playlist = await mediaPlaylistOf(`${nodeA.url}/hls/${event.slug}`, 'v360').catch(() => undefined);
          return playlist && playlist.segments.length >= 2 ? playlist : undefined;
        },
        60_000,
        500,
      );
      const playlistB = await mediaPlaylistOf(`${nodeB.url}/hls/${event.slug}`, 'v360');
      const segment = playlistA.segments[playlistA.segments.length - 2]!;
      expect(playlistB.segments.map((s) => s.uri)).toContain(segment.uri);
      const bytesOf = async (base: string, headers: Record<string, string> = {}) =>
        Buffer.from(await (await fetch(new URL(segment.uri, `${base}/hls/${event.slug}/`), { headers })).arrayBuffer());
      const fromA = await bytesOf(nodeA.url);
      expect(fromA.length).toBeGreaterThan(0);
      expect((await bytesOf(nodeB.url)).equals(fromA)).toBe(true);
      expect((await bytesOf(nginx.url, { 'x-pin': pin.b })).equals(fromA)).toBe(true);
      // A client cannot pass for a node to make node B answer (and encode) the event itself.
      const spoofed = await fetch(`${nodeB.url}/hls/${event.slug}/index.m3u8`, {
        headers: { 'x-pressroom-node': 'node-b-itself' },
      });
      expect(spoofed.status).toBe(200);
      // One encoder for the event across the nodes: on A; node B runs no FFmpeg and wrote no broadcast.
      expect(ffmpegOf(nodeA.pid).length).toBeGreaterThan(0);
      expect(ffmpegOf(nodeB.pid)).toEqual([]);
      const broadcastsB = join(work, 'media-b', 'broadcasts');
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
      orphans.push(...ffmpegOf(nodeB.pid));
      await nodeB.kill();
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
      const afterPlaylist = await fetch(`${nginx.url}/hls/${event.slug}/index.m3u8`, { headers: { 'x-pin': pin.b } });
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
      process.stderr.write(`node A:\n${nodeA.output().slice(-20_000)}\nnode B:\n${nodeB.output().slice(-20_000)}\n`);
      throw error;
    }
  }, 300_000);

  it('node B comes back and node A, which holds the live event, dies: B takes the event over within the lease', async () => {
    if (!live) throw new Error('needs the first test');
    const { slug, speaker, journalist, viewers, questionId } = live;
    try {
      nodeB = await restartB();
      const statesBefore = new Map(
        [speaker, journalist, ...viewers].map((client) => [
          client,
          client.received.filter((r) => r.name === 'state').length,
        ]),
      );
      const killedAt = Date.now();
      orphans.push(...ffmpegOf(nodeA.pid));
      await nodeA.kill();
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
      // Node B took the live event when node A's heartbeat lapsed: its own encoder, the stream from it.
      await waitFor(async () => (ffmpegOf(nodeB.pid).length > 0 ? true : undefined), 30_000, 250);
      const playlist = await waitFor(
        async () => {
          const response = await fetch(`${nginx.url}/hls/${slug}/index.m3u8`, { headers: { 'x-pin': pin.a } });
          return response.ok ? response.text() : undefined;
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
      expect((transport.iceCandidates as Candidate[]).map((c) => c.port)).not.toContain(rtcPort);

      // Node A comes back; the event ends through it. Node B, the holder, closes the broadcast and makes the
      // recording on its disk, which node A serves to the moderator by asking node B.
      nodeA = await restartA();
      const moderatorOnA = new Api(nodeA.url, live.moderatorToken);
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
      const mp4 = await fetch(`${nodeA.url}/api/events/${slug}/recording.mp4`, {
        headers: { authorization: `Bearer ${live.moderatorToken}` },
      });
      expect(mp4.status).toBe(200);
      expect(mp4.headers.get('content-type')).toMatch(/^video\/mp4/);
      const served = Buffer.from(await mp4.arrayBuffer());
      expect(served.length).toBeGreaterThan(10_000);
      // It is node B's recording (node A still has the files of its own run, before it died: not those).
      const fromHolder = await fetch(`${nodeB.url}/api/events/${slug}/recording.mp4`, {
        headers: { authorization: `Bearer ${live.moderatorToken}` },
      });
      expect(Buffer.from(await fromHolder.arrayBuffer()).equals(served)).toBe(true);
    } catch (error) {
      process.stderr.write(`node A:\n${nodeA.output().slice(-20_000)}\nnode B:\n${nodeB.output().slice(-20_000)}\n`);
      throw error;
    }
  }, 180_000);
});
