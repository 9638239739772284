/**
 * `npm run bench:latency`: glass-to-glass latency of the broadcast. A speaker page sends Chromium's fake
 * camera with the wall-clock time drawn into every frame as blocks (timecode.ts) through the studio; the API composes it
 * into the HLS broadcast; an hls.js viewer reads the time back from the frames it shows and records
 * now - that time (same machine, one clock). Prints p50/p95/max over >= 100 samples, the stalls, and
 * whether the playlists were spec-valid; then the same with hls.js defaults, for reference. A player
 * that meets the target is printed as the recommended setting.
 *
 * Env: LATENCY_SEGMENT_SECONDS (the server's HLS_SEGMENT_SECONDS, 0.5, 1 or 2, default 1; `tuned` is
 * the player settings for that length, see pages/viewer.ts), LATENCY_SECONDS (measurement per player, default 60), LATENCY_WARMUP_SECONDS (10),
 * LATENCY_EVERY_MS (one sample at most every …, default 400), LATENCY_REFERENCE=0 (skip the hls.js
 * defaults pass), LATENCY_PLAYERS (comma list of pass names, or JSON hls.js configs, default "tuned,default").
 */
import type { EventDetails } from '@pressroom/protocol';
import { stop as stopEsbuild } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Api } from '../../e2e/harness/api';
import { startServer, type TestServer } from '../../e2e/harness/server';
import { eventually, launchChromium, watchRequests } from '../../browser/harness/browser';
import { bundleTestPages, mountTestPages, TEST_PAGES_PATH, type TestPages } from '../../browser/harness/pages';
import { PROBE, type SpeakerProbe, type ViewerProbe } from './pages/probe';

const PAGES_DIR = join(__dirname, 'pages');
const PAGES = ['speaker', 'viewer'] as const;

const SECONDS = Number(process.env['LATENCY_SECONDS'] ?? 60);
const WARMUP_SECONDS = Number(process.env['LATENCY_WARMUP_SECONDS'] ?? 10);
const EVERY_MS = Number(process.env['LATENCY_EVERY_MS'] ?? 400);
const SEGMENT_SECONDS = process.env['LATENCY_SEGMENT_SECONDS'] ?? '1';
const MIN_SAMPLES = 100;
const TARGET_P50_MS = 2000;
const PLAYERS = (
  process.env['LATENCY_PLAYERS'] ?? (process.env['LATENCY_REFERENCE'] === '0' ? 'tuned' : 'tuned,default')
)
  .split(/,(?![^{]*})/)
  .map((name) => name.trim())
  .filter(Boolean);

