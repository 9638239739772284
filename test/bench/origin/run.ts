/**
 * `npm run bench:origin`: how many HLS requests a second the API answers (apps/api/src/broadcast/hls-origin.ts)
 * against nginx serving the same files, in the same run. The API (built, `dist/api/main.js`) runs a live
 * event (its "we are live" slate: FFmpeg makes the segments); wrk (50 connections) asks for its playlist,
 * then for one of its segments; then the same of nginx, whose root is the event's broadcast directory.
 * The API and nginx are each pinned to core 0 (taskset), wrk and the event's FFmpeg to core 1; the API
 * logs as in production (LOG_LEVEL info).
 *
 * Requests per CPU second of each server are printed too: on a busy machine they move less than requests/s.
 *
 * Target: the API at ≥ 0.2x nginx for each. Options: --seconds 10 (each measurement), --connections 50,
 * --api path/to/main.js (another build of the API, e.g. an older commit's, as a reference).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuSeconds, exited, freePort, sleep } from '../fanout/processes';

const ROOT = resolve(__dirname, '../../..');
const ADMIN = { email: 'bench@example.org', password: 'bench-password-123' };
const TARGET_RATIO = 0.2;
const SERVER_CORE = '0';
/** Segments the live playlist lists when the run starts. */
const LISTED = 20;
const LOAD_CORE = '1';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    api: { type: 'string', default: join(ROOT, 'dist/api/main.js') },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);

const children = new Set<ChildProcess>();
let work: string | undefined;

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function cleanUp(): Promise<void> {
  await Promise.all(
    [...children].map((child) => {
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      return exited(child).then(() => clearTimeout(force));
    }),
  );
  if (work && !process.env.BENCH_KEEP) rmSync(work, { recursive: true, force: true });
  else if (work) console.log(`kept ${work}`);
}

async function http<T>(url: string, method: string, token?: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function startApi(dir: string): Promise<{ url: string; pid: number; mediaDir: string }> {
  const script = resolve(values.api);
  if (!existsSync(script))
    throw new Error(`${script} is missing: build the API first (npx tsc -b apps/api/tsconfig.app.json)`);
  const port = await freePort();
  const mediaDir = join(dir, 'm');
  const log = openSync(join(dir, 'api.log'), 'a');
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
    MEDIA_DIR: mediaDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    PRESSROOM_ADMIN_EMAIL: ADMIN.email,
    PRESSROOM_ADMIN_PASSWORD: ADMIN.password,
  };
  const child = track(
    spawn('taskset', ['-c', SERVER_CORE, process.execPath, script], { env, stdio: ['ignore', log, log] }),
  );
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; ; await sleep(250)) {
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (child.exitCode !== null) throw new Error(`the API exited: see ${join(dir, 'api.log')}`);
    if (Date.now() > deadline) throw new Error('the API did not become healthy within 60 s');
  }
  return { url, pid: child.pid!, mediaDir };
}

/** Every process under `pid`. */
function descendants(pid: number): number[] {
  let direct: number[] = [];
  try {
    direct = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    // none
  }
  return direct.flatMap((child) => [child, ...descendants(child)]);
}

