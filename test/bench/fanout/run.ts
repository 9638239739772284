/**
 * `npm run bench:fanout`: how fast a moderator's approval reaches N audience sockets, and what the API
 * costs in memory meanwhile. The API runs alone in its own process; the audience lives in load-generator
 * processes on the same machine, so Date.now() is one clock for all.
 *
 * `--nodes 2`: for each size, the same fan-out twice, each on fresh API processes sharing one database and
 * one Redis (the socket.io Redis adapter carries the approval to the other node): first every socket on
 * node A alone, then the audience split half and half over nodes A and B (the moderator on A). Database:
 * PostgreSQL when PRESSROOM_BENCH_POSTGRES_URL or PRESSROOM_TEST_POSTGRES_URL names a role that may create
 * databases (a fresh database per run of the nodes, dropped after), else one shared SQLite file. Redis:
 * BENCH_REDIS_URL, else a redis-server the bench starts on a free port.
 *
 * Options (or env): --nodes 1|2 (BENCH_NODES), --sizes (BENCH_SIZES; 1000,5000,10000 for one node,
 * 10000,20000,30000 with two), --generators 4 (BENCH_GENERATORS: at least; more when one would hold
 * more sockets than its open-files limit), --questions 20 (BENCH_QUESTIONS).
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
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { connect, type GeneratorConfig, type GeneratorMessage, type OrchestratorMessage } from './generator';
import {
  childOpenFilesLimit,
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
/** An action's acknowledgement on a machine so busy that a round would rather wait than fail. */
const ACK_TIMEOUT_MS = 60_000;
const SETTLE_MS = 3000;
const TARGET = { p99Ms: 250, rssMb: 1024 };
/** Descriptors a process needs besides its sockets (database, Redis, logs, mediasoup pipes, node itself). */
const SPARE_FILES = 300;
const NODE_NAMES = ['A', 'B'] as const;

const children = new Set<ChildProcess>();
/** Children stopped on purpose: their exit is no failure. */
const stopped = new WeakSet<ChildProcess>();
const cleanUps: (() => Promise<void> | void)[] = [];
/** The load generators of the round under way: stopped when it fails. */
const roundGenerators = new Set<ChildProcess>();
let stopping = false;

async function stopChild(child: ChildProcess): Promise<void> {
  stopped.add(child);
  child.kill('SIGTERM');
  const forceKill = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited(child);
  clearTimeout(forceKill);
}

/** SIGTERM first: the API closes its database and writes its --cpu-prof profile if asked to. */
async function cleanUp(): Promise<void> {
  stopping = true;
  await Promise.all([...children].map(stopChild));
  for (const step of cleanUps.splice(0).reverse()) await Promise.resolve(step()).catch(() => undefined);
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

interface ApiNode {
  name: string;
  url: string;
  pid: number;
  child: ChildProcess;
}

interface Cluster {
  nodes: ApiNode[];
  /** The moderator's token (logged in on node A). */
  token: string;
  stop(): Promise<void>;
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
  const reply = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(action, request)) as ActionReply<A>;
  if (!reply.ok) throw new Error(`${action}: ${reply.error.code} ${reply.error.message}`);
  return reply;
}

