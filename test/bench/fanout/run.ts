/**
 * `npm run bench:fanout`: how fast a moderator's approval reaches N audience sockets, and what the API
 * costs in memory meanwhile. The API runs alone in its own process; the audience lives in load-generator
 * processes on the same machine, so Date.now() is one clock for all.
 *
 * Options (or env): --sizes 1000,5000,10000 (BENCH_SIZES), --generators 4 (BENCH_GENERATORS),
 * --questions 20 (BENCH_QUESTIONS).
 * --cpu-prof DIR: the API writes a CPU profile into DIR when it stops.
 */
import type {
  ActionReply,
  ActionRequest,
  ClientActionName,
  EventDetails,
  JoinRequest,
  JoinResponse,
} from '@pressroom/protocol';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Socket } from 'socket.io-client';
import { connect, type GeneratorConfig, type GeneratorMessage, type OrchestratorMessage } from './generator';
import {
  cpuSeconds,
  exited,
  machineBusySince,
  machineCpu,
  freePort,
  openFilesLimit,
  peakRss,
  rssMb,
  sleep,
  spawnNode,
} from './processes';
import { median, summarize, type Summary } from './stats';

const ROOT = resolve(__dirname, '../../..');
const ADMIN = { email: 'bench@example.org', password: 'bench-password-123' };
const APPROVE_INTERVAL_MS = 300;
const DELIVERY_TIMEOUT_MS = 30_000;
const SETTLE_MS = 3000;
const TARGET = { p99Ms: 250, rssMb: 1024 };

const children = new Set<ChildProcess>();
let dataDir: string | undefined;
let stopping = false;

/** SIGTERM first: the API closes its database and writes its --cpu-prof profile if asked to. */
async function cleanUp(): Promise<void> {
  stopping = true;
  await Promise.all(
    [...children].map((child) => {
      child.kill('SIGTERM');
      const forceKill = setTimeout(() => child.kill('SIGKILL'), 5000);
      return exited(child).then(() => clearTimeout(forceKill));
    }),
  );
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

interface Api {
  url: string;
  pid: number;
  token: string;
}

async function http<T>(url: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`POST ${url} → ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

async function act<A extends ClientActionName>(socket: Socket, action: A, request: ActionRequest<A>) {
  const reply = (await socket.timeout(10_000).emitWithAck(action, request)) as ActionReply<A>;
  if (!reply.ok) throw new Error(`${action}: ${reply.error.code} ${reply.error.message}`);
  return reply;
}

async function startApi(dir: string, profileDir: string | undefined): Promise<Api> {
  const script = join(ROOT, 'dist/api/main.js');
  if (!existsSync(script))
    throw new Error(`${script} is missing: build the API first (npx tsc -b apps/api/tsconfig.app.json)`);
  const port = await freePort();
  const logPath = join(dir, 'api.log');
  const log = openSync(logPath, 'a');
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    // Any free WebRTC ports: several API nodes run on this one machine.
    RTC_PORT: '0',
    LOG_LEVEL: 'warn',
    PRESSROOM_ADMIN_EMAIL: ADMIN.email,
    PRESSROOM_ADMIN_PASSWORD: ADMIN.password,
    JOIN_RATE_LIMIT_PER_MINUTE: '1000000',
    SOCKET_MESSAGES_PER_SECOND: '1000',
    QUESTION_RATE_LIMIT: '1000',
  };
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir)}`] : [];
  const child = track(spawnNode(script, [], env, ['ignore', log, log], profile));
  closeSync(log);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    const tail = readFileSync(logPath, 'utf8').split('\n').slice(-30).join('\n');
    console.error(`\nThe API exited unexpectedly (${code ?? signal}). Last log lines:\n${tail}`);
    void cleanUp().then(() => process.exit(1));
  });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 30_000; ; await sleep(200)) {
    const healthy = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) throw new Error('the API did not become healthy within 30 s');
  }
  const { accessToken } = await http<{ accessToken: string }>(`${url}/api/auth/login`, ADMIN);
  return { url, pid: child.pid!, token: accessToken };
}

