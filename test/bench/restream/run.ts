/**
 * `npm run bench:restream`: what the broadcast's FFmpegs cost in CPU and memory for 1, 2 and 4 speakers at
 * 720p30 with the whole bitrate ladder (HLS_LADDER, default 720,480,360 + audio only), on the continuous
 * engine: ONE composite per event (decode and draw once, `split` + `scale` + x264 per rendition, AAC per
 * rendition) and per speaker one feed decoding its video and one its sound. As the reference, in the same
 * run (first, before the broadcast starts), a plain FFmpeg makes the same ladder from files (the same kind
 * of H.264 720p clip per speaker, decoded, scaled into the same grid, the same encoders and HLS muxer): what
 * the work costs without Pressroom's live machinery. Targets: ≤ 1.2x that reference and ≤ 0.9 core at 4
 * speakers. Also the CPU of the windows in which the layout changes (1 → 2 → 4 speakers): the continuous
 * engine starts no new composite for them.
 *
 * The real API runs in this process (test/e2e/harness/server.ts) with one mediasoup worker; each speaker
 * is a synthetic RTP source (FFmpeg testsrc 1280x720 30 fps H.264 + a sine as Opus, harness/rtp-source.ts)
 * handed to the broadcast through `FakeStudioInput`. One event goes slate → live with 1 speaker → 2 → 4;
 * each step waits for its picture to be on air (its feeds running) and measures a window:
 *
 * - the broadcast FFmpegs: children of this process whose cwd is the event's media dir; utime+stime from
 *   /proc/<pid>/stat over the window's wall time = cores (CPU seconds per broadcast second), peak VmRSS
 *   (summed over the composite and the feeds);
 * - the mediasoup worker, and the synthetic sources (the load generator, not the product), separately;
 * - segments of the top rendition that appeared in the window, their mean duration, media s per wall s;
 * - the whole machine's busy share (/proc/stat), with a warning when work other than ours ran.
 *
 * Options: --seconds 20 (window per step, BENCH_SECONDS), --speakers 1,2,4 (BENCH_SPEAKERS),
 * --shared-source (one synthetic source feeds every tile: the broadcast consumes the same producer N
 * times, so its FFmpeg does the same work while the load generator costs one source instead of N),
 * --no-reference (skip the plain FFmpeg). HLS_LADDER=720 measures the one-rendition setting.
 *
 * Accessibility and languages (`--captions`, `--interpreters N`, `--signer`): after the plain broadcast,
 * in the same run, a second event goes through the same steps with its crew: a captioner (invited in `es`,
 * joined with the invite, connected to /live) sending a caption line every 2 s (`caption:send`, the real
 * path into the WebVTT rendition), N interpreters (invited before go-live in fr, de, it, pt: one alternate
 * audio rendition each, the floor ducked under a synthetic voice: a sine like
 * test/e2e/broadcast-interpretation.e2e-spec.ts publishes) and a signer's 720p30 camera in its fixed place.
 * It prints both side by side: the added CPU of the broadcast's FFmpegs, and of this process (the API
 * writes the captions in Node).
 */
import { DEFAULT_HLS_LADDER, parseLadder } from '@pressroom/protocol';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { types } from 'mediasoup';
import { BroadcastService } from '../../../apps/api/src/broadcast/broadcast.service';
import {
  renditionGraph,
  renditionOutputArgs,
  type Ladder,
} from '../../../apps/api/src/broadcast/continuous/renditions';
import { keyframeArgs } from '../../../apps/api/src/broadcast/ffmpeg-command';
import { WorkerPool } from '../../../apps/api/src/media/worker-pool';
import { Api } from '../../e2e/harness/api';
import { LiveClient } from '../../e2e/harness/live-client';
import { FakeStudioInput, RTP_SOURCE_CODECS, startRtpSource, type RtpSource } from '../../e2e/harness/rtp-source';
import { startServer, type TestServer } from '../../e2e/harness/server';
import { cpuSeconds, machineCpu, rssMb, sleep } from '../fanout/processes';