async function startApi(
  name: string,
  dir: string,
  shared: Record<string, string>,
  profileDir: string | undefined,
): Promise<ApiNode> {
  const script = join(ROOT, 'dist/api/main.js');
  if (!existsSync(script))
    throw new Error(`${script} is missing: build the API first (npx tsc -b apps/api/tsconfig.app.json)`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logPath = join(dir, `api-${name}.log`);
  const log = openSync(logPath, 'a');
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_URL: url,
    // Any free WebRTC ports: several API nodes run on this one machine. One media worker each: the
    // audience uses none.
    RTC_PORT: '0',
    MEDIASOUP_WORKERS: '1',
    MEDIA_DIR: join(dir, `media-${name}`),
    LOG_LEVEL: 'warn',
    PRESSROOM_ADMIN_EMAIL: ADMIN.email,
    PRESSROOM_ADMIN_PASSWORD: ADMIN.password,
    JOIN_RATE_LIMIT_PER_MINUTE: '1000000',
    // The whole audience comes from this machine's loopback addresses.
    LIVE_CONNECTIONS_PER_ADDRESS: '1000000',
    SOCKET_MESSAGES_PER_SECOND: '1000',
    QUESTION_RATE_LIMIT: '1000',
    ...shared,
  };
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir)}`] : [];
  const child = track(spawnNode(script, [], env, ['ignore', log, log], profile));
  closeSync(log);
  child.once('exit', (code, signal) => {
    if (stopping || stopped.has(child)) return;
    const tail = readFileSync(logPath, 'utf8').split('\n').slice(-30).join('\n');
    console.error(`\nAPI node ${name} exited unexpectedly (${code ?? signal}). Last log lines:\n${tail}`);
    void cleanUp().then(() => process.exit(1));
  });
  for (const deadline = Date.now() + 60_000; ; await sleep(200)) {
    const healthy = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) throw new Error(`API node ${name} did not become healthy within 60 s (${logPath})`);
  }
  return { name, url, pid: child.pid!, child };
}

/** What the nodes of one cluster share: a database (fresh for each cluster) and Redis. */
interface Backend {
  description: string;
  /** A fresh database for a new cluster, and how to drop it. */
  database(dir: string): Promise<{ url: string; drop(): Promise<void> }>;
  redisUrl?: string;
}

async function postgresAdmin<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function startRedis(): Promise<string> {
  if (process.env.BENCH_REDIS_URL) return process.env.BENCH_REDIS_URL;
  if (spawnSync('redis-server', ['--version']).error)
    throw new Error('--nodes 2 needs redis-server (apt-get install redis-server) or BENCH_REDIS_URL');
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = track(spawn('redis-server', args, { stdio: 'ignore' }));
  child.once('error', (error) => console.error(`redis-server: ${error.message} (apt-get install redis-server)`));
  child.once('exit', (code, signal) => {
    if (stopping || stopped.has(child)) return;
    console.error(`\nredis-server exited unexpectedly (${code ?? signal})`);
    void cleanUp().then(() => process.exit(1));
  });
  const { connect: tcp } = await import('node:net');
  for (const deadline = Date.now() + 10_000; ; await sleep(100)) {
    const up = await new Promise<boolean>((done) => {
      const probe = tcp(port, '127.0.0.1', () => (probe.end(), done(true))).once('error', () => done(false));
    });
    if (up) break;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port} within 10 s`);
  }
  return `redis://127.0.0.1:${port}`;
}

