import type { ProgramInfo } from '@pressroom/protocol';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Api } from '../e2e/harness/api';
import { ok } from '../e2e/harness/guest';
import type { LiveClient } from '../e2e/harness/live-client';
import { decodeFrame, downloadSegment, newestSegment, savePicture, WIDTH, HEIGHT } from '../e2e/harness/media';
import { describeWhenSet } from '../e2e/harness/needs';
import { colourShare, type Rgb } from '../e2e/harness/pictures';
import { startTwoNodes, type TwoNodes } from '../e2e/harness/two-nodes';
import { launchChromium, videoPlays, watchRequests, type WatchedRequests } from './harness/browser';

const WEB_DIR = join(resolve(__dirname, '..', '..'), 'dist');
/** Set by `.ci/run` when it could start PostgreSQL and Redis. */
const postgres = describeWhenSet('PRESSROOM_TEST_POSTGRES_URL', 'PostgreSQL');
const redis = describeWhenSet('PRESSROOM_TEST_REDIS_URL', 'Redis');
const suite = postgres.url ? redis : postgres;

/** The speaker's fake camera: one green, easy to find in the broadcast's picture. */
const CAMERA: Rgb = [0x30, 0xc0, 0x50];
const WHOLE = { x: 0, y: 0, width: WIDTH, height: HEIGHT };

/**
 * Two API nodes behind nginx (deploy/nginx/pressroom-two-nodes.conf: TLS, sticky by client address) on
 * PostgreSQL and Redis, with real browsers (issue 13). nginx sends the browsers (all from 127.0.0.1) to one
 * node, "near"; the event is held by the other, "holder". The speaker's page, on near, publishes camera and
 * microphone through the holder's media port into the one broadcast; a viewer's page plays it. Near dies: the
 * speaker's page comes back through nginx to the holder by itself and is on air again, with nobody touching it.
 */