const TARGET_CORES_AT_4 = 0.9;
const TARGET_VS_REFERENCE = 1.2;
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
    'no-reference': { type: 'boolean', default: false },
    captions: { type: 'boolean', default: false },
    interpreters: { type: 'string', default: '0' },
    signer: { type: 'boolean', default: false },
  },
});
const WINDOW_S = Number(options.seconds);
const SPEAKER_COUNTS = options.speakers!.split(',').map(Number);
const SHARED_SOURCE = options['shared-source']!;
const REFERENCE = !options['no-reference'];
const CAPTIONS = options.captions!;
const INTERPRETERS = Number(options.interpreters);
const SIGNER = options.signer!;
const CREW = CAPTIONS || INTERPRETERS > 0 || SIGNER;
/** The interpreters' languages, in order (the first N are invited). */
const INTERPRETER_LANGUAGES = ['fr', 'de', 'it', 'pt'] as const;
const CAPTION_LANGUAGE = 'es';
/** A captioner types about a line every 2 s. */
const CAPTION_EVERY_MS = 2_000;
const CAPTION_LINES = [
  'Good morning, and thank you for coming.',
  'The budget for 2026 grows by 3 % over last year.',
  'Schools and hospitals get most of it.',
  'We will take your questions now.',
  'First, the gentleman from El País, please.',
  'Thank you. The answer is yes, from January.',
];
// The bench reads the setting as the API would (it starts the API with it).
const LADDER = process.env.HLS_LADDER ?? DEFAULT_HLS_LADDER;
if (
  !(WINDOW_S > 0) ||
  SPEAKER_COUNTS.some((n) => !Number.isInteger(n) || n < 1 || n > 4) ||
  !Number.isInteger(INTERPRETERS) ||
  INTERPRETERS < 0 ||
  INTERPRETERS > INTERPRETER_LANGUAGES.length
) {
  console.error(
    'usage: run.ts [--seconds 20] [--speakers 1,2,4] [--shared-source] [--no-reference] ' +
      '[--captions] [--interpreters 0-4] [--signer]',
  );
  process.exit(2);
}

// ---- state for the clean-up, whatever happens --------------------------------------------------------

let server: TestServer | undefined;
let mediaDir: string | undefined;
const sources: RtpSource[] = [];
let router: types.Router | undefined;
let keepAlive: NodeJS.Timeout | undefined;
let captioning: NodeJS.Timeout | undefined;
let captioner: LiveClient | undefined;
let cleaning: Promise<void> | undefined;

function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    clearInterval(keepAlive);
    clearInterval(captioning);
    captioner?.close();
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

/** The broadcast's FFmpegs (composite and feeds): they run in the event's directory. */
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
  /** The feeds expected: a video and a sound one per speaker, one per interpreter, one for the signer. */
  feeds: number;
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
  /** The composite's pid at the window's end: a layout change keeps it. */
  compositePid?: number;
  /** The plain FFmpeg making the same ladder from files, in the same run: cores, media s per wall s. */
  referenceCores?: number;
  referenceRealtime?: number;
}

/** What the second event has on top of the plain broadcast (accessibility and languages). */
interface Crew {
  captions: boolean;
  interpreters: readonly string[];
  signer: boolean;
}

const crewLabel = (crew: Crew) =>
  [
    crew.captions ? `captions (${CAPTION_LANGUAGE}, a line every ${CAPTION_EVERY_MS / 1000} s)` : '',
    crew.interpreters.length > 0 ? `${crew.interpreters.length} interpreter(s) (${crew.interpreters.join(', ')})` : '',
    crew.signer ? 'a signer' : '',
  ]
    .filter(Boolean)
    .join(' + ');

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

interface Bench {
  api: Api;
  broadcasts: BroadcastService;
  worker: ReturnType<WorkerPool['next']>;
  ladder: Ladder;
  references: Map<number, { cores: number; realtime: number }>;
}

