import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { freePort } from './server';

/** Debian installs nginx in /usr/sbin, which a non-root PATH may lack. */
const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

export interface Nginx {
  /** `http://127.0.0.1:<port>`: nginx in front of the server, as in a real deployment. */
  url: string;
  stop(): Promise<void>;
}

/**
 * A real nginx reverse proxy on 127.0.0.1 in front of `upstream`, plain HTTP, run by the test as itself on a
 * free port. It forwards like the production config: X-Forwarded-For, X-Forwarded-Proto, WebSocket upgrades.
 */
export async function startNginx(upstream: string): Promise<Nginx> {
  const prefix = nginxPrefix();
  const port = await freePort();
  const site = `map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass ${upstream};
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
    }
  }`;
  const stop = await runNginx(prefix, site, port);
  return { url: `http://127.0.0.1:${port}`, stop };
}

export interface TlsNginx extends Nginx {
  /** `https://127.0.0.1:<port>` (a self-signed certificate for 127.0.0.1 and localhost). */
  url: string;
  /** `http://127.0.0.1:<port>`: the plain-HTTP server that redirects to https. */
  httpUrl: string;
  /** The certificate in PEM, for clients that verify it. */
  certificate: string;
}

/** The documented production config, as `deploy/nginx/pressroom.conf` ships it. */
export const DEPLOYED_NGINX_CONFIG = join(__dirname, '../../../deploy/nginx/pressroom.conf');

/** The documented config for two API nodes, as `deploy/nginx/pressroom-two-nodes.conf` ships it. */
export const DEPLOYED_TWO_NODES_NGINX_CONFIG = join(__dirname, '../../../deploy/nginx/pressroom-two-nodes.conf');

/**
 * nginx running `deploy/nginx/pressroom.conf` itself: TLS with a fresh self-signed certificate (openssl),
 * HTTP/2, the WebSocket location and the HLS cache. Only what a test machine must differ in is replaced:
 * the listening ports, the certificate, the cache directory and the upstream address. `httpsPort` (from
 * `freePort`) lets the server know its PUBLIC_URL before nginx starts.
 */
export function startDeployedNginx(upstream: string, httpsPort?: number): Promise<TlsNginx> {
  return startShippedSite(DEPLOYED_NGINX_CONFIG, httpsPort, [
    [/server 127\.0\.0\.1:8080;/g, `server ${new URL(upstream).host};`],
  ]);
}

export interface TwoNodesNginx extends TlsNginx {
  /**
   * What nginx did, one line per request, `<client address>|<upstream addresses tried>|<status>|<request
   * line>` (its access log: the shipped file tells clients nothing about the nodes behind it).
   */
  accessLog(): string[];
}

/**
 * nginx running `deploy/nginx/pressroom-two-nodes.conf` itself in front of node A and node B (`upstreams`,
 * their `http://host:port`), as `startDeployedNginx` runs the single-node file: only the ports, the
 * certificate, the cache directory and the two nodes' addresses are replaced, so the sticky hash by client
 * address, the failover settings and every location are the shipped ones. With an access log.
 */
export async function startDeployedTwoNodesNginx(
  upstreams: [string, string],
  httpsPort?: number,
): Promise<TwoNodesNginx> {
  const [a, b] = upstreams.map((url) => new URL(url).host);
  const nginx = await startShippedSite(
    DEPLOYED_TWO_NODES_NGINX_CONFIG,
    httpsPort,
    [
      // The two nodes' lines keep their max_fails and fail_timeout: only the address is the test's.
      [/server 10\.0\.0\.11:8080 /g, `server ${a} `],
      [/server 10\.0\.0\.12:8080 /g, `server ${b} `],
    ],
    true,
  );
  const { logFile, ...tls } = nginx;
  return {
    ...tls,
    accessLog: () => (existsSync(logFile!) ? readFileSync(logFile!, 'utf8').split('\n').filter(Boolean) : []),
  };
}

/**
 * Starts nginx with a shipped site file, replacing only what a test machine must differ in: the listening
 * ports (127.0.0.1 only), the certificate (a fresh self-signed one) and the cache directory, plus
 * `upstreams` (the nodes' addresses). Each replacement must match: when the shipped file changes shape,
 * the test fails instead of silently testing something else.
 */