interface Generator {
  child: ChildProcess;
  ready: Promise<Extract<GeneratorMessage, { type: 'ready' }>>;
  /** Resolves when all expected approvals arrived, or when the generator is gone. */
  complete: Promise<unknown>;
  collect(): Promise<Extract<GeneratorMessage, { type: 'arrivals' }>>;
}

function startGenerator(config: GeneratorConfig): Generator {
  const child = track(
    spawnNode(join(__dirname, 'generator.js'), [JSON.stringify(config)], process.env, [
      'ignore',
      'inherit',
      'inherit',
      'ipc',
    ]),
  );
  const gone = exited(child);
  const next = <T extends GeneratorMessage['type']>(type: T) =>
    new Promise<Extract<GeneratorMessage, { type: T }>>((resolve, reject) => {
      child.on('message', (message: GeneratorMessage) => {
        if (message.type === type) resolve(message as Extract<GeneratorMessage, { type: T }>);
      });
      void gone.then(() =>
        reject(new Error(`a load generator exited (${child.exitCode ?? child.signalCode}) before "${type}"`)),
      );
    });
  return {
    child,
    ready: next('ready'),
    complete: next('complete').catch(() => undefined),
    async collect() {
      const arrivals = next('arrivals');
      // A generator that is gone fails `arrivals` instead.
      child.send({ type: 'collect' } satisfies OrchestratorMessage, () => {});
      const message = await arrivals;
      // Closing the channel makes the generator exit, which closes its sockets.
      child.disconnect();
      return message;
    },
  };
}

interface RoundResult {
  n: number;
  generators: number;
  connected: number;
  failures: Record<string, number>;
  joinMs: number;
  connectMs: number;
  wallMs: number;
  expected: number;
  received: number;
  dropped: number;
  latency: Summary;
  /** Median over questions of the time until the last socket had it. */
  reachAllMs: number;
  rssIdle: number;
  rssConnected: number;
  rssPeak: number;
  /** CPU used while approving and delivering, in cores (1 = one core busy all the time). */
  apiCpu: number;
  generatorCpu: number;
  /** Share of all cores busy (including interrupt time, which loopback networking spends outside any process). */
  machineBusy: number;
}