function snapshotOf<T>(page: Page): Promise<T> {
  return page.evaluate(
    (key) => (globalThis as unknown as Record<string, { snapshot(): unknown }>)[key]!.snapshot(),
    PROBE,
  ) as Promise<T>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

interface PlaylistWatch {
  polls: number;
  invalid: string[];
  targetDurations: Set<number>;
  extinf: number[];
  /** For each segment seen appear: ms between its #EXT-X-PROGRAM-DATE-TIME (FFmpeg's wall clock) and its listing. */
  listedAfterMs: number[];
  stop(): Promise<void>;
}

/**
 * Polls the public playlist (every 100 ms) as a player would: checks it against RFC 8216 (target
 * duration an integer >= 1, every EXTINF rounded <= it, media sequence present) and notes how long
 * after its end each new segment got listed.
 */
function watchPlaylist(url: string): PlaylistWatch {
  const seen = new Set<string>();
  const watch: PlaylistWatch = {
    polls: 0,
    invalid: [],
    targetDurations: new Set(),
    extinf: [],
    listedAfterMs: [],
    stop: async () => {
      running = false;
      await loop;
    },
  };
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
          const problems = validatePlaylist(text);
          for (const problem of problems) if (!watch.invalid.includes(problem)) watch.invalid.push(problem);
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

export function validatePlaylist(text: string): string[] {
  const problems: string[] = [];
  if (!text.startsWith('#EXTM3U')) problems.push('does not start with #EXTM3U');
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

interface PassResult {
  player: string;
  config: Record<string, unknown>;
  samples: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
  /** Latency over the first and last 10 s of the measurement: does it drift? */
  firstTenP50: number;
  lastTenP50: number;
  hlsLatencyP50: number;
  rateAbove1: number;
  bufferAheadP50: number;
  waiting: number;
  bufferStalled: number;
  hlsErrors: string[];
  undecoded: ViewerProbe['undecoded'];
  framesSeen: number;
  resolution: string;
  playlist: {
    polls: number;
    invalid: string[];
    targetDurations: number[];
    extinfMin: number;
    extinfMax: number;
    listedAfterP50: number;
    listedAfterMax: number;
  };
  startupMs: number;
}

async function measure(browser: Browser, server: TestServer, slug: string, player: string): Promise<PassResult> {
  const context = await browser.newContext({ viewport: { width: 700, height: 420 } });
  const watched = watchRequests(context);
  try {
    const page = await context.newPage();
    const query = new URLSearchParams({ slug, player, every: String(EVERY_MS), segment: SEGMENT_SECONDS });
    const openedAt = Date.now();
    await page.goto(`${server.url}${TEST_PAGES_PATH}/viewer.html?${query}`);
    await eventually(
      () => snapshotOf<ViewerProbe>(page),
      (probe) => (probe.samples.length > 0 ? probe : undefined),
      { timeoutMs: 30_000, intervalMs: 100, what: `the ${player} viewer decoding a frame` },
    );
    const startupMs = Date.now() - openedAt;
    log(`${player}: first decoded frame ${startupMs} ms after opening; warming up ${WARMUP_SECONDS} s`);
    await sleep(WARMUP_SECONDS * 1000);
    const playlist = watchPlaylist(`${server.url}/hls/${encodeURIComponent(slug)}/index.m3u8`);
    await page.evaluate((key) => (globalThis as unknown as Record<string, { begin(): void }>)[key]!.begin(), PROBE);
    for (let left = SECONDS; left > 0; left -= 10) {
      await sleep(Math.min(10, left) * 1000);
      const probe = await snapshotOf<ViewerProbe>(page);
      const recent = probe.samples
        .slice(-Math.ceil(10_000 / EVERY_MS))
        .map((s) => s.latencyMs)
        .sort((a, b) => a - b);
      log(
        `${player}: ${probe.samples.length} samples, last 10 s p50 ${Math.round(quantile(recent, 0.5))} ms, waiting ${probe.waiting}, stalled ${probe.bufferStalled}`,
      );
    }
    await playlist.stop();
    const probe = await snapshotOf<ViewerProbe>(page);
    if (probe.errors.length > 0 || watched.console.length > 0) {
      log(`${player} page errors:\n  ${[...probe.errors, ...watched.console].slice(0, 20).join('\n  ')}`);
    }
    const latencies = probe.samples.map((s) => s.latencyMs).sort((a, b) => a - b);
    const end = probe.samples.at(-1)?.at ?? 0;
    const start = probe.samples[0]?.at ?? 0;
    const window = (from: number, to: number) =>
      quantile(
        probe.samples
          .filter((s) => s.at >= from && s.at < to)
          .map((s) => s.latencyMs)
          .sort((a, b) => a - b),
        0.5,
      );
    const sortedOf = (values: number[]) => [...values].sort((a, b) => a - b);
    return {
      player,
      config: probe.config,
      samples: latencies.length,
      p50: quantile(latencies, 0.5),
      p95: quantile(latencies, 0.95),
      min: latencies[0] ?? Number.NaN,
      max: latencies.at(-1) ?? Number.NaN,
      mean: latencies.reduce((a, b) => a + b, 0) / latencies.length,
      firstTenP50: window(start, start + 10_000),
      lastTenP50: window(end - 10_000, end + 1),
      hlsLatencyP50: quantile(
        sortedOf(probe.samples.flatMap((s) => (s.hlsLatency === null ? [] : [s.hlsLatency * 1000]))),
        0.5,
      ),
      rateAbove1: probe.samples.filter((s) => s.playbackRate > 1).length / Math.max(1, probe.samples.length),
      bufferAheadP50: quantile(sortedOf(probe.samples.map((s) => s.bufferAhead * 1000)), 0.5),
      waiting: probe.waiting,
      bufferStalled: probe.bufferStalled,
      hlsErrors: [...new Set(probe.hlsErrors)],
      undecoded: probe.undecoded,
      framesSeen: probe.framesSeen,
      resolution: `${probe.videoWidth}x${probe.videoHeight}`,
      playlist: {
        polls: playlist.polls,
        invalid: playlist.invalid,
        targetDurations: [...playlist.targetDurations],
        extinfMin: Math.min(...playlist.extinf),
        extinfMax: Math.max(...playlist.extinf),
        listedAfterP50: quantile(sortedOf(playlist.listedAfterMs), 0.5),
        listedAfterMax: Math.max(...playlist.listedAfterMs),
      },
      startupMs,
    };
  } finally {
    await context.close();
  }
}

function log(message: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');

function report(results: PassResult[]): void {
  console.log(
    '\n=== glass-to-glass latency (speaker camera + timecode → SFU → FFmpeg HLS → hls.js frame on screen) ===',
  );
  for (const r of results) {
    const stalls = r.waiting + r.bufferStalled;
    console.log(`\n[${r.player}] hls.js ${JSON.stringify(r.config)}`);
    console.log(
      `  samples ${r.samples} over ${SECONDS} s (${r.framesSeen} frames shown; undecodable ${JSON.stringify(r.undecoded)}), ${r.resolution}`,
    );
    console.log(`  latency p50 ${ms(r.p50)}  p95 ${ms(r.p95)}  max ${ms(r.max)}  min ${ms(r.min)}  mean ${ms(r.mean)}`);
    console.log(`  drift: p50 of first 10 s ${ms(r.firstTenP50)}, of last 10 s ${ms(r.lastTenP50)}`);
    console.log(
      `  player: hls.latency p50 ${ms(r.hlsLatencyP50)} (play head behind playlist end), buffer ahead p50 ${ms(r.bufferAheadP50)}, playbackRate > 1 in ${(r.rateAbove1 * 100).toFixed(0)}% of samples`,
    );
    console.log(
      `  stalls: ${stalls} (video 'waiting' ${r.waiting}, BUFFER_STALLED_ERROR ${r.bufferStalled}); hls.js errors: ${r.hlsErrors.join(', ') || 'none'}`,
    );
    console.log(
      `  playlist: ${r.playlist.polls} polls, TARGETDURATION ${r.playlist.targetDurations.join('/')}, EXTINF ${r.playlist.extinfMin.toFixed(3)}–${r.playlist.extinfMax.toFixed(3)} s, ${r.playlist.invalid.length === 0 ? 'spec-valid' : `INVALID: ${r.playlist.invalid.join('; ')}`}`,
    );
    console.log(
      `  server: a segment is listed p50 ${ms(r.playlist.listedAfterP50)} (max ${ms(r.playlist.listedAfterMax)}) after its PROGRAM-DATE-TIME (FFmpeg's clock, -re paced); viewer start-up ${ms(r.startupMs)}`,
    );
    const verdict = unmet(r);
    console.log(
      `  target (p50 <= ${TARGET_P50_MS} ms, no stalls, spec-valid): ${verdict.length === 0 ? 'MET' : `NOT MET: ${verdict.join(', ')}`}`,
    );
  }
  const tuned = results.find((r) => r.player === 'tuned');
  const reference = results.find((r) => r.player === 'default');
  if (tuned && reference) {
    console.log(
      `\ntuned / hls.js defaults: p50 ${(tuned.p50 / reference.p50).toFixed(2)}x, p95 ${(tuned.p95 / reference.p95).toFixed(2)}x`,
    );
  }
  const gop = (fps: number) => fps * Number(SEGMENT_SECONDS);
  console.log(
    `segments: fMP4, ${SEGMENT_SECONDS} s (HLS_SEGMENT_SECONDS=${SEGMENT_SECONDS}: FFmpeg -hls_time ${SEGMENT_SECONDS}, GOP ${gop(30)} at 30 fps, ${gop(10)} on a 10 fps slate, keyframe forced every segment), EVENT playlist`,
  );
  const best = results.filter((r) => unmet(r).length === 0).sort((a, b) => a.p50 - b.p50)[0];
  console.log(
    best
      ? `RECOMMENDED: HLS_SEGMENT_SECONDS=${SEGMENT_SECONDS} with hls.js ${JSON.stringify(best.config)} (p50 ${ms(best.p50)}, p95 ${ms(best.p95)}, no stalls)`
      : `no player met the target with HLS_SEGMENT_SECONDS=${SEGMENT_SECONDS}`,
  );
}

/** Why a pass misses the target (p50 <= TARGET_P50_MS over enough samples, no stalls, spec-valid playlists). */
function unmet(r: PassResult): string[] {
  const stalls = r.waiting + r.bufferStalled;
  return [
    r.samples >= MIN_SAMPLES ? null : `only ${r.samples} samples (< ${MIN_SAMPLES})`,
    r.p50 <= TARGET_P50_MS ? null : `p50 above ${TARGET_P50_MS} ms`,
    stalls === 0 ? null : `${stalls} stalls`,
    r.playlist.invalid.length === 0 ? null : 'invalid playlist',
  ].filter((reason): reason is string => reason !== null);
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
  let server: TestServer | undefined;
  let pages: TestPages | undefined;
  let browser: Browser | undefined;
  let senderTimer: NodeJS.Timeout | undefined;
  const stop = async () => {
    clearInterval(senderTimer);
    await browser?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    pages?.remove();
    void stopEsbuild();
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    log(`starting the API, bundling the pages, launching Chromium`);
    [server, pages, browser] = await Promise.all([
      startServer({
        RTC_LISTEN_IP: '127.0.0.1',
        MEDIASOUP_WORKERS: '1',
        HLS_SEGMENT_SECONDS: SEGMENT_SECONDS,
        ...(process.env['LATENCY_LOG_LEVEL'] ? { LOG_LEVEL: process.env['LATENCY_LOG_LEVEL'] } : {}),
      }),
      bundleTestPages(PAGES_DIR, PAGES),
      launchChromium(),
    ]);
    mountTestPages(server.app, pages);
    const moderator = await Api.asModerator(server.url);
    const event: EventDetails = await moderator.createEvent({ title: 'Latency bench' });
    const invite = await moderator.inviteSpeaker(event.slug, 'Timecode');

    const speakerContext = await browser.newContext({ viewport: { width: 700, height: 420 } });
    const speakerWatch = watchRequests(speakerContext);
    const speaker = await speakerContext.newPage();
    await speaker.goto(
      `${server.url}${TEST_PAGES_PATH}/speaker.html?${new URLSearchParams({ slug: event.slug, invite: invite.inviteToken, source: process.env['LATENCY_SOURCE'] ?? 'overlay', hint: process.env['LATENCY_HINT'] ?? '', scale: process.env['LATENCY_SCALE'] ?? '1', pace: process.env['LATENCY_PACE'] ?? 'interval' })}`,
    );
    await eventually(
      () => snapshotOf<SpeakerProbe>(speaker),
      (probe) => (probe.state === 'publishing' ? probe : undefined),
      { timeoutMs: 15_000, what: 'the speaker publishing' },
    );
    log('speaker publishing; starting the event');
    // Wait for both tracks: the broadcast would otherwise start with the microphone alone, then rebuild.
    await eventually(
      () => snapshotOf<SpeakerProbe>(speaker),
      (probe) => (probe.framesDrawn > 30 ? probe : undefined),
      { timeoutMs: 10_000, what: 'the speaker drawing frames' },
    );
    const senderStats = () =>
      speaker.evaluate(
        (key) => (globalThis as unknown as Record<string, { outboundVideo(): Promise<unknown> }>)[key]!.outboundVideo(),
        PROBE,
      );
    senderTimer = setInterval(
      process.env['LATENCY_DEBUG']
        ? () =>
            void senderStats().then(
              (stats) => log(`sender: ${JSON.stringify(stats)}`),
              () => undefined,
            )
        : () => undefined,
      3000,
    );
    if (process.env['LATENCY_DEBUG']) {
      const { StudioService } = await import('../../../apps/api/src/studio/studio.service');
      const room = await server.app.get(StudioService).existingRoom(event.id);
      await eventually(
        async () => room?.tracks().length ?? 0,
        (n) => (n >= 2 ? n : undefined),
        { what: '2 tracks' },
      );
      for (const track of room?.tracks() ?? []) {
        const { producer } = track;
        log(
          `producer ${track.kind}: type ${producer.type}, ${JSON.stringify(producer.rtpParameters.encodings)} ${JSON.stringify(producer.rtpParameters.headerExtensions?.map((h) => h.uri))}`,
        );
        if (track.kind === 'video' && process.env['LATENCY_DEBUG'] === 'ffmpeg') {
          const { probeWithFfmpeg } = await import('./debug-ffmpeg');
          console.log(await probeWithFfmpeg(room!.router, producer, 47_000));
        }
        if (track.kind === 'video') {
          await producer.enableTraceEvent(['keyframe', 'rtp']);
          let shown = 0;
          producer.on('trace', (trace) => {
            if (shown++ < 40) log(`${trace.type} in: ${JSON.stringify(trace.info).slice(0, 300)}`);
          });
        }
      }
    }
    const startedAt = Date.now();
    await moderator.expectOk('POST', `/api/events/${event.slug}/start`);
    await eventually(
      async () => (await fetch(`${server!.url}/hls/${encodeURIComponent(event.slug)}/index.m3u8`)).status,
      (status) => (status === 200 ? status : undefined),
      { timeoutMs: 20_000, intervalMs: 100, what: 'the playlist' },
    );
    log(`playlist served ${Date.now() - startedAt} ms after the start`);
    clearInterval(senderTimer);

    const results: PassResult[] = [];
    for (const player of PLAYERS) results.push(await measure(browser, server, event.slug, player));

    log(`sender (speaker's outbound video): ${JSON.stringify(await senderStats())}`);
    const speakerProbe = await snapshotOf<SpeakerProbe>(speaker);
    if (speakerProbe.errors.length > 0 || speakerWatch.console.length > 0) {
      log(`speaker page errors:\n  ${[...speakerProbe.errors, ...speakerWatch.console].slice(0, 20).join('\n  ')}`);
    }
    report(results);
    return 0;
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