async function main(): Promise<void> {
  const cores = availableParallelism();
  const foreign = foreignFfmpegs();
  const ladder = parseLadder(LADDER);
  if (!ladder) throw new Error(`HLS_LADDER=${LADDER}: not a ladder`);
  const crew: Crew | undefined = CREW
    ? { captions: CAPTIONS, interpreters: INTERPRETER_LANGUAGES.slice(0, INTERPRETERS), signer: SIGNER }
    : undefined;
  console.log(
    `bench:restream: ${SPEAKER_COUNTS.join(', ')} speaker(s) at ${SOURCE.width}x${SOURCE.height}@${SOURCE.fps}, ` +
      `ladder ${ladder.map((r) => `${r.height}p ${r.videoKbps}k`).join(' + ')} + audio only, ` +
      `${WINDOW_S} s per window, ${cores} cores, ${execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }).split('\n')[0]}` +
      (SHARED_SOURCE ? ', one shared synthetic source' : ', one synthetic source per speaker') +
      (crew ? `; then again with ${crewLabel(crew)}` : ''),
  );
  const loadAtStart = load();
  console.log(`load average (1, 5, 15 min) at the start: ${loadAtStart}`);
  if (foreign.length > 0) {
    console.log(`warning: ${foreign.length} FFmpeg process(es) not ours already running (pids ${foreign.join(', ')})`);
  }

  mediaDir = mkdtempSync(join(tmpdir(), 'pressroom-bench-restream-'));
  const minPort = 47_000 + 2 * Math.floor(Math.random() * 1_500);
  server = await startServer({
    MEDIA_DIR: mediaDir,
    BROADCAST_MIN_PORT: String(minPort),
    BROADCAST_MAX_PORT: String(minPort + 59),
    HLS_LADDER: LADDER,
  });
  const bench: Bench = {
    api: await Api.asModerator(server.url),
    broadcasts: server.app.get(BroadcastService),
    worker: server.app.get(WorkerPool).next(),
    ladder,
    references: new Map(),
  };

  // The reference first, before the broadcast starts: nothing of the broadcast competes with it.
  if (REFERENCE) {
    const clip = makeClip(mediaDir);
    for (const speakers of SPEAKER_COUNTS) {
      console.log(`the plain FFmpeg, ${speakers} speaker(s) from files…`);
      const reference = await measureReference(clip, speakers, ladder, join(mediaDir, `ref-${speakers}`));
      console.log(`  ${reference.cores.toFixed(3)} cores at ${reference.realtime.toFixed(2)}x real time`);
      bench.references.set(speakers, reference);
    }
  }

  router = await bench.worker.createRouter({ mediaCodecs: RTP_SOURCE_CODECS });
  const plain = await broadcastSteps(bench, undefined);
  const withCrew = crew ? await broadcastSteps(bench, crew) : undefined;

  printTable(plain.rows, cores, plain.slatePid, 'the broadcast', true);
  if (withCrew && crew) {
    printTable(withCrew.rows, cores, withCrew.slatePid, `the broadcast with ${crewLabel(crew)}`, false);
    printAdded(plain.rows, withCrew.rows, crew, withCrew.captions);
  }
  console.log();
  console.log(`load average (1, 5, 15 min): ${loadAtStart} at the start, ${load()} at the end`);
}

/**
 * One event from go-live: the slate, then each speaker count (the window with the layout change, then the
 * steady window). With `crew`, its captioner, interpreters and signer are there from the slate on.
 */
