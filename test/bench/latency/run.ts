/**
 * `npm run bench:latency`: glass-to-glass latency of the broadcast through the REAL pages. A speaker joins
 * the real studio page (dist/studio, from their invite link) whose camera (Chromium's fake one) has the
 * wall-clock time drawn into every frame (pages/camera-hook.ts); the API composes it into the HLS
 * broadcast; the real event page (dist/viewer, as the API serves it at /:slug) plays it with its own
 * player and settings, and pages/viewer-probe.ts reads the time back from the frames it shows (same
 * machine, one clock). Two passes on the same page:
 * - steady: p50/p90/p95/max over >= 100 samples, the stalls (`waiting` events), the playlists' validity;
 * - stall: every segment request held for LATENCY_STALL_SECONDS (a network that stops, then comes back):
 *   the page must stall, then come back to its latency before the stall.
 *
 * Needs `npm run build:web` (dist/). Env: LATENCY_SEGMENT_SECONDS (the server's HLS_SEGMENT_SECONDS;
 * default: the server's default), LATENCY_SECONDS (the steady measurement, default 60),
 * LATENCY_WARMUP_SECONDS (10), LATENCY_STALL_SECONDS (2.5; 0 skips the stall pass),
 * LATENCY_RECOVERY_SECONDS (after the stall, default 40), LATENCY_LADDER (the server's HLS_LADDER; default:
 * the server's default), LATENCY_WEB_DIR (the built pages, default dist: e.g. a copy of an older build, to
 * compare two versions of the player in turn on the same busy machine).
 */
import 'reflect-metadata';
import type { EventDetails } from '@pressroom/protocol';
import { build, stop as stopEsbuild } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Environment } from '../../../apps/api/src/config/environment';
import { eventually, launchChromium, watchRequests } from '../../browser/harness/browser';
import { Api } from '../../e2e/harness/api';
import { startServer, type TestServer } from '../../e2e/harness/server';
import { PROBE, type LatencySample, type SpeakerProbe, type ViewerProbe } from './pages/probe';

const ROOT = resolve(__dirname, '..', '..', '..');
/** The built pages: `dist` (LATENCY_WEB_DIR: another build of them, to compare two versions in turn). */
const WEB_DIR = resolve(process.env['LATENCY_WEB_DIR'] ?? join(ROOT, 'dist'));
const PAGES_DIR = join(__dirname, 'pages');

const SECONDS = Number(process.env['LATENCY_SECONDS'] ?? 60);
const WARMUP_SECONDS = Number(process.env['LATENCY_WARMUP_SECONDS'] ?? 10);
const STALL_SECONDS = Number(process.env['LATENCY_STALL_SECONDS'] ?? 2.5);
const RECOVERY_SECONDS = Number(process.env['LATENCY_RECOVERY_SECONDS'] ?? 40);
/** The server's HLS_SEGMENT_SECONDS: its default unless LATENCY_SEGMENT_SECONDS says otherwise. */
let segmentSeconds = process.env['LATENCY_SEGMENT_SECONDS'];
const MIN_SAMPLES = 100;
const TARGET_P50_MS = 2000;
/**
 * After the stall, the last 10 s must be this close to the steady p50: back to its target. (Successive
 * 10 s windows of the steady pass differ by up to ~300 ms on a busy machine.)
 */
const RECOVERED_WITHIN_MS = 400;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function snapshotOf<T>(page: Page): Promise<T> {
  return page.evaluate(
    (key) => (globalThis as unknown as Record<string, { snapshot(): unknown }>)[key]!.snapshot(),
    PROBE,
  ) as Promise<T>;
}

const begin = (page: Page) =>
  page.evaluate((key) => (globalThis as unknown as Record<string, { begin(): void }>)[key]!.begin(), PROBE);

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

const p50Of = (samples: readonly LatencySample[]) =>
  quantile(
    samples.map((s) => s.latencyMs).sort((a, b) => a - b),
    0.5,
  );

