/**
 * `npm run bench:restream`: what the broadcast's FFmpegs (the composite of the speakers, H.264 + AAC into
 * HLS, and one tile feed per speaker decoding its video) cost in CPU and memory for 1, 2 and 4 speakers at
 * 720p30, against the "starting soon" slate of the same event as an in-run reference. Target: ≤ 0.6 core
 * for 4 speakers.
 *
 * The real API runs in this process (test/e2e/harness/server.ts) with one mediasoup worker; each speaker
 * is a synthetic RTP source (FFmpeg testsrc 1280x720 30 fps H.264 + a sine as Opus, harness/rtp-source.ts)
 * handed to the broadcast through `FakeStudioInput`. One event goes slate → live with 1 speaker → 2 → 4;
 * each step waits for the new composite to be on air alone and making segments, then measures a window:
 *
 * - the broadcast FFmpegs: children of this process whose cwd is the event's media dir; utime+stime from
 *   /proc/<pid>/stat over the window's wall time = cores (CPU seconds per broadcast second), peak VmRSS
 *   (summed over the composite and the tile feeds);
 * - the mediasoup worker, and the synthetic sources (the load generator, not the product), separately;
 * - segments that appeared in the window, their mean duration, and media seconds per wall second;
 * - the whole machine's busy share (/proc/stat), with a warning when work other than ours ran.
 *
 * Options: --seconds 20 (window per step, BENCH_SECONDS), --speakers 1,2,4 (BENCH_SPEAKERS),
 * --shared-source (one synthetic source feeds every tile: the broadcast consumes the same producer N
 * times, so its FFmpeg does the same work while the load generator costs one source instead of N).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { types } from 'mediasoup';
import { BroadcastService } from '../../../apps/api/src/broadcast/broadcast.service';
import { WorkerPool } from '../../../apps/api/src/media/worker-pool';
import { Api } from '../../e2e/harness/api';
import { FakeStudioInput, RTP_SOURCE_CODECS, startRtpSource, type RtpSource } from '../../e2e/harness/rtp-source';
import { startServer, type TestServer } from '../../e2e/harness/server';
import { cpuSeconds, machineCpu, rssMb, sleep } from '../fanout/processes';

const TARGET_CORES_AT_4 = 0.6;
const SOURCE = { width: 1280, height: 720, fps: 30 } as const;
/** After the new composite is alone on air: let x264's lookahead and the HLS muxer settle. */
const SETTLE_MS = 3_000;
const READY_TIMEOUT_MS = 40_000;
const SAMPLE_MS = 250;
/** Cores used on the machine beyond what this run accounts for, above which the numbers are suspect. */
const OTHER_WORK_WARN_CORES = 0.15;
/** Segments are counted whole, so media per wall second is exact to ±1 segment over the window. */
const behind = (realtime: number) => realtime < 1 - 1.5 / WINDOW_S;

const { values: options } = parseArgs({
  options: {
    seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '20' },
    speakers: { type: 'string', default: process.env.BENCH_SPEAKERS ?? '1,2,4' },
    'shared-source': { type: 'boolean', default: false },
  },
});
const WINDOW_S = Number(options.seconds);
const SPEAKER_COUNTS = options.speakers!.split(',').map(Number);
const SHARED_SOURCE = options['shared-source']!;
if (!(WINDOW_S > 0) || SPEAKER_COUNTS.some((n) => !Number.isInteger(n) || n < 1 || n > 4)) {
  console.error('usage: run.ts [--seconds 20] [--speakers 1,2,4] [--shared-source]');
  process.exit(2);
}

// ---- state for the clean-up, whatever happens --------------------------------------------------------

let server: TestServer | undefined;
let mediaDir: string | undefined;
const sources: RtpSource[] = [];
let router: types.Router | undefined;
let keepAlive: NodeJS.Timeout | undefined;
let cleaning: Promise<void> | undefined;