/** One size: a fresh event, N audience sockets, M approvals, then everything disconnected. */
async function round(api: Api, n: number, maxGenerators: number, questions: number): Promise<RoundResult> {
  const event = await http<EventDetails>(
    `${api.url}/api/events`,
    { title: `Fan-out ${n}`, startsAt: new Date(Date.now() + 3_600_000).toISOString() },
    api.token,
  );
  const joinEvent = (request: JoinRequest, token?: string) =>
    http<JoinResponse>(`${api.url}/api/events/${event.slug}/join`, request, token);
  const moderator = await connect(api.url, (await joinEvent({}, api.token)).accessToken);
  const journalist = await connect(
    api.url,
    (await joinEvent({ name: 'Bench Journalist', outlet: 'Bench Times' })).accessToken,
  );
  const questionIds: string[] = [];
  for (let i = 1; i <= questions; i++)
    questionIds.push((await act(journalist, 'question:ask', { text: `Question ${i}?` })).question.id);

  const rssIdle = rssMb(api.pid);
  const peak = peakRss(api.pid);
  const started = Date.now();
  const generatorCount = Math.min(maxGenerators, n);
  const generators = Array.from({ length: generatorCount }, (_, i) =>
    startGenerator({
      url: api.url,
      slug: event.slug,
      sockets: Math.floor(n / generatorCount) + (i < n % generatorCount ? 1 : 0),
      questions,
    }),
  );
  const ready = await Promise.all(generators.map((g) => g.ready));
  const wallMs = Date.now() - started;
  await sleep(1000);
  const rssConnected = rssMb(api.pid);

  const pids = [api.pid, ...generators.map((g) => g.child.pid!)];
  const cpuBefore = pids.map(cpuSeconds);
  const machineBefore = machineCpu();
  const approvalsStart = Date.now();
  const sentAt = new Map<string, number>();
  for (const questionId of questionIds) {
    const t0 = Date.now();
    sentAt.set(questionId, t0);
    await act(moderator, 'question:approve', { questionId });
    await sleep(t0 + APPROVE_INTERVAL_MS - Date.now());
  }
  await Promise.race([Promise.all(generators.map((g) => g.complete)), sleep(DELIVERY_TIMEOUT_MS)]);
  const approvalSeconds = (Date.now() - approvalsStart) / 1000;
  const [apiCpu, ...generatorCpu] = pids.map((pid, i) => (cpuSeconds(pid) - cpuBefore[i]!) / approvalSeconds);
  const machineBusy = machineBusySince(machineBefore);
  const collected = await Promise.all(generators.map((g) => g.collect()));
  const rssPeak = peak.stop();
  moderator.close();
  journalist.close();
  await Promise.all(generators.map((g) => exited(g.child)));

  const connected = ready.reduce((sum, r) => sum + r.connected, 0);
  const failures: Record<string, number> = {};
  for (const r of ready)
    for (const [reason, count] of Object.entries(r.failures)) failures[reason] = (failures[reason] ?? 0) + count;
  const latencies: number[] = [];
  const reachAll: number[] = [];
  for (const [questionId, t0] of sentAt) {
    const arrivals = collected.flatMap((c) => c.arrivals[questionId] ?? []);
    for (const at of arrivals) latencies.push(at - t0);
    if (arrivals.length === connected && connected > 0) reachAll.push(Math.max(...arrivals) - t0);
  }
  return {
    n,
    generators: generatorCount,
    connected,
    failures,
    joinMs: Math.max(...ready.map((r) => r.joinMs)),
    connectMs: Math.max(...ready.map((r) => r.connectMs)),
    wallMs,
    expected: connected * questions,
    received: latencies.length,
    dropped: collected.reduce((sum, c) => sum + c.dropped, 0),
    latency: summarize(latencies),
    reachAllMs: median(reachAll),
    rssIdle,
    rssConnected,
    rssPeak,
    apiCpu: apiCpu!,
    generatorCpu: generatorCpu.reduce((sum, c) => sum + c, 0),
    machineBusy,
  };
}

const ms = (value: number) => (Number.isNaN(value) ? '—' : String(Math.round(value)));
const mb = (value: number) => value.toFixed(0);
const percent = (cores: number) => `${(100 * cores).toFixed(0)}%`;
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;

function printRound(r: RoundResult): void {
  const failures = Object.entries(r.failures).map(([reason, count]) => `${reason} ×${count}`);
  console.log(`\nN = ${r.n}  (${r.generators} generator${r.generators > 1 ? 's' : ''})`);
  console.log(
    `  sockets connected  ${r.connected} / ${r.n}${failures.length ? `   failures: ${failures.join(', ')}` : ''}`,
  );
  console.log(
    `  connect time       joins ${seconds(r.joinMs)} + sockets ${seconds(r.connectMs)} (slowest generator), wall ${seconds(r.wallMs)}`,
  );
  console.log(
    `  deliveries         ${r.received} / ${r.expected}${r.dropped ? `   sockets dropped during the run: ${r.dropped}` : ''}`,
  );
  const l = r.latency;
  console.log(
    `  latency ms         p50 ${ms(l.p50)}  p95 ${ms(l.p95)}  p99 ${ms(l.p99)}  max ${ms(l.max)}   all N reached: ${ms(r.reachAllMs)} (median per question)`,
  );
  console.log(
    `  CPU (approvals)    API ${percent(r.apiCpu)} of a core, load generators ${percent(r.generatorCpu)}, machine ${percent(r.machineBusy)} busy (${cpus().length} cores)`,
  );
  console.log(`  API RSS MB         idle ${mb(r.rssIdle)}  connected ${mb(r.rssConnected)}  peak ${mb(r.rssPeak)}`);
}