async function broadcastSteps(
  bench: Bench,
  crew: Crew | undefined,
): Promise<{ rows: Row[]; slatePid?: number; captions: { sent: number; refused: number } }> {
  const { api, broadcasts, ladder, references } = bench;
  const tag = crew ? ' +crew' : '';
  const event = await api.createEvent({ title: crew ? 'Bench: restream cost with the crew' : 'Bench: restream cost' });
  const eventDir = join(mediaDir!, 'broadcasts', event.id);
  const hlsBase = `${server!.url}/hls/${event.slug}`;
  const playlistUrl = `${hlsBase}/index.m3u8`;
  // The top rendition's playlist: what the recording is made from.
  const topUrl = `${hlsBase}/${ladder[0]!.name}.m3u8`;
  const fetchSegments = async () => {
    const response = await fetch(topUrl);
    return response.ok ? parseSegments(await response.text()) : [];
  };
  const invite = (name: string, role: string, language?: string) =>
    api.expectOk<{ inviteToken: string }>('POST', `/api/events/${event.slug}/speakers`, {
      name,
      role,
      ...(language ? { language } : {}),
    });

  // Interpreters are invited before go-live: the broadcast makes a rendition for their languages from its start.
  for (const [i, language] of (crew?.interpreters ?? []).entries())
    await invite(`Interpreter ${i + 1}`, 'interpreter', language);
  if (crew?.captions) {
    const { inviteToken } = await invite('Captioner', 'captioner', CAPTION_LANGUAGE);
    const joined = await new Api(server!.url).join(event.slug, { invite: inviteToken });
    captioner = await LiveClient.connect(server!.url, joined.accessToken);
  }

  // The first request starts the "starting soon" slate; asking every second keeps it from going idle.
  await fetch(playlistUrl);
  clearInterval(keepAlive);
  keepAlive = setInterval(() => void fetch(playlistUrl).catch(() => undefined), 1_000);

  const crewFeeds = (crew?.interpreters.length ?? 0) + (crew?.signer ? 1 : 0);
  /** Waits until the wanted picture is on air with its feeds (a video and a sound one per speaker, the crew's) and segments coming. */
  const onAir = async (showing: string, speakers: number) => {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    // The live playlist is a window (its length stops growing): count the segments it did not list before.
    const before = new Set((await fetchSegments()).map((segment) => segment.uri));
    const fresh = async () => (await fetchSegments()).filter((segment) => !before.has(segment.uri)).length;
    for (;;) {
      const status = broadcasts.status(event.id);
      const alone = broadcastFfmpegs(eventDir).length === 1 + 2 * speakers + crewFeeds;
      // The signer's camera counts as a picture: with nobody else on air the status says so.
      const shown = status?.showing === showing || (crew?.signer === true && speakers === 0);
      if (shown && alone && (await fresh()) >= 2) return;
      if (Date.now() > deadline) {
        throw new Error(
          `"${showing}"${tag} not on air within ${READY_TIMEOUT_MS / 1000} s: ${JSON.stringify(broadcasts.status(event.id))}, ` +
            `${broadcastFfmpegs(eventDir).length} FFmpegs`,
        );
      }
      await sleep(200);
    }
  };

  /** Measures a window of the broadcast; `during` runs at its start (a layout change). */
  const measure = async (label: string, speakers: number, during?: () => void): Promise<Row> => {
    if (!during) await sleep(SETTLE_MS);
    const restartsBefore = broadcasts.status(event.id)?.restarts ?? 0;
    const ffmpeg = new CpuMeter(() => broadcastFfmpegs(eventDir), true);
    const workerMeter = new CpuMeter(() => [bench.worker.pid], true);
    const sourceMeter = new CpuMeter(sourceFfmpegs);
    const before = await fetchSegments();
    const known = new Set(before.map((s) => s.uri));
    const machineBefore = machineCpu();
    const nodeBefore = process.cpuUsage();
    const startedAt = process.hrtime.bigint();
    for (const meter of [ffmpeg, workerMeter, sourceMeter]) meter.sample(true);
    during?.();
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
      feeds: 2 * speakers + crewFeeds,
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
      otherCores: busyShare * availableParallelism() - ours,
      restarts: (broadcasts.status(event.id)?.restarts ?? 0) - restartsBefore,
      compositePid: broadcasts.status(event.id)?.pid,
    };
  };

  const rows: Row[] = [];
  const report = (row: Row) => {
    rows.push(row);
    console.log(
      `  ${row.label}${tag}: FFmpeg ${row.ffmpegCores.toFixed(3)} cores, ${row.ffmpegRssMb.toFixed(0)} MB; ` +
        `node ${row.nodeCores.toFixed(3)} cores; ${row.segments} segments; machine ${row.busyPct.toFixed(0)}% busy` +
        (row.referenceCores !== undefined
          ? `; plain FFmpeg from files ${row.referenceCores.toFixed(3)} cores at ${row.referenceRealtime!.toFixed(2)}x real time`
          : ''),
    );
  };

  // Before the start the slate is a loop rendered once (no process); the composite starts at go-live and
  // shows the "waiting for the speakers" slate until the first speaker is on air.
  await api.expectOk('POST', `/api/events/${event.slug}/start`);
  const studio = new FakeStudioInput(router!);
  broadcasts.attachInput(event.id, studio);
  const captions = { sent: 0, refused: 0 };
  if (crew) {
    console.log(`with ${crewLabel(crew)}:`);
    const crewTracks = [];
    for (const [i, language] of crew.interpreters.entries()) {
      // A voice the floor's 440 Hz is ducked under; its small picture is never consumed (the load generator's cost).
      const voice = await startRtpSource(router!, { width: 320, height: 180, fps: 15, toneHz: 1_000 + 200 * i });
      sources.push(voice);
      crewTracks.push({ ...voice.track('audio', `Interpreter ${i + 1}`), role: 'interpreter' as const, language });
    }
    if (crew.signer) {
      const signer = await startRtpSource(router!, { ...SOURCE, video: 'h264', audio: false, colour: '0xff8000' });
      sources.push(signer);
      crewTracks.push({ ...signer.track('video', 'Signer'), role: 'signer' as const });
    }
    studio.setCrewTracks(crewTracks);
    if (crew.captions) {
      let line = 0;
      captioning = setInterval(() => {
        const text = CAPTION_LINES[line++ % CAPTION_LINES.length]!;
        captioner
          ?.send('caption:send', { text })
          .then((reply) => {
            if (reply.ok) captions.sent++;
            else if (captions.refused++ === 0) console.log(`warning: caption:send refused: ${reply.error.message}`);
          })
          .catch(() => captions.refused++);
      }, CAPTION_EVERY_MS);
    }
  }
  console.log(`slate (live, nobody on air yet)${tag}…`);
  await onAir('waiting', 0);
  report(await measure('slate', 0));
  const slatePid = broadcasts.status(event.id)?.pid;
  if (crew) {
    // What the crew adds is in the HLS: the renditions the multivariant playlist lists.
    const multivariant = await (await fetch(playlistUrl)).text();
    const wanted = [
      ...crew.interpreters.map((language) => `audio-${language}.m3u8`),
      ...(crew.captions ? [`subs-${CAPTION_LANGUAGE}.m3u8`] : []),
    ];
    const missing = wanted.filter((uri) => !multivariant.includes(uri));
    console.log(
      missing.length === 0
        ? `  index.m3u8 lists ${wanted.join(', ') || 'no crew rendition (the signer is in the picture)'}`
        : `warning: index.m3u8 does not list ${missing.join(', ')}`,
    );
  }

  let previous = 0;
  for (const speakers of SPEAKER_COUNTS) {
    const wanted = SHARED_SOURCE ? 1 : speakers;
    const speakerSources = sources.filter((source) => speakerSource.has(source));
    while (speakerSources.length < wanted) {
      const source = await startRtpSource(router!, { ...SOURCE, video: 'h264' });
      speakerSource.add(source);
      sources.push(source);
      speakerSources.push(source);
    }
    const cast = Array.from({ length: speakers }, (_, i) => ({
      source: speakerSources[SHARED_SOURCE ? 0 : i]!,
      name: `Speaker ${i + 1}`,
    }));
    const change = () =>
      studio.setTracks([
        ...cast.map(({ source, name }) => source.track('video', name)),
        ...cast.map(({ source, name }) => source.track('audio', name)),
      ]);
    console.log(`${previous} → ${speakers} speaker(s)${tag}: the layout change…`);
    report(await measure(`change ${previous}→${speakers}`, speakers, change));
    await onAir('speakers', speakers);
    const row = await measure(`${speakers} speaker${speakers > 1 ? 's' : ''}`, speakers);
    const reference = references.get(speakers);
    if (reference) {
      row.referenceCores = reference.cores;
      row.referenceRealtime = reference.realtime;
    }
    report(row);
    previous = speakers;
  }

  // The end: the crew leaves, the event ends; the next event starts on a machine without this one's FFmpegs.
  clearInterval(captioning);
  captioner?.close();
  captioner = undefined;
  studio.setCrewTracks([]);
  studio.setTracks([]);
  await api.expectOk('POST', `/api/events/${event.slug}/end`);
  const quietBy = Date.now() + 60_000;
  while (Date.now() < quietBy && ffmpegChildren().some((pid) => !sourceFfmpegs().includes(pid))) await sleep(500);
  for (const source of sources.filter((s) => !speakerSource.has(s)).splice(0)) {
    await source.close();
    sources.splice(sources.indexOf(source), 1);
  }
  return { rows, slatePid, captions };
}