function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    clearInterval(keepAlive);
    await Promise.allSettled(sources.map((source) => source.close()));
    router?.close();
    // Stops every broadcast FFmpeg (SIGINT so it finishes its files, then SIGKILL) and the workers.
    await server?.close().catch((error) => console.error(`closing the server: ${String(error)}`));
    // Anything still there is ours and would be an orphan: say so, and kill it by its pid.
    const left = ffmpegChildren();
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (left.length > 0) console.error(`warning: killed ${left.length} FFmpeg child(ren) left after the server closed`);
    if (mediaDir) rmSync(mediaDir, { recursive: true, force: true });
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (cleaning) {
      // A second Ctrl-C: no more waiting for FFmpeg to finish its files.
      for (const pid of ffmpegChildren()) process.kill(pid, 'SIGKILL');
      process.exit(130);
    }
    console.error(`\n${signal}: stopping the sources and the server…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

// ---- /proc ----------------------------------------------------------------------------------------------

interface Proc {
  pid: number;
  comm: string;
  ppid: number;
}

function readProc(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return { pid, comm, ppid };
  } catch {
    return undefined;
  }
}

/** FFmpeg processes this process started (the broadcast's are in their own process group, still our children). */
function ffmpegChildren(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((p): p is Proc => p !== undefined && p.ppid === process.pid && p.comm === 'ffmpeg')
    .map((p) => p.pid);
}

function cwdOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** The broadcast's FFmpegs (composite and tile feeds): they run in the event's directory. */
const broadcastFfmpegs = (eventDir: string) => ffmpegChildren().filter((pid) => cwdOf(pid) === eventDir);
/** The synthetic speakers: the load generator. */
const sourceFfmpegs = () => ffmpegChildren().filter((pid) => cmdlineOf(pid).includes('testsrc='));

/** ffmpeg processes on the machine that are not ours (other test runs, other benches). */
function foreignFfmpegs(): number[] {
  const ours = new Set(ffmpegChildren());
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((p): p is Proc => p !== undefined && p.comm === 'ffmpeg' && !ours.has(p.pid))
    .map((p) => p.pid);
}

const safeCpu = (pid: number) => {
  try {
    return cpuSeconds(pid);
  } catch {
    return undefined;
  }
};

/**
 * CPU seconds a changing set of processes used between `start()` and `stop()`: the first sample of a
 * pid is its baseline (0 for one that started during the window), the last sample before it exits counts.
 */
class CpuMeter {
  readonly #first = new Map<number, number>();
  readonly #last = new Map<number, number>();
  peakRssMb = 0;
  readonly pidsSeen = new Set<number>();

  constructor(
    private readonly pids: () => number[],
    private readonly withRss = false,
  ) {}

  sample(initial = false): void {
    let rss = 0;
    for (const pid of this.pids()) {
      const cpu = safeCpu(pid);
      if (cpu === undefined) continue;
      if (!this.#first.has(pid)) this.#first.set(pid, initial ? cpu : 0);
      this.#last.set(pid, cpu);
      this.pidsSeen.add(pid);
      if (this.withRss) rss += rssMb(pid) || 0;
    }
    this.peakRssMb = Math.max(this.peakRssMb, rss);
  }

  get seconds(): number {
    let total = 0;
    for (const [pid, last] of this.#last) total += last - this.#first.get(pid)!;
    return total;
  }
}

// ---- HLS ------------------------------------------------------------------------------------------------

interface Segment {
  uri: string;
  duration: number;
  run: string;
}

function parseSegments(text: string): Segment[] {
  const segments: Segment[] = [];
  let duration = NaN;
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice(8));
    else if (line && !line.startsWith('#')) segments.push({ uri: line, duration, run: line.split('-')[0]! });
  }
  return segments;
}

// ---- the run --------------------------------------------------------------------------------------------

interface Row {
  label: string;
  speakers: number;
  ffmpegCores: number;
  ffmpegRssMb: number;
  ffmpegPids: number;
  workerCores: number;
  workerRssMb: number;
  sourceCores: number;
  nodeCores: number;
  segments: number;
  meanSegmentS: number;
  realtime: number;
  busyPct: number;
  otherCores: number;
  restarts: number;
}

async function main(): Promise<void> {
  const cores = availableParallelism();
  const foreign = foreignFfmpegs();
  console.log(
    `bench:restream: ${SPEAKER_COUNTS.join(', ')} speaker(s) at ${SOURCE.width}x${SOURCE.height}@${SOURCE.fps}, ` +
      `${WINDOW_S} s per window, ${cores} cores, ${execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }).split('\n')[0]}` +
      (SHARED_SOURCE ? ', one shared synthetic source' : ', one synthetic source per speaker'),
  );
  if (foreign.length > 0) {
    console.log(`warning: ${foreign.length} FFmpeg process(es) not ours already running (pids ${foreign.join(', ')})`);
  }

  mediaDir = mkdtempSync(join(tmpdir(), 'pressroom-bench-restream-'));
  const minPort = 47_000 + 2 * Math.floor(Math.random() * 1_500);
  server = await startServer({
    MEDIA_DIR: mediaDir,
    BROADCAST_MIN_PORT: String(minPort),
    BROADCAST_MAX_PORT: String(minPort + 59),
  });
  const broadcasts = server.app.get(BroadcastService);
  const worker = server.app.get(WorkerPool).next();
  const api = await Api.asModerator(server.url);
  const event = await api.createEvent({ title: 'Bench: restream cost' });
  const eventDir = join(mediaDir, 'broadcasts', event.id);
  const playlistUrl = `${server.url}/hls/${event.slug}/index.m3u8`;
  const fetchSegments = async () => {
    const response = await fetch(playlistUrl);
    return response.ok ? parseSegments(await response.text()) : [];
  };

  // The first request starts the "starting soon" slate; asking every second keeps it from going idle.
  await fetchSegments();
  keepAlive = setInterval(() => void fetch(playlistUrl).catch(() => undefined), 1_000);

  /**
   * Waits until the wanted picture is on air alone (its composite and a tile feed per speaker), in a run
   * other than `previousRun`, with 2 segments.
   */
  const onAir = async (showing: string, previousRun: number | undefined, speakers: number) => {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const status = broadcasts.status(event.id);
      const alone = broadcastFfmpegs(eventDir).length === 1 + speakers;
      if (status?.showing === showing && status.run !== previousRun && alone) {
        const run = `r${status.run}`;
        if ((await fetchSegments()).filter((s) => s.run === run).length >= 2) return status.run!;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `"${showing}" not on air within ${READY_TIMEOUT_MS / 1000} s: ${JSON.stringify(broadcasts.status(event.id))}`,
        );
      }
      await sleep(200);
    }
  };

  const measure = async (label: string, speakers: number): Promise<Row> => {
    await sleep(SETTLE_MS);
    const restartsBefore = broadcasts.status(event.id)?.restarts ?? 0;
    const ffmpeg = new CpuMeter(() => broadcastFfmpegs(eventDir), true);
    const workerMeter = new CpuMeter(() => [worker.pid], true);
    const sourceMeter = new CpuMeter(sourceFfmpegs);
    const before = await fetchSegments();
    const known = new Set(before.map((s) => s.uri));
    const machineBefore = machineCpu();
    const nodeBefore = process.cpuUsage();
    const startedAt = process.hrtime.bigint();
    for (const meter of [ffmpeg, workerMeter, sourceMeter]) meter.sample(true);
    const endAt = Date.now() + WINDOW_S * 1000;
    while (Date.now() < endAt) {
      await sleep(Math.min(SAMPLE_MS, Math.max(0, endAt - Date.now())));
      for (const meter of [ffmpeg, workerMeter, sourceMeter]) meter.sample();
    }
    const wall = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const machineAfter = machineCpu();
    const node = process.cpuUsage(nodeBefore);
    const after = await fetchSegments();
    const fresh = after.filter((s) => !known.has(s.uri));
    const mediaSeconds = fresh.reduce((sum, s) => sum + s.duration, 0);

    const busyShare = (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total);
    const nodeCores = (node.user + node.system) / 1e6 / wall;
    const ours = (ffmpeg.seconds + workerMeter.seconds + sourceMeter.seconds) / wall + nodeCores;
    return {
      label,
      speakers,
      ffmpegCores: ffmpeg.seconds / wall,
      ffmpegRssMb: ffmpeg.peakRssMb,
      ffmpegPids: ffmpeg.pidsSeen.size,
      workerCores: workerMeter.seconds / wall,
      workerRssMb: workerMeter.peakRssMb,
      sourceCores: sourceMeter.seconds / wall,
      nodeCores,
      segments: fresh.length,
      meanSegmentS: fresh.length > 0 ? mediaSeconds / fresh.length : NaN,
      realtime: mediaSeconds / wall,
      busyPct: 100 * busyShare,
      otherCores: busyShare * cores - ours,
      restarts: (broadcasts.status(event.id)?.restarts ?? 0) - restartsBefore,
    };
  };

  const rows: Row[] = [];
  const report = (row: Row) => {
    rows.push(row);
    console.log(
      `  ${row.label}: FFmpeg ${row.ffmpegCores.toFixed(3)} cores, ${row.ffmpegRssMb.toFixed(0)} MB; ` +
        `${row.segments} segments; machine ${row.busyPct.toFixed(0)}% busy`,
    );
  };

  console.log('slate ("starting soon", event scheduled)…');
  let run = await onAir('soon', undefined, 0);
  report(await measure('slate', 0));

  await api.expectOk('POST', `/api/events/${event.slug}/start`);
  router = await worker.createRouter({ mediaCodecs: RTP_SOURCE_CODECS });
  const studio = new FakeStudioInput(router);
  broadcasts.attachInput(event.id, studio);
  for (const speakers of SPEAKER_COUNTS) {
    const wanted = SHARED_SOURCE ? 1 : speakers;
    while (sources.length < wanted) sources.push(await startRtpSource(router, { ...SOURCE, video: 'h264' }));
    const cast = Array.from({ length: speakers }, (_, i) => ({
      source: sources[SHARED_SOURCE ? 0 : i]!,
      name: `Speaker ${i + 1}`,
    }));
    studio.setTracks([
      ...cast.map(({ source, name }) => source.track('video', name)),
      ...cast.map(({ source, name }) => source.track('audio', name)),
    ]);
    console.log(`${speakers} speaker(s)…`);
    run = await onAir('speakers', run, speakers);
    report(await measure(`${speakers} speaker${speakers > 1 ? 's' : ''}`, speakers));
  }

  printTable(rows, cores);
  await api.expectOk('POST', `/api/events/${event.slug}/end`);
}

function printTable(rows: Row[], cores: number): void {
  const slate = rows.find((r) => r.speakers === 0);
  const header = [
    'step',
    'FFmpeg cores',
    'vs slate',
    'CPU-s/media-s',
    'FFmpeg RSS MB',
    'worker cores',
    'worker RSS MB',
    'sources cores',
    'node cores',
    'segments',
    'mean seg s',
    'realtime x',
    'busy %',
    'other cores',
  ];
  const lines = rows.map((r) => [
    r.label +
      (r.ffmpegPids > 1 + r.speakers ? ` (${r.ffmpegPids} FFmpegs)` : '') +
      (r.restarts > 0 ? ` (${r.restarts} restart)` : ''),
    r.ffmpegCores.toFixed(3),
    slate && r !== slate ? `${(r.ffmpegCores / slate.ffmpegCores).toFixed(1)}x` : '-',
    (r.ffmpegCores / r.realtime).toFixed(3),
    r.ffmpegRssMb.toFixed(0),
    r.workerCores.toFixed(3),
    r.workerRssMb.toFixed(0),
    r.sourceCores.toFixed(3),
    r.nodeCores.toFixed(3),
    String(r.segments),
    r.meanSegmentS.toFixed(3),
    r.realtime.toFixed(2),
    r.busyPct.toFixed(0),
    r.otherCores.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log();
  console.log(
    `CPU in cores = CPU seconds per broadcast second over a ${WINDOW_S} s window (${cores} cores on this machine)`,
  );
  console.log(format(header));
  for (const line of lines) console.log(format(line));
  console.log();
  console.log(
    'FFmpeg = the broadcast composite (x264 + AAC → HLS) and its tile feeds (one decoder per speaker video);',
  );
  console.log('sources = the synthetic speakers (load generator); node = this process (API + bench);');
  console.log('other = machine busy minus all of those.');
  console.log(
    'CPU-s/media-s = FFmpeg CPU per second of HLS it wrote: the cost per broadcast second even when starved.',
  );

  for (const r of rows) {
    if (r.otherCores > OTHER_WORK_WARN_CORES) {
      console.log(
        `warning: ${r.label}: ${r.otherCores.toFixed(2)} cores of other work on the machine during the window`,
      );
    }
    if (r.busyPct > 90)
      console.log(`warning: ${r.label}: the machine was ${r.busyPct.toFixed(0)}% busy: FFmpeg may have been starved`);
    if (behind(r.realtime))
      console.log(`warning: ${r.label}: FFmpeg made ${r.realtime.toFixed(2)} s of media per second (behind real time)`);
    if (r.restarts > 0) console.log(`warning: ${r.label}: the pipeline restarted during the window`);
  }
  const four = rows.find((r) => r.speakers === 4);
  if (four) {
    // Starved, FFmpeg uses fewer cores than it needs: count its CPU per second of media then.
    const cost = behind(four.realtime) ? four.ffmpegCores / four.realtime : four.ffmpegCores;
    const pass = cost <= TARGET_CORES_AT_4 && !behind(four.realtime);
    console.log(
      `target ≤ ${TARGET_CORES_AT_4} core at 4 speakers: ${pass ? 'PASS' : 'MISS'} (${cost.toFixed(3)} cores` +
        (behind(four.realtime) ? `, and behind real time: ${four.realtime.toFixed(2)}x` : '') +
        ')',
    );
  } else {
    console.log(`target ≤ ${TARGET_CORES_AT_4} core at 4 speakers: not measured (--speakers without 4)`);
  }
}

let exitCode = 0;
main()
  .catch((error) => {
    console.error(`bench:restream failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    exitCode = 1;
  })
  .finally(async () => {
    await cleanUp();
    const left = ffmpegChildren();
    if (left.length > 0) {
      console.error(`error: FFmpeg still running after the clean-up: ${left.join(', ')}`);
      exitCode = 1;
    }
    process.exit(exitCode);
  });