function printSummary(results: RoundResult[]): void {
  const reference = results[0]!.latency.p99;
  const columns = [
    'N',
    'connected',
    'delivered',
    'p50',
    'p95',
    'p99',
    'max',
    'p99/p99(1)',
    'RSS peak',
    `p99≤${TARGET.p99Ms}ms`,
    `RSS≤${TARGET.rssMb}MB`,
  ];
  const rows = results.map((r) => {
    const meets = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    const everyoneServed = r.connected === r.n && r.received === r.expected;
    return [
      String(r.n),
      String(r.connected),
      `${((100 * r.received) / Math.max(r.expected, 1)).toFixed(1)}%`,
      ms(r.latency.p50),
      ms(r.latency.p95),
      ms(r.latency.p99),
      ms(r.latency.max),
      (r.latency.p99 / reference).toFixed(1),
      mb(r.rssPeak),
      meets(everyoneServed && r.latency.p99 <= TARGET.p99Ms),
      meets(r.rssPeak <= TARGET.rssMb),
    ];
  });
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => '  ' + cells.map((cell, i) => cell.padStart(widths[i]!)).join('  ');
  console.log(
    `\nSummary (latency in ms, RSS in MB; targets: p99 ≤ ${TARGET.p99Ms} ms with every socket served, API RSS ≤ ${TARGET.rssMb} MB)`,
  );
  console.log(line(columns));
  for (const row of rows) console.log(line(row));
}

function positiveIntegers(text: string, name: string): number[] {
  const values = text.split(',').map(Number);
  if (values.some((v) => !Number.isInteger(v) || v < 1))
    throw new Error(`${name} must be positive integers, got "${text}"`);
  return values;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string' },
      generators: { type: 'string' },
      questions: { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
  });
  const sizes = positiveIntegers(values.sizes ?? process.env.BENCH_SIZES ?? '1000,5000,10000', '--sizes');
  const [generators] = positiveIntegers(values.generators ?? process.env.BENCH_GENERATORS ?? '4', '--generators');
  const [questions] = positiveIntegers(values.questions ?? process.env.BENCH_QUESTIONS ?? '20', '--questions');

  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  dataDir = mkdtempSync(join(tmpdir(), 'pressroom-bench-'));
  const api = await startApi(dataDir, values['cpu-prof']);
  const fdLimit = openFilesLimit(api.pid);
  console.log(`Fan-out benchmark: ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}`);
  console.log(
    `  ${questions} approvals per size, one every ${APPROVE_INTERVAL_MS} ms; API open-files limit ${fdLimit}`,
  );
  if (fdLimit < Math.max(...sizes) + 100)
    console.log(`  warning: the API may run out of file descriptors above ~${fdLimit - 100} sockets`);
  const idleSample = machineCpu();
  await sleep(1000);
  const busyBefore = machineBusySince(idleSample);
  if (busyBefore > 0.2)
    console.log(
      `  warning: the machine is ${percent(busyBefore)} busy before the benchmark: latencies will be inflated`,
    );

  const results: RoundResult[] = [];
  for (const [i, n] of [1, ...sizes].entries()) {
    if (i > 0) await sleep(SETTLE_MS);
    const result = await round(api, n, n === 1 ? 1 : generators!, questions!);
    printRound(result);
    results.push(result);
  }
  printSummary(results);
}

main().then(
  () => cleanUp().then(() => process.exit(0)),
  (error: unknown) => {
    if (stopping) return; // interrupted: the children were stopped on purpose
    console.error(error);
    return cleanUp().then(() => process.exit(1));
  },
);