function startNginx(dir: string, root: string, port: number, slug: string): ChildProcess {
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;
${process.getuid?.() === 0 ? 'user root;' /* MEDIA_DIR is the API user's only (0700): read it as that user */ : ''}
master_process on;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'nginx-error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/nginx-body;
  proxy_temp_path ${dir}/nginx-proxy;
  fastcgi_temp_path ${dir}/nginx-fastcgi;
  uwsgi_temp_path ${dir}/nginx-uwsgi;
  scgi_temp_path ${dir}/nginx-scgi;
  types { application/vnd.apple.mpegurl m3u8; video/mp4 mp4; video/iso.segment m4s; }
  server {
    listen 127.0.0.1:${port};
    location /hls/${slug}/ {
      alias ${root}/;
      add_header Cache-Control "public, max-age=1";
      add_header Access-Control-Allow-Origin "*";
    }
  }
}
`,
  );
  return track(
    spawn('taskset', ['-c', SERVER_CORE, 'nginx', '-p', dir, '-c', conf], { stdio: ['ignore', 'ignore', 'inherit'] }),
  );
}

interface Measured {
  rps: number;
  /** Requests per CPU second the server used (a figure the other work on the machine moves less). */
  perCpuSecond: number;
  errors: string;
}

/** wrk's requests a second for `url`, after a short warm-up, and the CPU the server (`pids`) used meanwhile. */
function wrk(url: string, seconds: number, pids: number[]): Measured {
  const run = (duration: number) =>
    execFileSync('taskset', ['-c', LOAD_CORE, 'wrk', '-t', '1', '-c', String(CONNECTIONS), '-d', `${duration}s`, url], {
      encoding: 'utf8',
    });
  run(2);
  const cpu = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const before = cpu();
  const output = run(seconds);
  const used = cpu() - before;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(output)?.[1]);
  const errors = [/Non-2xx or 3xx responses: \d+/, /Socket errors: .*/]
    .map((pattern) => pattern.exec(output)?.[0])
    .filter(Boolean)
    .join('; ');
  return { rps, perCpuSecond: requests / used, errors };
}

async function main(): Promise<void> {
  for (const tool of ['wrk', 'nginx', 'taskset']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`]);
    } catch {
      throw new Error(`${tool} is missing: bash scripts/setup.sh --with-test-tools`);
    }
  }
  if (cpus().length < 2) console.warn('fewer than 2 cores: the servers and wrk share one');
  const [load] = loadavg();
  if (load! > 1)
    console.warn(`the machine is busy (load average ${load!.toFixed(1)}): the figures will be low and noisy`);
  // Short: the composite's control socket lives under it (a Unix socket path has at most 107 bytes).
  work = mkdtempSync(join(tmpdir(), 'pr-origin-'));
  const api = await startApi(work);
  const { accessToken } = await http<{ accessToken: string }>(`${api.url}/api/auth/login`, 'POST', undefined, ADMIN);
  const event = await http<{ id: string; slug: string }>(`${api.url}/api/events`, 'POST', accessToken, {
    title: 'Origin bench',
    startsAt: new Date(Date.now() + 60_000).toISOString(),
  });
  await http(`${api.url}/api/events/${event.slug}/start`, 'POST', accessToken);
  const base = `/hls/${event.slug}`;
  let playlist = '';
  for (const deadline = Date.now() + 60_000; ; await sleep(500)) {
    const response = await fetch(`${api.url}${base}/index.m3u8`);
    playlist = response.ok ? await response.text() : '';
    // A playlist of some length (HLS_WINDOW_SECONDS lists 60 at most).
    if (playlist.split('\n').filter((line) => line.endsWith('.m4s')).length >= LISTED) break;
    if (Date.now() > deadline) throw new Error('the live event made no segment within 60 s');
  }
  // The broadcast's FFmpeg leaves the server's core to the server.
  for (const pid of descendants(api.pid)) execFileSync('taskset', ['-a', '-p', '-c', LOAD_CORE, String(pid)]);
  // The latest segment: it stays on disk for the whole run (HLS_WINDOW_SECONDS, 60 s, and 10 more).
  if (SECONDS > 20) console.warn('more than 20 s each: the segment may leave the disk before the end');
  const segment = playlist
    .split('\n')
    .filter((line) => line.endsWith('.m4s'))
    .at(-1)!;
  const segmentBytes = Number((await fetch(`${api.url}${base}/${segment}`)).headers.get('content-length'));
  const playlistBytes = Buffer.byteLength(playlist);

  const nginxPort = await freePort();
  const nginx = startNginx(work, join(api.mediaDir, 'broadcasts', event.id), nginxPort, event.slug);
  const nginxUrl = `http://127.0.0.1:${nginxPort}`;
  for (const deadline = Date.now() + 10_000; ; await sleep(100)) {
    if (
      await fetch(`${nginxUrl}${base}/${segment}`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`nginx did not answer: see ${join(work, 'nginx-error.log')}`);
  }

  console.log(
    `origin bench: wrk -c ${CONNECTIONS} for ${SECONDS} s each; servers on core ${SERVER_CORE}, wrk and FFmpeg on core ${LOAD_CORE}`,
  );
  console.log(
    `API ${values.api}\nplaylist ${playlistBytes} bytes (${LISTED} segments), segment ${segmentBytes} bytes (the live slate)\n`,
  );
  const rows: Array<{ what: string; api: Measured; nginx: Measured }> = [];
  for (const [what, path] of [
    ['playlist', `${base}/index.m3u8`],
    ['segment', `${base}/${segment}`],
  ] as const) {
    const fromApi = wrk(`${api.url}${path}`, SECONDS, [api.pid]);
    const fromNginx = wrk(`${nginxUrl}${path}`, SECONDS, [nginx.pid!, ...descendants(nginx.pid!)]);
    for (const [who, result] of [
      ['API', fromApi],
      ['nginx', fromNginx],
    ] as const) {
      if (result.errors) console.warn(`${what} from ${who}: ${result.errors}`);
    }
    rows.push({ what, api: fromApi, nginx: fromNginx });
  }
  console.log(
    'what       API req/s   nginx req/s   API/nginx   target          | req per CPU second: API   nginx   API/nginx',
  );
  let met = true;
  for (const { what, api: a, nginx: n } of rows) {
    const ratio = a.rps / n.rps;
    met &&= ratio >= TARGET_RATIO;
    console.log(
      [
        what.padEnd(10),
        a.rps.toFixed(0).padStart(9),
        n.rps.toFixed(0).padStart(13),
        `${ratio.toFixed(3)}x`.padStart(11),
        `   ≥ ${TARGET_RATIO}x ${ratio >= TARGET_RATIO ? 'PASS' : 'MISS'}`.padEnd(16),
        '|',
        a.perCpuSecond.toFixed(0).padStart(26),
        n.perCpuSecond.toFixed(0).padStart(7),
        `${(a.perCpuSecond / n.perCpuSecond).toFixed(3)}x`.padStart(11),
      ].join(' '),
    );
  }
  const logLines = readFileSync(join(work, 'api.log'), 'utf8')
    .split('\n')
    .filter((line) => line.includes('/hls/'));
  console.log(`\nAPI log lines about /hls/ during the run: ${logLines.length}`);
  process.exitCode = met ? 0 : 1;
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => void cleanUp());