/** The speakers' synthetic sources (kept from one event to the next; the crew's are closed). */
const speakerSource = new Set<RtpSource>();

/** Side by side, per step: the plain broadcast, the one with the crew, and what the crew added. */
function printAdded(plain: Row[], withCrew: Row[], crew: Crew, captions: { sent: number; refused: number }): void {
  console.log();
  console.log(`added by ${crewLabel(crew)} (same run; cores = CPU seconds per broadcast second):`);
  const header = [
    'step',
    'FFmpeg cores',
    '+crew',
    'added',
    'CPU-s/media-s',
    '+crew',
    'added',
    'node cores',
    '+crew',
    'added',
    'FFmpegs',
    '+crew',
    'plain FFmpeg (reference)',
  ];
  const cost = (r: Row) => r.ffmpegCores / r.realtime;
  const signed = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(3)}`;
  const lines = plain.flatMap((p) => {
    const c = withCrew.find((r) => r.label === p.label);
    if (!c) return [];
    return [
      [
        p.label,
        p.ffmpegCores.toFixed(3),
        c.ffmpegCores.toFixed(3),
        `${signed(c.ffmpegCores - p.ffmpegCores)} (${c.ffmpegCores >= p.ffmpegCores ? '+' : ''}${((100 * (c.ffmpegCores - p.ffmpegCores)) / p.ffmpegCores).toFixed(0)}%)`,
        cost(p).toFixed(3),
        cost(c).toFixed(3),
        signed(cost(c) - cost(p)),
        p.nodeCores.toFixed(3),
        c.nodeCores.toFixed(3),
        signed(c.nodeCores - p.nodeCores),
        String(1 + p.feeds),
        String(1 + c.feeds),
        p.referenceCores !== undefined ? p.referenceCores.toFixed(3) : '-',
      ],
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(format(header));
  for (const line of lines) console.log(format(line));
  console.log(
    'FFmpegs = the composite and its feeds (an interpreter adds a sound feed, the signer a video feed; the captions ' +
      'none: the API writes the WebVTT in Node, under "node cores", with this process\'s bench work).',
  );
  if (crew.captions) console.log(`captions: ${captions.sent} lines sent, ${captions.refused} refused`);
  const steady = plain.filter((r) => r.speakers > 0 && !r.label.startsWith('change'));
  const last = steady.at(-1);
  const lastCrew = last && withCrew.find((r) => r.label === last.label);
  if (last && lastCrew) {
    console.log(
      `at ${last.speakers} speaker(s): the crew adds ${signed(lastCrew.ffmpegCores - last.ffmpegCores)} FFmpeg cores ` +
        `(${signed(cost(lastCrew) - cost(last))} CPU-s per media s) and ${signed(lastCrew.nodeCores - last.nodeCores)} node cores`,
    );
  }
}

// ---- the reference: the same ladder by a plain FFmpeg from files --------------------------------------

/** A 10 s clip like a synthetic speaker's video (testsrc 1280x720 30 fps, x264 ultrafast baseline 600k). */
function makeClip(dir: string): string {
  const file = join(dir, 'speaker.mp4');
  // prettier-ignore
  execFileSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc=size=${SOURCE.width}x${SOURCE.height}:rate=${SOURCE.fps}`, '-t', '10',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline',
    '-pix_fmt', 'yuv420p', '-g', String(SOURCE.fps), '-b:v', '600k', file,
  ]);
  return file;
}