suite.describe('two API nodes behind nginx, in Chromium: a speaker on the node that does not hold the event', () => {
  let nodes: TwoNodes;
  let browser: Browser;
  let slug: string;
  let inviteUrl: string;
  let moderator: LiveClient;
  /** The node nginx sends the browsers to, and the node that holds the event. */
  let near: 'a' | 'b';
  let holder: 'a' | 'b';
  const contexts: BrowserContext[] = [];
  const watched: WatchedRequests[] = [];
  /** Program date-time (epoch ms) of the newest segment checked: each check takes a newer one. */
  let checkedUpTo = 0;

  beforeAll(async () => {
    for (const app of ['viewer', 'studio']) {
      if (!existsSync(join(WEB_DIR, app, 'index.html'))) throw new Error(`dist/${app} is missing: run set-up first`);
    }
    [nodes, browser] = await Promise.all([
      startTwoNodes(postgres.url!, redis.url!, { HLS_LADDER: '360' }),
      launchChromium({ cameraColour: `0x${CAMERA.map((c) => c.toString(16).padStart(2, '0')).join('')}` }),
    ]);
    const found = await nodes.nodeFor('127.0.0.1');
    if (!found) throw new Error('nginx sent 127.0.0.1 to no node');
    near = found;
    holder = near === 'a' ? 'b' : 'a';
    const moderatorApi = await Api.asModerator(nodes[holder].url);
    const event = await moderatorApi.createEvent({ title: 'Port authority briefing' });
    slug = event.slug;
    const invite = await moderatorApi.inviteSpeaker(slug, 'Minister Ruiz');
    const link = new URL(invite.inviteUrl);
    inviteUrl = `${nodes.nginx.url}${link.pathname}${link.search}${link.hash}`;
    // The slate asked of the holder, and the event started there: it holds the event's media.
    await fetch(`${nodes[holder].url}/hls/${slug}/index.m3u8`);
    await moderatorApi.expectOk('POST', `/api/events/${slug}/start`);
    moderator = await nodes.connect((await moderatorApi.join(slug)).accessToken, holder, { reconnection: true });
    await ok(moderator, 'studio:join', {});
  }, 300_000);

  afterAll(async () => {
    const messages = watched.flatMap((w) => w.console);
    if (messages.length > 0) console.log(`browser console:\n${messages.join('\n')}`);
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await nodes?.close();
  }, 60_000);

  /** A page through nginx (https, its self-signed certificate accepted as a real one would be). */
  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ignoreHTTPSErrors: true });
    context.setDefaultTimeout(20_000);
    contexts.push(context);
    watched.push(watchRequests(context));
    return context.newPage();
  }

  /** Open live connections on a node, from its own /metrics (loopback may read it). */
  async function liveConnections(node: 'a' | 'b'): Promise<number> {
    const text = await (await fetch(`${nodes[node].url}/metrics`)).text();
    return Number(/^pressroom_live_connections(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? NaN);
  }

  /** Waits for a picture of the broadcast, from `node`, newer than the last one checked, showing the camera. */
  async function speakerInBroadcast(node: 'a' | 'b', what: string, timeoutMs: number): Promise<number> {
    const hls = `${nodes[node].url}/hls/${slug}`;
    const deadline = Date.now() + timeoutMs;
    let share = 0;
    for (;;) {
      const segment = await newestSegment(`${hls}/v360.m3u8`, checkedUpTo, 30_000);
      checkedUpTo = segment.programDateTime;
      const frame = await decodeFrame(await downloadSegment(hls, segment, join(nodes.work, 'segment.mp4')));
      share = colourShare(frame, WHOLE, CAMERA);
      if (share > 0.2) return share;
      if (Date.now() > deadline) {
        await savePicture(frame, 'two-nodes-failed', nodes.work);
        throw new Error(
          `${what}: the speaker's camera is ${share} of the picture after ${timeoutMs} ms\n${nodes.logs()}`,
        );
      }
    }
  }

  async function onAir(base: string): Promise<string[]> {
    const response = await fetch(`${base}/hls/${slug}/program.json`);
    return response.ok ? ((await response.json()) as ProgramInfo).speakers : [];
  }

  it('the speaker’s page on one node publishes into the other node’s broadcast; a viewer plays it', async () => {
    expect(await liveConnections(near)).toBe(0);
    const speaker = await newPage();
    await speaker.goto(inviteUrl);
    await speaker.getByRole('button', { name: 'Join the studio', exact: true }).click();
    await speaker.getByRole('button', { name: 'Mute microphone', exact: true }).waitFor();
    // The page's live connection is near's (nginx sent it there); the holder has only the moderator's.
    expect({ near: await liveConnections(near), holder: await liveConnections(holder) }).toEqual({
      near: 1,
      holder: 1,
    });

    checkedUpTo = Date.now();
    // Asked of the node that does not hold the event: streamed from the holder, the same stream.
    const share = await speakerInBroadcast(near, 'the speaker in the broadcast', 60_000);
    console.log(`the speaker's camera fills ${(share * 100).toFixed(0)} % of the broadcast's picture`);
    expect(await onAir(nodes.a.url)).toEqual(['Minister Ruiz']);
    expect(await onAir(nodes.b.url)).toEqual(['Minister Ruiz']);

    const viewer = await newPage();
    await viewer.goto(`${nodes.nginx.url}/${slug}`);
    await viewer.getByRole('heading', { level: 1, name: 'Port authority briefing' }).waitFor();
    await videoPlays(viewer.locator('video'), 'the broadcast through nginx', {
      startTimeoutMs: 30_000,
      advanceTimeoutMs: 15_000,
    });
    expect(await liveConnections(near)).toBe(2);
  }, 180_000);

  it('the browsers’ node dies: the speaker’s page comes back through nginx to the holder by itself, on air again', async () => {
    // The holder lets the speaker's old studio peer go; the page joins again over its new connection.
    const peerLeft = moderator.next('studio:peerLeft', () => true, { timeoutMs: 30_000 });
    const peerJoined = moderator.next('studio:peerJoined', (peer) => peer.name === 'Minister Ruiz', {
      timeoutMs: 30_000,
    });
    await nodes.kill(near);
    const killedAt = Date.now();
    await Promise.all([peerLeft, peerJoined]);
    console.log(`the speaker's page joined the studio again ${Date.now() - killedAt} ms after its node died`);

    // From now on the broadcast must show the speaker again, published over the page's new connection.
    checkedUpTo = Date.now();
    await speakerInBroadcast(holder, 'the speaker after their node died', 60_000);
    expect(await onAir(nodes[holder].url)).toEqual(['Minister Ruiz']);
    // The holder has every live connection now: the moderator's, the viewer's and the speaker's.
    expect(await liveConnections(holder)).toBe(3);
    const speaker = contexts[0]!.pages()[0]!;
    expect(await speaker.getByRole('alert').count()).toBe(0);
  }, 180_000);
});
