import type { EventDetails } from '@pressroom/protocol';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { WorkerPool } from '../../apps/api/src/media/worker-pool';
import { Api } from '../e2e/harness/api';
import { startServer, type TestServer } from '../e2e/harness/server';
import type { RemoteVideoProbe, StudioControl, StudioProbe, ViewerProbe } from './fixtures/probe';
import { act, eventually, launchChromium, probe, watchRequests } from './harness/browser';
import { bundleTestPages, mountTestPages, TEST_PAGES_PATH, type TestPages } from './harness/pages';

const ROOT = resolve(__dirname, '..', '..');
const SCREENSHOTS = join(ROOT, 'reports', 'screenshots');
const RECOVERY_MS = 5000;

describe('studio in Chromium: speakers publish through the SFU and survive a media server restart', () => {
  let server: TestServer;
  let pages: TestPages;
  let browser: Browser;
  /** Per browser context: requests beyond 127.0.0.1, and console errors (printed to explain failures). */
  const watched: Array<ReturnType<typeof watchRequests>> = [];
  let event: EventDetails;
  let moderatorApi: Api;
  let first: Page;
  let second: Page;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, pages, browser] = await Promise.all([
      startServer({ RTC_LISTEN_IP: '127.0.0.1', MEDIASOUP_WORKERS: '1' }),
      bundleTestPages(),
      launchChromium(),
    ]);
    mountTestPages(server.app, pages);
    moderatorApi = await Api.asModerator(server.url);
    event = await moderatorApi.createEvent({ title: 'Browser studio' });
  }, 30_000);

  afterAll(async () => {
    const messages = watched.flatMap((w) => w.console);
    if (messages.length > 0) console.log(`browser console:\n${messages.join('\n')}`);
    await browser?.close();
    await server?.close();
    pages?.remove();
  });

  /** A speaker's own browser (a context of its own), on the invite link the moderator would send. */
  async function openStudio(name: string): Promise<Page> {
    const invite = await moderatorApi.inviteSpeaker(event.slug, name);
    const page = await newPage({ width: 1000, height: 480 });
    const query = new URLSearchParams({ slug: event.slug, invite: invite.inviteToken });
    await page.goto(`${server.url}${TEST_PAGES_PATH}/studio.html?${query}`);
    return page;
  }

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const context: BrowserContext = await browser.newContext({ viewport });
    watched.push(watchRequests(context));
    return context.newPage();
  }

  const studio = (page: Page) => probe<StudioProbe>(page);
  const playing = (video: RemoteVideoProbe | undefined) => video !== undefined && video.videoWidth > 0;
  /** The tracks a page receives from one speaker, as `kind:source`, paused ones marked. */
  async function tracksFrom(page: Page, peerId: string): Promise<string[]> {
    return (await studio(page)).remoteTracks
      .filter((track) => track.peerId === peerId)
      .map((track) => `${track.kind}:${track.source}${track.paused ? ' (paused)' : ''}`)
      .sort();
  }

  /**
   * How much of the picture a video shows is the fake camera's green (Chromium draws a green picture with
   * a moving disc): the speakers' tiles, not the dark slate of the broadcast.
   */
  function cameraGreenIn(video: Locator): Promise<number> {
    return video.evaluate((element) => {
      type Context = { drawImage(image: unknown, x: number, y: number, w: number, h: number): void } & {
        getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
      };
      const doc = (globalThis as unknown as { document: { createElement(name: 'canvas'): unknown } }).document;
      const canvas = doc.createElement('canvas') as { width: number; height: number; getContext(kind: '2d'): Context };
      [canvas.width, canvas.height] = [64, 36];
      const context = canvas.getContext('2d');
      context.drawImage(element, 0, 0, 64, 36);
      const { data } = context.getImageData(0, 0, 64, 36);
      let green = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
        if (g > 60 && g > r + 40 && g > b + 40) green++;
      }
      return green / (data.length / 4);
    });
  }

  /** The viewer sees the speakers: most of the broadcast's picture is their cameras. */
  async function seesSpeakersOnAir(viewer: Page, what: string, timeoutMs: number): Promise<void> {
    await eventually(
      () => cameraGreenIn(viewer.locator('video')),
      (share) => (share > 0.3 ? share : undefined),
      { timeoutMs, intervalMs: 250, what },
    );
  }

  /** A video received from `peerId` that plays: it has a size, and its time moves on. */
  async function seesVideoOf(page: Page, peerId: string, { timeoutMs = 10_000, notConsumer = '' } = {}) {
    const video = await eventually(
      () => studio(page),
      (probe) => probe.remoteVideos.find((v) => v.peerId === peerId && v.consumerId !== notConsumer && playing(v)),
      { timeoutMs, what: `a playing video of ${peerId}` },
    );
    await eventually(
      () => studio(page),
      (probe) => {
        const now = probe.remoteVideos.find((v) => v.consumerId === video.consumerId);
        return now && now.currentTime > video.currentTime + 0.3 ? now : undefined;
      },
      { timeoutMs: 3000, what: 'the remote video advancing' },
    );
    return video;
  }

  it('a speaker publishes from the invite link; a second speaker receives and plays their video', async () => {
    first = await openStudio('Minister Ruiz');
    await first.waitForSelector('body[data-state="publishing"]', { timeout: 10_000 });
    const speaker = await studio(first);
    expect(speaker.published.sort()).toEqual(['camera', 'microphone']);

    second = await openStudio('Dr. Okafor');
    await second.waitForSelector('body[data-state="publishing"]', { timeout: 10_000 });
    const remote = await seesVideoOf(second, speaker.selfId!);
    expect(remote).toMatchObject({ source: 'camera', paused: false });
    expect(remote.videoWidth).toBeGreaterThan(0);
    const listener = await studio(second);
    await seesVideoOf(first, listener.selfId!);
    expect(await tracksFrom(second, speaker.selfId!)).toEqual(['audio:microphone', 'video:camera']);
    expect(await tracksFrom(first, listener.selfId!)).toEqual(['audio:microphone', 'video:camera']);
    expect((await studio(second)).remoteTracks).toHaveLength(2);

    // The fake microphones play a tone: the room's audio level observer names a speaker.
    await eventually(
      () => studio(second),
      (probe) => (probe.activeSpeaker ? probe.activeSpeaker : undefined),
      { timeoutMs: 5000, what: 'an active speaker' },
    );
    await first.screenshot({ path: join(SCREENSHOTS, 'studio-speaker-1.png') });
    await second.screenshot({ path: join(SCREENSHOTS, 'studio-speaker-2.png') });
    expect([...(await studio(first)).errors, ...(await studio(second)).errors]).toEqual([]);
  }, 30_000);

  it(`after every media worker is killed, both speakers publish and see each other again within ${RECOVERY_MS / 1000} s; a muted microphone stays muted`, async () => {
    const [speaker, listener] = [await studio(first), await studio(second)];
    const before = listener.remoteVideos.find((v) => v.peerId === speaker.selfId)!;
    await act<StudioControl, 'mute'>(first, 'mute', 'microphone');
    await eventually(
      () => studio(second),
      (probe) => probe.remoteTracks.find((t) => t.peerId === speaker.selfId && t.source === 'microphone' && t.paused),
      { what: 'the microphone paused for the other speaker' },
    );
    const pool = server.app.get(WorkerPool);
    const pids = new Set(Array.from({ length: pool.size }, () => pool.next().pid));

    const killedAt = Date.now();
    for (const pid of pids) process.kill(pid, 'SIGKILL');

    const left = () => RECOVERY_MS - (Date.now() - killedAt);
    await Promise.all(
      [first, second].map((page) =>
        eventually(
          () => studio(page),
          (probe) => (probe.states.some((state) => state.startsWith('recovering')) ? true : undefined),
          { timeoutMs: left(), intervalMs: 20, what: 'the page noticing the reset' },
        ),
      ),
    );
    await Promise.all(
      [first, second].map((page) => page.waitForSelector('body[data-state="publishing"]', { timeout: left() })),
    );
    const again = await eventually(
      () => studio(second),
      (probe) =>
        probe.remoteVideos.find((v) => v.peerId === speaker.selfId && v.consumerId !== before.consumerId && playing(v)),
      { timeoutMs: left(), intervalMs: 50, what: 'video again after the reset' },
    );
    const recoveredMs = Date.now() - killedAt;
    console.log(`studio recovered ${recoveredMs} ms after the media worker was killed`);
    expect(recoveredMs).toBeLessThan(RECOVERY_MS);

    await seesVideoOf(second, speaker.selfId!, { notConsumer: before.consumerId });
    await seesVideoOf(first, listener.selfId!);
    expect(again.source).toBe('camera');
    expect((await studio(first)).states).toEqual(
      expect.arrayContaining(['joined', 'publishing', 'recovering (The media server restarted)']),
    );
    // Published again as it was: muted.
    expect(await tracksFrom(second, speaker.selfId!)).toEqual(['audio:microphone (paused)', 'video:camera']);
    expect(await tracksFrom(first, listener.selfId!)).toEqual(['audio:microphone', 'video:camera']);
    await act<StudioControl, 'unmute'>(first, 'unmute', 'microphone');
    await eventually(
      () => studio(second),
      (probe) => probe.remoteTracks.find((t) => t.peerId === speaker.selfId && t.source === 'microphone' && !t.paused),
      { what: 'the microphone resumed for the other speaker' },
    );
    expect(await tracksFrom(second, speaker.selfId!)).toEqual(['audio:microphone', 'video:camera']);
    await second.screenshot({ path: join(SCREENSHOTS, 'studio-after-worker-restart.png') });
  }, 30_000);

  it(`after the API restarts, both speakers reconnect and publish again within ${RECOVERY_MS / 1000} s`, async () => {
    const [speaker, listener] = [await studio(first), await studio(second)];
    const before = listener.remoteVideos.find((v) => v.peerId === speaker.selfId)!;
    const restartAt = Date.now();
    await server.restart();
    mountTestPages(server.app, pages);
    const upAt = Date.now();
    const left = () => RECOVERY_MS - (Date.now() - upAt);
    await Promise.all(
      [first, second].map((page) => page.waitForSelector('body[data-state="publishing"]', { timeout: left() })),
    );
    await eventually(
      () => studio(second),
      (probe) =>
        probe.remoteVideos.find((v) => v.peerId === speaker.selfId && v.consumerId !== before.consumerId && playing(v)),
      { timeoutMs: left(), intervalMs: 50, what: 'video again after the reconnect' },
    );
    const recoveredMs = Date.now() - upAt;
    console.log(`studio recovered ${recoveredMs} ms after the API was back (restart took ${upAt - restartAt} ms)`);
    expect(recoveredMs).toBeLessThan(RECOVERY_MS);
    await seesVideoOf(first, listener.selfId!);
    expect((await studio(first)).states.at(-2)).toMatch(/^recovering/);
    expect(await tracksFrom(second, speaker.selfId!)).toEqual(['audio:microphone', 'video:camera']);
    expect(await tracksFrom(first, listener.selfId!)).toEqual(['audio:microphone', 'video:camera']);
  }, 30_000);

  it('a shared screen reaches the other speaker, and goes when the sharing ends', async () => {
    const speaker = await studio(first);
    await act<StudioControl, 'shareScreen'>(first, 'shareScreen');
    expect((await studio(first)).published.sort()).toEqual(['camera', 'microphone', 'screen']);
    const screen = await eventually(
      () => studio(second),
      (probe) => probe.remoteVideos.find((v) => v.peerId === speaker.selfId && v.source === 'screen' && playing(v)),
      { what: 'the shared screen on the other page' },
    );
    expect(screen.videoWidth).toBe(640);
    expect(await tracksFrom(second, speaker.selfId!)).toEqual(['audio:microphone', 'video:camera', 'video:screen']);
    await second.screenshot({ path: join(SCREENSHOTS, 'studio-screen-share.png') });

    await act<StudioControl, 'stopScreen'>(first, 'stopScreen');
    await eventually(
      () => studio(second),
      (probe) => (probe.remoteVideos.some((v) => v.source === 'screen') ? undefined : probe),
      { what: 'the shared screen gone from the other page' },
    );
    expect(await tracksFrom(second, speaker.selfId!)).toEqual(['audio:microphone', 'video:camera']);
    expect((await studio(first)).published.sort()).toEqual(['camera', 'microphone']);
  });

  it('a speaker who leaves disappears from the other speaker’s page', async () => {
    const speaker = await studio(first);
    await act<StudioControl, 'leave'>(first, 'leave');
    expect((await studio(first)).state).toBe('left');
    await eventually(
      () => studio(second),
      (probe) => (probe.remotePeers === 0 && probe.remoteTracks.length === 0 ? probe : undefined),
      { what: `${speaker.selfId} gone from the other page` },
    );
  });

  it('a viewer plays the broadcast once the event starts', async () => {
    await moderatorApi.expectOk('POST', `/api/events/${event.slug}/start`);
    const viewer = await newPage({ width: 700, height: 440 });
    await viewer.goto(`${server.url}${TEST_PAGES_PATH}/viewer.html?slug=${encodeURIComponent(event.slug)}`);
    const started = await eventually(
      () => probe<ViewerProbe>(viewer),
      (probe) => (probe.currentTime > 0 ? probe : undefined),
      { timeoutMs: 20_000, intervalMs: 250, what: 'the broadcast playing' },
    );
    await eventually(
      () => probe<ViewerProbe>(viewer),
      (probe) => (probe.currentTime > started.currentTime + 1 ? probe : undefined),
      { timeoutMs: 8000, intervalMs: 250, what: 'the broadcast advancing' },
    );
    await seesSpeakersOnAir(viewer, 'the speakers on air', 10_000);
    await viewer.screenshot({ path: join(SCREENSHOTS, 'viewer.png') });

    // The media server dies: the studio comes back, and so do the speakers in the broadcast, which never stops.
    const before = await probe<ViewerProbe>(viewer);
    const pool = server.app.get(WorkerPool);
    const pids = new Set(Array.from({ length: pool.size }, () => pool.next().pid));
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    await eventually(
      () => probe<ViewerProbe>(viewer),
      (probe) => (probe.currentTime > before.currentTime + 3 ? probe : undefined),
      { timeoutMs: 15_000, intervalMs: 250, what: 'the broadcast still advancing after the media server died' },
    );
    await seesSpeakersOnAir(viewer, 'the speakers back on air', 15_000);
  }, 60_000);

  it('no page made a request beyond 127.0.0.1', () => {
    expect(watched.reduce((count, w) => count + w.count, 0)).toBeGreaterThan(0);
    expect(watched.flatMap((w) => w.offsite)).toEqual([]);
  });
});