async function startShippedSite(
  file: string,
  httpsPort: number | undefined,
  upstreams: [RegExp, string][],
  accessLog = false,
): Promise<TlsNginx & { logFile?: string }> {
  const prefix = nginxPrefix();
  const [port, httpPort] = [httpsPort ?? (await freePort()), await freePort()];
  const certificate = join(prefix, 'cert.pem');
  const key = join(prefix, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      key,
      '-out',
      certificate,
    ],
    { stdio: 'ignore' },
  );
  const cache = join(prefix, 'cache');
  mkdirSync(cache, { mode: 0o777 });
  chmodSync(cache, 0o777);
  const replacements: [RegExp, string][] = [
    [/^\s*listen \[::\]:(80|443)[^;]*;\n/gm, ''],
    [/listen 443 ssl http2;/g, `listen 127.0.0.1:${port} ssl http2;`],
    [/listen 80;/g, `listen 127.0.0.1:${httpPort};`],
    ...upstreams,
    [/\/var\/cache\/nginx\/pressroom/g, cache],
    [/\/etc\/letsencrypt\/live\/pressroom\.example\.org\/fullchain\.pem/g, certificate],
    [/\/etc\/letsencrypt\/live\/pressroom\.example\.org\/privkey\.pem/g, key],
  ];
  let site = readFileSync(file, 'utf8');
  for (const [pattern, replacement] of replacements) {
    // The documented config changed shape: this test must follow it, not silently test something else.
    if (site.search(pattern) < 0) throw new Error(`deploy/nginx/${basename(file)} no longer has ${pattern}`);
    site = site.replace(pattern, replacement);
  }
  const logFile = accessLog ? join(prefix, 'access.log') : undefined;
  const stop = await runNginx(prefix, site, port, logFile);
  return {
    url: `https://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    certificate: readFileSync(certificate, 'utf8'),
    stop,
    logFile,
  };
}

/** A fresh directory for one nginx's config, pid, logs and temporary files. */
function nginxPrefix(): string {
  const prefix = mkdtempSync(join(tmpdir(), 'pressroom-nginx-'));
  // When the test runs as root, nginx's workers run as nobody: they must reach their temporary files.
  chmodSync(prefix, 0o755);
  return prefix;
}

/**
 * Runs nginx as the test's own process, in the foreground, with `site` inside `http { }` (where Debian's
 * nginx.conf includes sites-enabled), until it accepts connections on `port`. Returns its stop function.
 * `accessLog`: a file for one line per request (see `TwoNodesNginx.accessLog`); none without it.
 */
async function runNginx(prefix: string, site: string, port: number, accessLog?: string): Promise<() => Promise<void>> {
  const temp = (name: string) => {
    const dir = join(prefix, name);
    mkdirSync(dir, { mode: 0o777 });
    chmodSync(dir, 0o777);
    return dir;
  };
  const errorLog = join(prefix, 'error.log');
  const config = join(prefix, 'nginx.conf');
  writeFileSync(
    config,
    `worker_processes 1;
daemon off;
pid ${join(prefix, 'nginx.pid')};
error_log ${errorLog} warn;
events { worker_connections 1024; }
http {
  ${
    accessLog
      ? `log_format pressroom_test '$remote_addr|$upstream_addr|$status|$request';
  access_log ${accessLog} pressroom_test;`
      : 'access_log off;'
  }
  client_body_temp_path ${temp('client_body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
${site}
}
`,
  );
  const child = spawn(NGINX, ['-p', prefix, '-c', config, '-e', errorLog], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.once('error', (error) => (stderr += error.message));

  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      const log = existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '';
      rmSync(prefix, { recursive: true, force: true });
      throw new Error(`nginx did not start: ${stderr} ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(prefix, { recursive: true, force: true });
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface FromResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/**
 * One HTTP request from a given local address: the whole 127.0.0.0/8 is loopback on Linux, so a test
 * can be many clients (127.0.0.2, 127.0.0.3, …) on one machine.
 */
export function requestFrom(
  localAddress: string,
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<FromResult> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method,
        localAddress,
        agent: false,
        headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: parsed });
        });
      },
    );
    request.once('error', reject);
    request.end(payload);
  });
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One HTTP or HTTPS request (HTTP/1.1) from a given local address, trusting `ca` for https (a test's
 * self-signed certificate): a client nginx's hash by address sends to a chosen node.
 */
export function requestVia(
  url: string,
  options: {
    method?: string;
    localAddress?: string;
    ca?: string;
    headers?: Record<string, string>;
    body?: string;
  } = {},
): Promise<Answer> {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: options.method ?? 'GET',
        agent: false,
        headers: options.headers,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        ...(options.ca ? { ca: options.ca } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
        );
        response.once('error', reject);
      },
    );
    request.once('error', reject);
    request.end(options.body);
  });
}

/** Runs `task` for each item, `width` at a time, and returns the results in order. */
export async function inBatches<T, R>(items: T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += width) {
    results.push(...(await Promise.all(items.slice(i, i + width).map(task))));
  }
  return results;
}

/** Debian's nginx RTMP module (package libnginx-mod-rtmp). */
const RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';

export interface RtmpServer {
  /** `rtmp://127.0.0.1:<port>/live`: a destination URL; the stream key is the stream's name. */
  url: string;
  port: number;
  /** Where every stream published is recorded, as `<stream key>-<time>.flv`. */
  recordDir: string;
  /** SIGKILL, as a crash would: the pushes' connections drop at once. */
  kill(): Promise<void>;
}

/**
 * A real RTMP ingest on 127.0.0.1 (nginx with the RTMP module), run by the test in one process (no
 * workers: killing it kills the server), recording what it receives in `recordDir`. `port` starts it
 * again where an earlier one was.
 */
export async function startRtmpServer(options: { port?: number; recordDir?: string } = {}): Promise<RtmpServer> {
  if (!existsSync(RTMP_MODULE)) throw new Error(`${RTMP_MODULE} is missing: bash scripts/setup.sh --with-test-tools`);
  const prefix = nginxPrefix();
  const port = options.port ?? (await freePort());
  const recordDir = options.recordDir ?? mkdtempSync(join(tmpdir(), 'pressroom-rtmp-'));
  chmodSync(recordDir, 0o777);
  const errorLog = join(prefix, 'error.log');
  const config = join(prefix, 'nginx.conf');
  writeFileSync(
    config,
    `load_module ${RTMP_MODULE};
master_process off;
daemon off;
pid ${join(prefix, 'nginx.pid')};
error_log ${errorLog} warn;
events { worker_connections 64; }
rtmp {
  server {
    listen 127.0.0.1:${port};
    application live {
      live on;
      record all;
      record_path ${recordDir};
      record_unique on;
    }
  }
}
`,
  );
  const child = spawn(NGINX, ['-p', prefix, '-c', config, '-e', errorLog], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.once('error', (error) => (stderr += error.message));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(prefix, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      const log = existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '';
      await kill();
      throw new Error(`nginx (RTMP) did not start: ${stderr} ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `rtmp://127.0.0.1:${port}/live`, port, recordDir, kill };
}