/** The hooks, bundled: put into the real pages before their own scripts. */
async function bundleHook(name: string): Promise<string> {
  const result = await build({
    entryPoints: [join(PAGES_DIR, `${name}.ts`)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome111',
    tsconfig: join(PAGES_DIR, 'tsconfig.json'),
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

interface PlaylistWatch {
  /** The media playlist's file name (`v720.m3u8`). */
  name: string;
  polls: number;
  invalid: string[];
  targetDurations: Set<number>;
  extinf: number[];
  /** For each segment seen appear: ms between its #EXT-X-PROGRAM-DATE-TIME (FFmpeg's wall clock) and its listing. */
  listedAfterMs: number[];
  /** Wall-clock ms from the first poll to the stop: the media listed meanwhile is `extinf`'s sum. */
  watchedMs: number;
  stop(): Promise<void>;
}

/**
 * Polls the public playlist (every 100 ms) as a player would: checks it against RFC 8216 (target
 * duration an integer >= 1, every EXTINF rounded <= it) and notes how long after its start each new
 * segment got listed.
 */
function watchPlaylist(url: string): PlaylistWatch {
  const seen = new Set<string>();
  const watch: PlaylistWatch = {
    name: new URL(url).pathname.split('/').at(-1)!,
    polls: 0,
    invalid: [],
    targetDurations: new Set(),
    extinf: [],
    listedAfterMs: [],
    watchedMs: 0,
    stop: async () => {
      running = false;
      await loop;
      watch.watchedMs = Date.now() - startedAt;
    },
  };
  const startedAt = Date.now();
  let running = true;
  let first = true;
  const loop = (async () => {
    while (running) {
      try {
        const response = await fetch(url);
        const now = Date.now();
        if (response.ok) {
          const text = await response.text();
          watch.polls++;
          for (const problem of validatePlaylist(text))
            if (!watch.invalid.includes(problem)) watch.invalid.push(problem);
          const target = /^#EXT-X-TARGETDURATION:(.*)$/m.exec(text)?.[1];
          if (target !== undefined) watch.targetDurations.add(Number(target));
          let pdt: number | undefined;
          let duration: number | undefined;
          for (const line of text.split('\n')) {
            if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) pdt = Date.parse(line.slice(25));
            else if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice(8));
            else if (line && !line.startsWith('#')) {
              if (!seen.has(line)) {
                seen.add(line);
                if (!first && duration !== undefined) {
                  watch.extinf.push(duration);
                  if (pdt !== undefined) watch.listedAfterMs.push(now - pdt);
                }
              }
              pdt = undefined;
              duration = undefined;
            }
          }
          first = false;
        }
      } catch {
        // not there yet
      }
      await sleep(100);
    }
  })();
  return watch;
}

/**
 * Watches every media playlist the multivariant playlist at `url` lists (the renditions the page may play),
 * or `url` itself when it is a media playlist.
 */
async function watchPlaylists(url: string): Promise<PlaylistWatch[]> {
  const text = await (await fetch(url)).text();
  const media = text.includes('#EXT-X-STREAM-INF')
    ? text
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith('#'))
        .map((line) => new URL(line, url).href)
    : [url];
  return media.map(watchPlaylist);
}

export function validatePlaylist(text: string): string[] {
  const problems: string[] = [];
  if (!text.startsWith('#EXTM3U')) problems.push('does not start with #EXTM3U');
  if (text.includes('#EXT-X-STREAM-INF')) return problems; // a multivariant playlist: its media playlists are the renditions'
  const target = /^#EXT-X-TARGETDURATION:(.*)$/m.exec(text)?.[1];
  if (target === undefined) problems.push('no #EXT-X-TARGETDURATION');
  else if (!/^\d+$/.test(target) || Number(target) < 1)
    problems.push(`#EXT-X-TARGETDURATION:${target} (must be an integer >= 1)`);
  for (const match of text.matchAll(/^#EXTINF:([\d.]+)/gm)) {
    const rounded = Math.round(Number(match[1]));
    if (target !== undefined && rounded > Number(target))
      problems.push(`#EXTINF:${match[1]} rounds above the target duration ${target}`);
  }
  return problems;
}

interface Steady {
  samples: number;
  p50: number;
  p90: number;
  p95: number;
  max: number;
  min: number;
  firstTenP50: number;
  lastTenP50: number;
  rateAbove1: number;
  bufferAheadP50: number;
  stalls: number;
  undecoded: ViewerProbe['undecoded'];
  resolution: string;
  /** Every media playlist, those the page played first. */
  playlists: PlaylistFigures[];
}

interface PlaylistFigures {
  name: string;
  /** How many times the page itself loaded it during the steady pass. */
  loadedByPage: number;
  polls: number;
  invalid: string[];
  targetDurations: number[];
  extinfMin: number;
  extinfMax: number;
  listedAfterP50: number;
  listedAfterP90: number;
  /** Seconds of media the broadcast listed per second of wall clock (below 1: the encode fell behind). */
  madePerSecond: number;
}

interface Recovery {
  stalls: number;
  before: number;
  worst: number;
  /** p50 of the last 10 s of the recovery. */
  settled: number;
  /** s after the stall until a 3 s window's p50 was back within RECOVERED_WITHIN_MS of `before`. */
  backAfterS: number | null;
  rateAbove1: number;
}

async function progress(page: Page, seconds: number, what: string): Promise<ViewerProbe> {
  for (let left = seconds; left > 0; left -= 10) {
    await sleep(Math.min(10, left) * 1000);
    const probe = await snapshotOf<ViewerProbe>(page);
    const recent = probe.samples.filter((s) => s.at > Date.now() - 10_000);
    log(`${what}: ${probe.samples.length} samples, last 10 s p50 ${ms(p50Of(recent))}, stalls ${probe.waiting}`);
  }
  return snapshotOf<ViewerProbe>(page);
}

async function measureSteady(page: Page, playlistUrl: string): Promise<Steady> {
  const watches = await watchPlaylists(playlistUrl);
  const began = Date.now();
  await begin(page);
  const probe = await progress(page, SECONDS, 'steady');
  await Promise.all(watches.map((watch) => watch.stop()));
  if (probe.waiting > 0) explainStalls(probe, began);
  const loads = (name: string) =>
    probe.timeline.filter((e) => e.kind === 'playlist' && e.what.split(' ')[0] === name && e.at >= began).length;
  const listed = (watch: PlaylistWatch) => [...watch.listedAfterMs].sort((a, b) => a - b);
  const sorted = probe.samples.map((s) => s.latencyMs).sort((a, b) => a - b);
  const start = probe.samples[0]?.at ?? 0;
  const end = probe.samples.at(-1)?.at ?? 0;
  return {
    samples: sorted.length,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p95: quantile(sorted, 0.95),
    max: sorted.at(-1) ?? Number.NaN,
    min: sorted[0] ?? Number.NaN,
    firstTenP50: p50Of(probe.samples.filter((s) => s.at < start + 10_000)),
    lastTenP50: p50Of(probe.samples.filter((s) => s.at > end - 10_000)),
    rateAbove1: probe.samples.filter((s) => s.playbackRate > 1).length / Math.max(1, probe.samples.length),
    bufferAheadP50: quantile(
      probe.samples.map((s) => s.bufferAhead * 1000).sort((a, b) => a - b),
      0.5,
    ),
    stalls: probe.waiting,
    undecoded: probe.undecoded,
    resolution: `${probe.videoWidth}x${probe.videoHeight}`,
    playlists: watches
      .map((watch) => ({
        name: watch.name,
        loadedByPage: loads(watch.name),
        polls: watch.polls,
        invalid: watch.invalid,
        targetDurations: [...watch.targetDurations],
        extinfMin: Math.min(...watch.extinf),
        extinfMax: Math.max(...watch.extinf),
        listedAfterP50: quantile(listed(watch), 0.5),
        listedAfterP90: quantile(listed(watch), 0.9),
        madePerSecond: watch.extinf.reduce((sum, d) => sum + d, 0) / (watch.watchedMs / 1000),
      }))
      .sort((a, b) => b.loadedByPage - a.loadedByPage),
  };
}

/** Holds every segment request for STALL_SECONDS (they all go through afterwards), then watches the page. */
async function measureRecovery(page: Page, before: number): Promise<Recovery> {
  await begin(page);
  await sleep(2_000);
  const until = Date.now() + STALL_SECONDS * 1000;
  const segment = /\/hls\/.*\.(m4s|mp4)(\?|$)/;
  await page.route(segment, async (route) => {
    await sleep(until - Date.now());
    await route.continue().catch(() => undefined);
  });
  log(`stall: holding segments for ${STALL_SECONDS} s`);
  await sleep(until - Date.now());
  await page.unroute(segment);
  const resumedAt = Date.now();
  const probe = await progress(page, RECOVERY_SECONDS, 'after the stall');
  const after = probe.samples.filter((s) => s.at >= resumedAt);
  let backAfterS: number | null = null;
  for (const sample of after) {
    const window = after.filter((s) => s.at >= sample.at && s.at < sample.at + 3_000);
    if (sample.at + 3_000 > (after.at(-1)?.at ?? 0)) break;
    if (p50Of(window) <= before + RECOVERED_WITHIN_MS) {
      backAfterS = (sample.at - resumedAt) / 1000;
      break;
    }
  }
  const end = after.at(-1)?.at ?? 0;
  return {
    stalls: probe.waiting,
    before,
    worst: Math.max(...after.map((s) => s.latencyMs)),
    settled: p50Of(after.filter((s) => s.at > end - 10_000)),
    backAfterS,
    rateAbove1: after.filter((s) => s.playbackRate > 1).length / Math.max(1, after.length),
  };
}

/** Each stall with what the page asked for and got in the seconds before it (and the one after). */
function explainStalls(probe: ViewerProbe, since: number): void {
  const stalls = probe.timeline.filter((e) => e.kind === 'waiting' && e.at >= since);
  for (const stall of stalls.slice(0, 5)) {
    console.log(`  stall at ${new Date(stall.at).toISOString().slice(11, 23)} (${stall.what}); before and after it:`);
    for (const entry of probe.timeline.filter((e) => e.at >= stall.at - 3_000 && e.at <= stall.at + 1_500)) {
      const took = entry.tookMs === undefined ? '' : ` ${entry.tookMs} ms${entry.cached ? ' (browser cache)' : ''}`;
      console.log(
        `    ${entry.at - stall.at >= 0 ? '+' : ''}${entry.at - stall.at} ms ${entry.kind} ${entry.what}${took}`,
      );
    }
  }
}

function log(message: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');

function report(steady: Steady, recovery: Recovery | undefined, startupMs: number): boolean {
  console.log(
    '\n=== glass-to-glass latency: real studio page (camera + timecode) → SFU → FFmpeg HLS → real event page ===',
  );
  console.log(
    `HLS_SEGMENT_SECONDS=${segmentSeconds}; the event page's own player settings (apps/viewer/src/player.ts)`,
  );
  console.log(
    `\n[steady] ${steady.samples} samples over ${SECONDS} s (undecodable ${JSON.stringify(steady.undecoded)}), ${steady.resolution}`,
  );
  console.log(
    `  latency p50 ${ms(steady.p50)}  p90 ${ms(steady.p90)}  p95 ${ms(steady.p95)}  max ${ms(steady.max)}  min ${ms(steady.min)}`,
  );
  console.log(`  drift: p50 of first 10 s ${ms(steady.firstTenP50)}, of last 10 s ${ms(steady.lastTenP50)}`);
  console.log(
    `  stalls: ${steady.stalls}; buffer ahead p50 ${ms(steady.bufferAheadP50)}; playbackRate > 1 in ${(steady.rateAbove1 * 100).toFixed(0)}% of samples`,
  );
  for (const playlist of steady.playlists) {
    console.log(
      `  ${playlist.name} (the page loaded it ${playlist.loadedByPage} times): ${playlist.polls} polls, TARGETDURATION ${playlist.targetDurations.join('/')}, EXTINF ${playlist.extinfMin.toFixed(3)}–${playlist.extinfMax.toFixed(3)} s, ${playlist.invalid.length === 0 ? 'spec-valid' : `INVALID: ${playlist.invalid.join('; ')}`}; a segment is listed p50 ${ms(playlist.listedAfterP50)} (p90 ${ms(playlist.listedAfterP90)}) after its PROGRAM-DATE-TIME; ${playlist.madePerSecond.toFixed(2)} s of media listed per second`,
    );
  }
  const invalid = steady.playlists.some((playlist) => playlist.invalid.length > 0 || playlist.polls === 0);
  console.log(`  the page's first decoded frame ${ms(startupMs)} after opening it`);
  const unmet = [
    steady.samples >= MIN_SAMPLES ? null : `only ${steady.samples} samples`,
    steady.p50 <= TARGET_P50_MS ? null : `p50 above ${TARGET_P50_MS} ms`,
    steady.stalls === 0
      ? null
      : `${steady.stalls} stalls${(steady.playlists[0]?.madePerSecond ?? 1) < 0.97 ? ' (the broadcast made less than real time: its encode fell behind on this machine, and a player at the live edge must stall)' : ''}`,
    invalid ? 'invalid or missing media playlist' : null,
  ].filter((reason): reason is string => reason !== null);
  if (recovery) {
    console.log(`\n[stall] every segment held ${STALL_SECONDS} s, then ${RECOVERY_SECONDS} s watched`);
    console.log(
      `  stalls ${recovery.stalls}; latency before (steady p50) ${ms(recovery.before)}, worst ${ms(recovery.worst)}, last 10 s p50 ${ms(recovery.settled)}; back within ${RECOVERED_WITHIN_MS} ms of before after ${recovery.backAfterS === null ? 'NEVER' : `${recovery.backAfterS.toFixed(1)} s`}; playbackRate > 1 in ${(recovery.rateAbove1 * 100).toFixed(0)}% of samples`,
    );
    if (recovery.stalls === 0) unmet.push('the stall pass did not stall');
    if (!(recovery.settled <= recovery.before + RECOVERED_WITHIN_MS)) unmet.push('did not come back after the stall');
  }
  console.log(
    `\ntarget (p50 <= ${TARGET_P50_MS} ms, no stalls, spec-valid, back after a stall): ${unmet.length === 0 ? 'MET' : `NOT MET: ${unmet.join(', ')}`}`,
  );
  return unmet.length === 0;
}

/** Processes this one started (FFmpeg, mediasoup workers, Chromium) that are still there. */
function children(): string[] {
  try {
    return execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !/\bps$/.test(line));
  } catch {
    return [];
  }
}

async function main(): Promise<number> {
  for (const page of ['viewer', 'studio']) {
    if (!existsSync(join(WEB_DIR, page, 'index.html')))
      throw new Error(`dist/${page} is missing: run npm run build:web`);
  }
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    void stopEsbuild();
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    log('starting the API, launching Chromium');
    let cameraHook: string;
    let viewerProbe: string;
    [server, browser, cameraHook, viewerProbe] = await Promise.all([
      startServer({
        WEB_DIR,
        RTC_LISTEN_IP: '127.0.0.1',
        MEDIASOUP_WORKERS: '1',
        ...(segmentSeconds ? { HLS_SEGMENT_SECONDS: segmentSeconds } : {}),
        ...(process.env['LATENCY_LADDER'] ? { HLS_LADDER: process.env['LATENCY_LADDER'] } : {}),
        // Until the continuous engine is the only one (issue 9).
        ...(process.env['LATENCY_LOG_LEVEL'] ? { LOG_LEVEL: process.env['LATENCY_LOG_LEVEL'] } : {}),
      }),
      launchChromium(),
      bundleHook('camera-hook'),
      bundleHook('viewer-probe'),
    ]);
    segmentSeconds = String(server.app.get(Environment).HLS_SEGMENT_SECONDS);
    const moderator = await Api.asModerator(server.url);
    const event: EventDetails = await moderator.createEvent({ title: 'Latency bench' });
    const invite = await moderator.inviteSpeaker(event.slug, 'Timecode');

    const speakerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const speakerWatch = watchRequests(speakerContext);
    await speakerContext.addInitScript({ content: cameraHook });
    const speaker = await speakerContext.newPage();
    const link = new URL(invite.inviteUrl);
    await speaker.goto(`${server.url}${link.pathname}${link.search}`);
    await speaker.getByRole('button', { name: 'Join the studio', exact: true }).click();
    await speaker.getByRole('button', { name: 'Mute microphone', exact: true }).waitFor({ timeout: 20_000 });
    await eventually(
      () => snapshotOf<SpeakerProbe>(speaker),
      (probe) => (probe.framesDrawn > 30 ? probe : undefined),
      { timeoutMs: 10_000, what: "the studio page's camera sending stamped frames" },
    );
    log('speaker on the real studio page, publishing; starting the event');
    const startedAt = Date.now();
    await moderator.expectOk('POST', `/api/events/${event.slug}/start`);
    const playlistUrl = `${server.url}/hls/${encodeURIComponent(event.slug)}/index.m3u8`;
    await eventually(
      async () => (await fetch(playlistUrl)).status,
      (status) => (status === 200 ? status : undefined),
      { timeoutMs: 20_000, intervalMs: 100, what: 'the playlist' },
    );
    log(`playlist served ${Date.now() - startedAt} ms after the start`);

    const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const viewerWatch = watchRequests(viewerContext);
    await viewerContext.addInitScript({ content: viewerProbe });
    const viewer = await viewerContext.newPage();
    const openedAt = Date.now();
    await viewer.goto(`${server.url}/${encodeURIComponent(event.slug)}`);
    await eventually(
      () => snapshotOf<ViewerProbe>(viewer),
      (probe) => (probe.samples.length > 0 ? probe : undefined),
      { timeoutMs: 30_000, intervalMs: 100, what: 'the event page showing a stamped frame' },
    );
    const startupMs = Date.now() - openedAt;
    log(`event page: first stamped frame ${startupMs} ms after opening; warming up ${WARMUP_SECONDS} s`);
    await sleep(WARMUP_SECONDS * 1000);

    const steady = await measureSteady(viewer, playlistUrl);
    const recovery = STALL_SECONDS > 0 ? await measureRecovery(viewer, steady.p50) : undefined;

    const errors = [
      ...(await snapshotOf<ViewerProbe>(viewer)).errors,
      ...(await snapshotOf<SpeakerProbe>(speaker)).errors,
      ...viewerWatch.console,
      ...speakerWatch.console,
    ];
    if (errors.length > 0) log(`page errors:\n  ${errors.slice(0, 20).join('\n  ')}`);
    return report(steady, recovery, startupMs) ? 0 : 2;
  } catch (error) {
    console.error(error);
    return 1;
  } finally {
    await stop();
    await sleep(500);
    const left = children();
    if (left.length > 0) console.log(`still running after shutdown: ${left.join(', ')}`);
  }
}

void main().then((code) => process.exit(code));