async function sharedBackend(): Promise<Backend> {
  const redisUrl = await startRedis();
  const postgresUrl = process.env.PRESSROOM_BENCH_POSTGRES_URL || process.env.PRESSROOM_TEST_POSTGRES_URL;
  const redisNote = process.env.BENCH_REDIS_URL ? `Redis ${redisUrl}` : `Redis (redis-server started on ${redisUrl})`;
  if (!postgresUrl)
    return {
      description: `one shared SQLite file per cluster (set PRESSROOM_TEST_POSTGRES_URL for PostgreSQL, the documented scale-out) + ${redisNote}`,
      redisUrl,
      async database(dir) {
        return { url: `sqlite:${join(dir, 'db.sqlite')}`, drop: async () => undefined };
      },
    };
  const version = await postgresAdmin(postgresUrl, (c) => c.query<{ server_version: string }>('SHOW server_version'));
  return {
    description: `PostgreSQL ${version.rows[0]!.server_version} (a fresh database per cluster) + ${redisNote}`,
    redisUrl,
    async database() {
      const name = `pressroom_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
      await postgresAdmin(postgresUrl, (c) => c.query(`CREATE DATABASE ${name}`));
      const url = new URL(postgresUrl);
      url.pathname = `/${name}`;
      return {
        url: url.toString(),
        drop: () =>
          postgresAdmin(postgresUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
            () => undefined,
          ),
      };
    },
  };
}

/**
 * `count` API nodes: alone on SQLite without Redis (no backend), or sharing the backend's fresh database
 * and its Redis. Node A starts first (it runs the migrations), then B.
 */
async function startCluster(count: number, backend: Backend | undefined, profileDir?: string): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'pressroom-bench-'));
  const database = backend ? await backend.database(dir) : undefined;
  const shared: Record<string, string> = {};
  if (backend) {
    shared.DATABASE_URL = database!.url;
    shared.REDIS_URL = backend.redisUrl!;
    shared.PRESSROOM_SECRET = randomBytes(32).toString('hex');
  }
  let stoppedAlready = false;
  const nodes: ApiNode[] = [];
  const stop = async () => {
    if (stoppedAlready) return;
    stoppedAlready = true;
    await Promise.all(nodes.map((node) => stopChild(node.child)));
    await database?.drop().catch((error: unknown) => console.error('dropping the bench database:', error));
    rmSync(dir, { recursive: true, force: true });
  };
  cleanUps.push(stop);
  for (const name of NODE_NAMES.slice(0, count)) nodes.push(await startApi(name, dir, shared, profileDir));
  const { accessToken } = await http<{ accessToken: string }>(`${nodes[0]!.url}/api/auth/login`, ADMIN);
  return { nodes, token: accessToken, stop };
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

interface NodeResult {
  name: string;
  sockets: number;
  rssIdle: number;
  rssConnected: number;
  rssPeak: number;
  /** CPU used while approving and delivering, in cores (1 = one core busy all the time). */
  cpu: number;
}

interface RoundResult {
  n: number;
  generators: number;
  connected: number;
  failures: Record<string, number>;
  retries: number;
  joinMs: number;
  connectMs: number;
  wallMs: number;
  expected: number;
  received: number;
  dropped: number;
  latency: Summary;
  /** Median over questions of the time until the last socket had it. */
  reachAllMs: number;
  nodes: NodeResult[];
  generatorCpu: number;
  /** Share of all cores busy (including interrupt time, which loopback networking spends outside any process). */
  machineBusy: number;
  /** The 1-minute load average when the approvals started. */
  load: number;
}

/** How many of `n` sockets each node holds: node A the smaller half (a single socket goes to the last node). */
function split(n: number, nodes: number): number[] {
  return Array.from({ length: nodes }, (_, i) => Math.floor(n / nodes) + (nodes - 1 - i < n % nodes ? 1 : 0));
}

/**
 * One size on one cluster: a fresh event (made on node A, where the moderator and the journalist are),
 * N audience sockets split over the nodes, M approvals, then everything disconnected.
 */
async function round(
  cluster: Cluster,
  n: number,
  minGenerators: number,
  generatorFiles: number,
  questions: number,
): Promise<RoundResult> {
  const [home] = cluster.nodes;
  const event = await http<EventDetails>(
    `${home!.url}/api/events`,
    { title: `Fan-out ${n}`, startsAt: new Date(Date.now() + 3_600_000).toISOString() },
    cluster.token,
  );
  const joinEvent = (request: JoinRequest, token?: string) =>
    http<JoinResponse>(`${home!.url}/api/events/${event.slug}/join`, request, token);
  const moderator = await connect(home!.url, (await joinEvent({}, cluster.token)).accessToken);
  const journalist = await connect(
    home!.url,
    (await joinEvent({ name: 'Bench Journalist', outlet: 'Bench Times' })).accessToken,
  );
  const questionIds: string[] = [];
  for (let i = 1; i <= questions; i++)
    questionIds.push((await act(journalist, 'question:ask', { text: `Question ${i}?` })).question.id);

  const shares = split(n, cluster.nodes.length);
  const rssIdle = cluster.nodes.map((node) => rssMb(node.pid));
  const peaks = cluster.nodes.map((node) => peakRss(node.pid));
  const started = Date.now();
  // Each node's audience comes from its own generators; a generator holds no more sockets than it may open.
  const configs: GeneratorConfig[] = [];
  cluster.nodes.forEach((node, nodeIndex) => {
    const sockets = shares[nodeIndex]!;
    if (sockets === 0) return;
    const count = Math.min(
      sockets,
      Math.max(Math.ceil(minGenerators / cluster.nodes.length), Math.ceil(sockets / (generatorFiles - SPARE_FILES))),
    );
    for (let i = 0; i < count; i++)
      configs.push({
        url: node.url,
        slug: event.slug,
        sockets: Math.floor(sockets / count) + (i < sockets % count ? 1 : 0),
        // Own source addresses: a generator's sockets use its own ephemeral ports (~28,000 per address).
        localAddress: `127.0.0.${10 + configs.length}`,
        questions,
      });
  });
  const generators = configs.map(startGenerator);
  for (const g of generators) roundGenerators.add(g.child);
  const ready = await Promise.all(generators.map((g) => g.ready));
  const wallMs = Date.now() - started;
  await sleep(1000);
  const rssConnected = cluster.nodes.map((node) => rssMb(node.pid));

  const pids = [...cluster.nodes.map((node) => node.pid), ...generators.map((g) => g.child.pid!)];
  const cpuBefore = pids.map(cpuSeconds);
  const machineBefore = machineCpu();
  const load = loadavg()[0]!;
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
  const cpu = pids.map((pid, i) => (cpuSeconds(pid) - cpuBefore[i]!) / approvalSeconds);
  const machineBusy = machineBusySince(machineBefore);
  const collected = await Promise.all(generators.map((g) => g.collect()));
  const rssPeak = peaks.map((peak) => peak.stop());
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
    generators: generators.length,
    connected,
    failures,
    retries: ready.reduce((sum, r) => sum + r.retries, 0),
    joinMs: Math.max(...ready.map((r) => r.joinMs)),
    connectMs: Math.max(...ready.map((r) => r.connectMs)),
    wallMs,
    expected: connected * questions,
    received: latencies.length,
    dropped: collected.reduce((sum, c) => sum + c.dropped, 0),
    latency: summarize(latencies),
    reachAllMs: median(reachAll),
    nodes: cluster.nodes.map((node, i) => ({
      name: node.name,
      sockets: shares[i]!,
      rssIdle: rssIdle[i]!,
      rssConnected: rssConnected[i]!,
      rssPeak: rssPeak[i]!,
      cpu: cpu[i]!,
    })),
    generatorCpu: cpu.slice(cluster.nodes.length).reduce((sum, c) => sum + c, 0),
    machineBusy,
    load,
  };
}

const ms = (value: number) => (Number.isNaN(value) ? '—' : String(Math.round(value)));
const mb = (value: number) => value.toFixed(0);
const percent = (cores: number) => `${(100 * cores).toFixed(0)}%`;
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
const count = (value: number) => value.toLocaleString('en-US');

function printRound(r: RoundResult): void {
  const failures = Object.entries(r.failures).map(([reason, count]) => `${reason} ×${count}`);
  const where =
    r.nodes.length === 1
      ? 'one node'
      : `${r.nodes.length} nodes: ${r.nodes.map((x) => `${x.name} ${x.sockets}`).join(', ')}`;
  console.log(`\nN = ${r.n} on ${where}  (${r.generators} generator${r.generators > 1 ? 's' : ''})`);
  console.log(
    `  sockets connected  ${r.connected} / ${r.n}${r.retries ? `   tried again: ${r.retries}` : ''}${failures.length ? `   failures: ${failures.join(', ')}` : ''}`,
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
    `  CPU (approvals)    ${r.nodes.map((x) => `API ${x.name} ${percent(x.cpu)}`).join(', ')} of a core, load generators ${percent(r.generatorCpu)}, machine ${percent(r.machineBusy)} busy (${cpus().length} cores, load average ${r.load.toFixed(2)})`,
  );
  for (const x of r.nodes)
    console.log(
      `  API ${x.name} RSS MB       idle ${mb(x.rssIdle)}  connected ${mb(x.rssConnected)}  peak ${mb(x.rssPeak)}`,
    );
}

/** A round that could not run, and why (printed in its place in the summary). */
interface Skipped {
  n: number;
  nodes: number;
  reason: string;
}

/** Right-aligned columns; a row shorter than the columns ends in a note that spans the rest. */
function printTable(columns: string[], rows: string[][]): void {
  const full = rows.filter((row) => row.length === columns.length);
  const widths = columns.map((c, i) => Math.max(c.length, ...full.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    '  ' +
    cells
      .map((cell, i) => (i === cells.length - 1 && cells.length < columns.length ? cell : cell.padStart(widths[i]!)))
      .join('  ');
  console.log(line(columns));
  for (const row of rows) console.log(line(row));
}

function printSummary(results: (RoundResult | Skipped)[], nodes: number): void {
  /** p99 of the one-socket round on as many nodes. */
  const reference = (r: RoundResult) =>
    results.find((x): x is RoundResult => 'latency' in x && x.n === 1 && x.nodes.length === r.nodes.length)?.latency
      .p99 ?? NaN;
  const meets = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const columns = [
    'N',
    ...(nodes > 1 ? ['nodes', 'sockets per node'] : []),
    'connected',
    'delivered',
    'p50',
    'p95',
    'p99',
    'max',
    'p99/p99(1)',
    nodes > 1 ? 'RSS peak per node' : 'RSS peak',
    'load',
    `p99≤${TARGET.p99Ms}ms`,
    `RSS≤${TARGET.rssMb}MB`,
  ];
  const rows = results.map((r) => {
    if (!('latency' in r)) return [String(r.n), ...(nodes > 1 ? [String(r.nodes)] : []), `— ${r.reason}`];
    const everyoneServed = r.connected === r.n && r.received === r.expected;
    const peak = Math.max(...r.nodes.map((x) => x.rssPeak));
    return [
      String(r.n),
      ...(nodes > 1 ? [String(r.nodes.length), r.nodes.map((x) => `${x.name} ${x.sockets}`).join(' / ')] : []),
      String(r.connected),
      `${((100 * r.received) / Math.max(r.expected, 1)).toFixed(1)}%`,
      ms(r.latency.p50),
      ms(r.latency.p95),
      ms(r.latency.p99),
      ms(r.latency.max),
      (r.latency.p99 / reference(r)).toFixed(1),
      r.nodes.map((x) => mb(x.rssPeak)).join(' / '),
      r.load.toFixed(1),
      meets(everyoneServed && r.latency.p99 <= TARGET.p99Ms),
      meets(peak <= TARGET.rssMb),
    ];
  });
  console.log(
    `\nSummary (latency in ms, RSS in MB, load: 1-minute load average at the approvals; targets: p99 ≤ ${TARGET.p99Ms} ms with every socket served, RSS ≤ ${TARGET.rssMb} MB per API node)`,
  );
  printTable(columns, rows);
}

function positiveIntegers(text: string, name: string): number[] {
  const values = text.split(',').map(Number);
  if (values.some((v) => !Number.isInteger(v) || v < 1))
    throw new Error(`${name} must be positive integers, got "${text}"`);
  return values;
}

async function machineBusyNow(): Promise<number> {
  const idleSample = machineCpu();
  await sleep(1000);
  return machineBusySince(idleSample);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string' },
      sizes: { type: 'string' },
      generators: { type: 'string' },
      questions: { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
  });
  const [nodes] = positiveIntegers(values.nodes ?? process.env.BENCH_NODES ?? '1', '--nodes');
  if (nodes! > NODE_NAMES.length) throw new Error(`--nodes must be 1 or 2, got ${nodes}`);
  const defaultSizes = nodes === 1 ? '1000,5000,10000' : '10000,20000,30000';
  const sizes = positiveIntegers(values.sizes ?? process.env.BENCH_SIZES ?? defaultSizes, '--sizes');
  const [generators] = positiveIntegers(values.generators ?? process.env.BENCH_GENERATORS ?? '4', '--generators');
  const [questions] = positiveIntegers(values.questions ?? process.env.BENCH_QUESTIONS ?? '20', '--questions');
  const profileDir = values['cpu-prof'];

  // Interrupted (Ctrl-C, `timeout`): stop the API nodes, generators and redis-server, drop the database.
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  process.once('SIGTERM', () => void cleanUp().then(() => process.exit(143)));
  const fdLimit = childOpenFilesLimit();
  const capacity = fdLimit - SPARE_FILES;
  console.log(`Fan-out benchmark: ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}`);
  console.log(
    `  ${questions} approvals per size, one every ${APPROVE_INTERVAL_MS} ms; open-files limit of each API node and generator ${fdLimit} (about ${count(capacity)} sockets each)`,
  );
  const busyBefore = await machineBusyNow();
  console.log(
    `  machine: load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}, ${percent(busyBefore)} busy now`,
  );
  if (busyBefore > 0.2)
    console.log(
      `  warning: the machine is ${percent(busyBefore)} busy before the benchmark: latencies will be inflated`,
    );

  const results: (RoundResult | Skipped)[] = [];
  // A round that fails (an acknowledgement timed out on a starved machine …) is reported, and the next runs.
  const run = async (cluster: Cluster, n: number) => {
    try {
      const result = await round(cluster, n, n === 1 ? 1 : generators!, fdLimit, questions!);
      printRound(result);
      results.push(result);
    } catch (error) {
      const reason = `failed: ${error instanceof Error ? error.message : String(error)}`;
      console.log(
        `\nN = ${n} on ${cluster.nodes.length === 1 ? 'one node' : `${cluster.nodes.length} nodes`}: ${reason}`,
      );
      results.push({ n, nodes: cluster.nodes.length, reason });
      await Promise.all([...roundGenerators].map(stopChild));
    } finally {
      roundGenerators.clear();
    }
  };

  if (nodes === 1) {
    // One API for every size, on its own SQLite, without Redis: the single-server set-up.
    if (Math.max(...sizes) > capacity)
      console.log(`  warning: the API may run out of file descriptors above ~${capacity} sockets`);
    const cluster = await startCluster(1, undefined, profileDir);
    console.log(`  API: pid ${cluster.nodes[0]!.pid}, open-files limit ${openFilesLimit(cluster.nodes[0]!.pid)}`);
    for (const [i, n] of [1, ...sizes].entries()) {
      if (i > 0) await sleep(SETTLE_MS);
      await run(cluster, n);
    }
  } else {
    const backend = await sharedBackend();
    console.log(`  shared: ${backend.description}`);
    console.log(
      '  each size: every socket on node A alone, then split over nodes A and B; fresh API processes for each',
    );
    const referenced = new Set<number>();
    for (const n of sizes) {
      for (const count of [1, nodes!]) {
        if (Math.ceil(n / count) > capacity) {
          const reason = `skipped: one API process holds at most ~${capacity} sockets here (open-files limit ${fdLimit}; raise ulimit -n / LimitNOFILE)`;
          console.log(`\nN = ${n} on ${count === 1 ? 'one node' : `${count} nodes`}: ${reason}`);
          results.push({ n, nodes: count, reason });
          continue;
        }
        const cluster = await startCluster(count, backend, profileDir);
        // The reference (one socket; with two nodes, on node B: one hop through Redis), once per set-up.
        if (!referenced.has(count)) {
          referenced.add(count);
          await run(cluster, 1);
          await sleep(SETTLE_MS);
        }
        await run(cluster, n);
        await cluster.stop();
      }
    }
  }
  printSummary(results, nodes!);
}

main().then(
  () => cleanUp().then(() => process.exit(0)),
  (error: unknown) => {
    if (stopping) return; // interrupted: the children were stopped on purpose
    console.error(error);
    return cleanUp().then(() => process.exit(1));
  },
);