/** The speakers' grid as the broadcast draws it (layout.ts): one alone full size, more in 640x360 cells. */
function gridOf(speakers: number): Array<{ x: number; y: number; width: number; height: number }> {
  if (speakers === 1) return [{ x: 0, y: 0, width: 1280, height: 720 }];
  const cells = [
    { x: 0, y: 0 },
    { x: 640, y: 0 },
    { x: 0, y: 360 },
    { x: 640, y: 360 },
  ];
  const top = speakers === 2 ? 180 : 0;
  return cells.slice(0, speakers).map((c) => ({ x: c.x, y: c.y + top, width: 640, height: 360 }));
}

/**
 * Runs the plain FFmpeg (each clip decoded at its pace, scaled into the grid, `split` + `scale` per
 * rendition, the broadcast's own encoder and HLS arguments) and returns its cores over one window.
 */
async function measureReference(
  clip: string,
  speakers: number,
  ladder: Ladder,
  dir: string,
): Promise<{ cores: number; realtime: number }> {
  mkdirSync(dir, { recursive: true });
  const inputs = Array.from({ length: speakers }, () => ['-re', '-stream_loop', '-1', '-threads', '1', '-i', clip]);
  const audioInput = speakers;
  const grid = gridOf(speakers);
  const graph = [`color=c=0x14181f:s=1280x720:r=${SOURCE.fps}[bg0]`];
  grid.forEach((cell, i) => {
    graph.push(`[${i}:v]scale=${cell.width}:${cell.height}:flags=bilinear[tile${i}]`);
    graph.push(`[bg${i}][tile${i}]overlay=x=${cell.x}:y=${cell.y}:shortest=0:eof_action=repeat[bg${i + 1}]`);
  });
  graph.push(...renditionGraph(ladder, `[bg${speakers}]`, { width: 1280, height: 720 }));
  // prettier-ignore
  const args = [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    ...inputs.flat(),
    '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-filter_complex', graph.join(';'),
    ...renditionOutputArgs({
      run: 1,
      ladder,
      segmentSeconds: 1,
      audioInput,
      gopArgs: keyframeArgs(SOURCE.fps, 1),
      videoLabel: (index) => `[v${index}]`,
    }),
  ];
  const child = spawn('ffmpeg', args, { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Media seconds written so far, from FFmpeg's own playlist of the top rendition.
  const written = () => {
    try {
      const text = readFileSync(join(dir, `r1-${ladder[0]!.name}.m3u8`), 'utf8');
      return parseSegments(text).reduce((sum, s) => sum + s.duration, 0);
    } catch {
      return 0;
    }
  };
  try {
    await sleep(SETTLE_MS);
    const meter = new CpuMeter(() => (child.pid && child.exitCode === null ? [child.pid] : []));
    const startedAt = process.hrtime.bigint();
    const mediaBefore = written();
    meter.sample(true);
    const endAt = Date.now() + WINDOW_S * 1000;
    while (Date.now() < endAt) {
      await sleep(SAMPLE_MS);
      meter.sample();
    }
    const wall = Number(process.hrtime.bigint() - startedAt) / 1e9;
    if (child.exitCode !== null) throw new Error(`the reference FFmpeg stopped (${child.exitCode})`);
    return { cores: meter.seconds / wall, realtime: (written() - mediaBefore) / wall };
  } finally {
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The plain FFmpeg's CPU per second of media it wrote (starved, it writes less and uses less). */
const referenceCost = (r: Row) =>
  r.referenceCores !== undefined && r.referenceRealtime ? r.referenceCores / r.referenceRealtime : undefined;

function printTable(rows: Row[], cores: number, slatePid: number | undefined, title: string, target: boolean): void {
  const slate = rows.find((r) => r.speakers === 0);
  const header = [
    'step',
    'FFmpeg cores',
    'CPU-s/media-s',
    'plain FFmpeg',
    'plain CPU-s/media-s',
    'vs plain',
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
      (r.ffmpegPids > 1 + r.feeds ? ` (${r.ffmpegPids} FFmpegs)` : '') +
      (r.restarts > 0 ? ` (${r.restarts} restart)` : ''),
    r.ffmpegCores.toFixed(3),
    (r.ffmpegCores / r.realtime).toFixed(3),
    r.referenceCores !== undefined ? r.referenceCores.toFixed(3) : '-',
    referenceCost(r) !== undefined ? referenceCost(r)!.toFixed(3) : '-',
    referenceCost(r) !== undefined ? `${(r.ffmpegCores / r.realtime / referenceCost(r)!).toFixed(2)}x` : '-',
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
    `${title}: CPU in cores = CPU seconds per broadcast second over a ${WINDOW_S} s window (${cores} cores on this machine)`,
  );
  console.log(format(header));
  for (const line of lines) console.log(format(line));
  console.log();
  console.log('FFmpeg = the broadcast composite (x264 per rendition + AAC → HLS) and its feeds (per speaker one');
  console.log(
    'video decoder, one sound decoder); plain FFmpeg = the same ladder from files by one FFmpeg (the reference);',
  );
  console.log('sources = the synthetic speakers (load generator); node = this process (API + bench);');
  console.log('other = machine busy minus all of those. "change a→b": the window starting with the layout change.');
  console.log(
    'CPU-s/media-s = FFmpeg CPU per second of HLS it wrote: the cost per broadcast second even when starved;',
  );
  console.log('"vs plain" compares those (both made the same ladder in the same run).');
  const composites = new Set(rows.map((r) => r.compositePid));
  console.log(
    composites.size === 1 && slatePid !== undefined && composites.has(slatePid)
      ? `one composite from the slate to the last step (pid ${slatePid}): no new FFmpeg for a layout change`
      : `warning: the composite changed (pids ${[...composites].join(', ')})`,
  );
  if (slate) console.log(`slate: ${slate.ffmpegCores.toFixed(3)} cores (the same composite, nobody on air)`);

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
    if (r.restarts > 0) console.log(`warning: ${r.label}: the composite restarted during the window`);
  }
  const four = rows.find((r) => r.speakers === 4 && !r.label.startsWith('change'));
  if (!target) return;
  if (four) {
    // Starved, FFmpeg uses fewer cores than it needs: count its CPU per second of media then.
    const cost = behind(four.realtime) ? four.ffmpegCores / four.realtime : four.ffmpegCores;
    const reference = referenceCost(four);
    const ratio = reference ? four.ffmpegCores / four.realtime / reference : undefined;
    const pass =
      cost <= TARGET_CORES_AT_4 && !behind(four.realtime) && ratio !== undefined && ratio <= TARGET_VS_REFERENCE;
    console.log(
      `target ≤ ${TARGET_CORES_AT_4} core and ≤ ${TARGET_VS_REFERENCE}x the plain FFmpeg at 4 speakers: ` +
        `${pass ? 'PASS' : 'MISS'} (${cost.toFixed(3)} cores` +
        (ratio !== undefined ? `, ${ratio.toFixed(2)}x` : ', no usable reference: --no-reference, or it made nothing') +
        (behind(four.realtime) ? `, and behind real time: ${four.realtime.toFixed(2)}x` : '') +
        ')',
    );
  } else {
    console.log(`target at 4 speakers: not measured (--speakers without 4)`);
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
