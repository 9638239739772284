import type { EventDetails } from '@pressroom/protocol';
import type { types } from 'mediasoup';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WorkerPool } from '../../apps/api/src/media/worker-pool';
import { Api } from '../e2e/harness/api';
import { startCoturn, TURN_RELAY_PORTS, type Coturn } from '../e2e/harness/coturn';
import { startServer, type TestServer } from '../e2e/harness/server';
import { PROBE, type StudioControl, type StudioProbe } from './fixtures/probe';
import {
  eventually,
  launchChromium,
  launchChromiumWithPreferences,
  type ChromiumProfile,
  probe,
  watchRequests,
  type WatchedRequests,
} from './harness/browser';
import { bundleTestPages, mountTestPages, TEST_PAGES_PATH, type TestPages } from './harness/pages';

type MediaRoute = NonNullable<Awaited<ReturnType<StudioControl['mediaRoute']>>>;

/** What the server saw of a speaker's sending transport: the path its media came on, and how much came. */
interface ServerSide {
  tuple: types.TransportTuple | undefined;
  rtpBytesReceived: number;
  /** The camera's producer: its bytes and its score (0…10, how well the media arrives). */
  video: { byteCount: number; score: number } | undefined;
}

/** Every producer made while a test watches, by id. */
const PRODUCERS = new Map<string, types.Producer>();

/**
 * The studio's WebRTC transports as the server makes them, read from mediasoup's observers: a test sees
 * which path the media arrived on and how much of it, as the media server does.
 */
function watchSendTransports(server: TestServer): types.WebRtcTransport[] {
  const transports: types.WebRtcTransport[] = [];
  for (const worker of server.app.get(WorkerPool).list()) {
    worker.observer.on('newrouter', (router) =>
      router.observer.on('newtransport', (transport) => {
        if (transport.appData['direction'] !== 'send') return;
        transports.push(transport as types.WebRtcTransport);
        transport.observer.on('newproducer', (producer) => PRODUCERS.set(producer.id, producer));
      }),
    );
  }
  return transports;
}

async function serverSide(transport: types.WebRtcTransport): Promise<ServerSide> {
  const [stats] = await transport.getStats();
  let video: ServerSide['video'];
  for (const producer of await producersOf(transport)) {
    if (producer.kind !== 'video') continue;
    const [inbound] = await producer.getStats();
    video = inbound ? { byteCount: inbound.byteCount, score: inbound.score } : undefined;
  }
  return { tuple: transport.iceSelectedTuple, rtpBytesReceived: stats?.rtpBytesReceived ?? 0, video };
}

/** The producers on a transport, by their ids in its dump (mediasoup keeps no list of them public). */
async function producersOf(transport: types.WebRtcTransport): Promise<types.Producer[]> {
  const { producerIds } = (await transport.dump()) as unknown as { producerIds: string[] };
  return producerIds.map((id) => PRODUCERS.get(id)).filter((p): p is types.Producer => p !== undefined);
}

/** The media server's one UDP or TCP port (all studio transports of the worker listen there). */
async function webRtcPort(server: TestServer, protocol: 'udp' | 'tcp'): Promise<number> {
  const pool = server.app.get(WorkerPool);
  const dump = (await pool.webRtcServerOf(pool.list()[0]!).dump()) as unknown as {
    udpSockets: Array<{ port: number }>;
    tcpServers: Array<{ port: number }>;
  };
  return (protocol === 'udp' ? dump.udpSockets : dump.tcpServers)[0]!.port;
}

/**
 * Speakers behind firewalls, in Debian's Chromium: a speaker whose browser may only relay through TURN
 * publishes through Debian's coturn, and a speaker whose browser has no UDP at all publishes over TCP to
 * the media server's one TCP port. Each time the server receives the camera, and the path is checked at
 * both ends: the browser's selected ICE candidate pair, and the address the server got the media from.
 */
describe('speakers behind firewalls: through a TURN relay, and over TCP without UDP', () => {
  let pages: TestPages;
  const watched: WatchedRequests[] = [];

  beforeAll(async () => {
    pages = await bundleTestPages();
  }, 30_000);

  afterAll(() => {
    const messages = watched.flatMap((w) => w.console);
    if (messages.length > 0) console.log(`browser console:\n${messages.join('\n')}`);
    pages?.remove();
  });

  /**
   * A speaker's page on the test studio page (`ice=relay`: media only through TURN), camera and microphone
   * on; the socket frames it receives go into `frames`.
   */
  async function openSpeaker(
    context: BrowserContext,
    server: TestServer,
    event: EventDetails,
    moderatorApi: Api,
    query: Record<string, string> = {},
    frames: string[] = [],
  ): Promise<Page> {
    const invite = await moderatorApi.inviteSpeaker(event.slug, 'Minister Ruiz');
    watched.push(watchRequests(context));
    const page = await context.newPage();
    // What the server sends the page over its socket, to check what it carries.
    page.on('websocket', (socket) => socket.on('framereceived', (frame) => frames.push(String(frame.payload))));
    const search = new URLSearchParams({ slug: event.slug, invite: invite.inviteToken, ...query });
    await page.goto(`${server.url}${TEST_PAGES_PATH}/studio.html?${search}`);
    await page.waitForSelector('body[data-state="publishing"], body[data-state="error"]', { timeout: 15_000 });
    const state = await probe<StudioProbe>(page);
    if (state.state !== 'publishing') throw new Error(`the speaker did not publish: ${state.errors.join('; ')}`);
    return page;
  }

  const mediaRoute = (page: Page) =>
    page.evaluate(
      (key) => (globalThis as unknown as Record<string, StudioControl>)[key]!.mediaRoute(),
      PROBE,
    ) as Promise<MediaRoute | null>;

  /** Waits until the server has received a good deal of the speaker's camera, and returns what it saw. */
  async function cameraArrives(transport: () => types.WebRtcTransport | undefined): Promise<ServerSide> {
    return eventually(
      async () => {
        const current = transport();
        return current ? serverSide(current) : undefined;
      },
      (seen) => (seen?.tuple && seen.video && seen.video.byteCount > 50_000 && seen.video.score > 0 ? seen : undefined),
      { timeoutMs: 20_000, intervalMs: 250, what: 'the speaker’s camera arriving at the server' },
    );
  }

  describe('relay only: through Debian’s coturn with time-limited credentials', () => {
    let coturn: Coturn;
    let server: TestServer;
    let browser: Browser;
    let transports: types.WebRtcTransport[];
    let current: () => types.WebRtcTransport | undefined;

    beforeAll(async () => {
      coturn = await startCoturn();
      [server, browser] = await Promise.all([
        startServer({ TURN_URLS: coturn.url, TURN_SECRET: coturn.secret }),
        launchChromium(),
      ]);
      mountTestPages(server.app, pages);
      transports = watchSendTransports(server);
      current = () => transports.at(-1);
    }, 30_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await coturn?.stop();
    });

    it('a speaker allowed only relayed media publishes through coturn, and the server receives the camera from the relay', async () => {
      const moderatorApi = await Api.asModerator(server.url);
      const event = await moderatorApi.createEvent({ title: 'Behind the ministry firewall' });
      const frames: string[] = [];
      const page = await openSpeaker(await browser.newContext(), server, event, moderatorApi, { ice: 'relay' }, frames);
      const seen = await cameraArrives(current);

      // At the browser: the selected candidate pair is a TURN relay, reached over UDP.
      const route = await eventually(
        () => mediaRoute(page),
        (r) => r ?? undefined,
        { what: 'a selected route' },
      );
      expect(route).toEqual({ protocol: 'udp', candidateType: 'relay', relayProtocol: 'udp' });
      // At the server: the media came to its one UDP port from coturn's relay port, not from the browser.
      expect(seen.tuple).toMatchObject({
        protocol: 'udp',
        localPort: await webRtcPort(server, 'udp'),
        remoteIp: '127.0.0.1',
      });
      expect(seen.tuple!.remotePort).toBeGreaterThanOrEqual(TURN_RELAY_PORTS.min);
      expect(seen.tuple!.remotePort).toBeLessThanOrEqual(TURN_RELAY_PORTS.max);
      // And coturn says it allocated the relay for this participant's credential.
      const participantId = (await probe<StudioProbe>(page)).selfId!;
      expect(coturn.log()).toMatch(new RegExp(`user <\\d+:${participantId}>: .*ALLOCATE processed, success`));
      // The shared secret never reached the browser.
      expect(frames.some((frame) => frame.includes('iceServers'))).toBe(true);
      expect(frames.some((frame) => frame.includes(coturn.secret))).toBe(false);
      await page.context().close();
    }, 60_000);
  });

  describe('no UDP at all: ICE over TCP to the media server’s one TCP port', () => {
    let server: TestServer;
    let browser: ChromiumProfile;
    let transports: types.WebRtcTransport[];
    let current: () => types.WebRtcTransport | undefined;

    beforeAll(async () => {
      [server, browser] = await Promise.all([
        startServer(),
        // What an administrator sets where no UDP gets out (Chromium's policy WebRtcIPHandlingPolicy, here
        // as the profile's preference): WebRTC gathers no UDP candidate and sends nothing over UDP.
        launchChromiumWithPreferences({ webrtc: { ip_handling_policy: 'disable_non_proxied_udp' } }),
      ]);
      mountTestPages(server.app, pages);
      transports = watchSendTransports(server);
      current = () => transports.at(-1);
    }, 30_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('a speaker whose browser has no UDP publishes over TCP, and the server receives the camera on its TCP port', async () => {
      const moderatorApi = await Api.asModerator(server.url);
      const event = await moderatorApi.createEvent({ title: 'Over TCP' });
      const page = await openSpeaker(browser.context, server, event, moderatorApi);
      const seen = await cameraArrives(current);

      // The server offered UDP first (higher priority) and TCP; the browser could only take TCP.
      const candidates = transports.at(-1)!.iceCandidates;
      expect(candidates.map((c) => c.protocol).sort()).toEqual(['tcp', 'udp']);
      const route = await eventually(
        () => mediaRoute(page),
        (r) => r ?? undefined,
        { what: 'a selected route' },
      );
      expect(route).toMatchObject({ protocol: 'tcp' });
      expect(route.candidateType).not.toBe('relay');
      expect(seen.tuple).toMatchObject({ protocol: 'tcp', localPort: await webRtcPort(server, 'tcp') });
      await page.close();
    }, 60_000);

    it('a page forced to relay-only on a server without TURN servers does not join, and says why', async () => {
      const moderatorApi = await Api.asModerator(server.url);
      const event = await moderatorApi.createEvent({ title: 'No TURN here' });
      await expect(openSpeaker(browser.context, server, event, moderatorApi, { ice: 'relay' })).rejects.toThrow(
        /the server offers no TURN server/,
      );
    }, 30_000);
  });
});
