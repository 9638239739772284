import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Api, type HttpResult } from './api';
import { startApiNode, type ApiNode } from './api-node';
import { LiveClient } from './live-client';
import { waitFor } from './media';
import { requestVia, startDeployedTwoNodesNginx, type Answer, type TwoNodesNginx } from './nginx';
import { ffmpegChildrenOf } from './processes';
import { removeDir } from './disk-scan';
import { freePort } from './server';

const ROOT = join(__dirname, '../../..');

type NodeName = 'a' | 'b';

/** Options of a request through nginx. */
interface Through {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * Two API nodes (their own processes) behind nginx on one PostgreSQL database and one Redis database; nginx
 * runs `deploy/nginx/pressroom-two-nodes.conf` (TLS, a sticky hash by client address).
 */
export interface TwoNodes {
  /** Node A (started first: it ran the migrations) and node B; `restart` replaces them. */
  a: ApiNode;
  b: ApiNode;
  /** `nginx.url` is https with a self-signed certificate: reach it through `request`, `api` and `connect`. */
  nginx: TwoNodesNginx;
  /** The client address (127.0.0.x) that nginx's hash by client address sends to node A, and to node B. */
  pin: Record<NodeName, string>;
  /** The RTC_PORT of both: node A's worker listens on it, node B's (started second) on the next free one. */
  rtcPort: number;
  /** The nodes' folder: `media-a` and `media-b` (two machines' disks). */
  work: string;
  /** A client through nginx (wss://), from the address nginx sends to `node` (closed with the nodes). */
  connect(token: string, node: NodeName, options?: { reconnection?: boolean; polling?: boolean }): Promise<LiveClient>;
  /** One request through nginx (https), from the address nginx sends to `node`. */
  request(node: NodeName, path: string, options?: Through): Promise<Answer>;
  /** A REST client through nginx (https) from the address nginx sends to `node`; signed in with `token`. */
  api(node: NodeName, token?: string): Api;
  /** The node that answered a GET of `path` through nginx from `from`'s address (by nginx's access log). */
  answeredBy(from: NodeName, path?: string): Promise<NodeName | undefined>;
  /** The node nginx sends a client at this address to (a browser's is 127.0.0.1). */
  nodeFor(address: string): Promise<NodeName | undefined>;
  /**
   * Starts the node again, same port and settings, and waits until nginx sends its clients to it again
   * (nginx skips a node that failed for the shipped config's `fail_timeout`), as an operator would.
   */
  restart(node: NodeName): Promise<ApiNode>;
  /** SIGKILL, as a crashed machine dies; its FFmpegs (which outlive it) are ended at `close`. */
  kill(node: NodeName): Promise<void>;
  /** The last lines both nodes printed, for a failing test to show. */
  logs(): string;
  close(): Promise<void>;
}

/** Runs one statement on the PostgreSQL server of `url` (CREATE / DROP DATABASE). */
async function admin(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** An `Api` whose requests go through nginx from one client address, over https. */
class ApiThroughNginx extends Api {
  constructor(
    baseUrl: string,
    token: string | undefined,
    private readonly send: (path: string, options: Through) => Promise<Answer>,
  ) {
    super(baseUrl, token);
  }

  override async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult<T>> {
    const answer = await this.send(path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.bearer ? { authorization: `Bearer ${this.bearer}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = answer.body.toString('utf8');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: answer.status, body: parsed as T };
  }
}

/**
 * Node A and node B on a fresh PostgreSQL database and a Redis database of their own, built first (`tsc -b`,
 * incremental) as `npm run serve` runs them, and nginx in front with the shipped two-node config: a client
 * is pinned to a node by its address (127.0.0.x), as nginx's `hash $remote_addr` sends it, and a node that
 * is down is skipped. The nodes run as that config's header says (PUBLIC_URL nginx's https address,
 * TRUST_PROXY=loopback). `env`: settings of both nodes.
 */
export async function startTwoNodes(
  postgresUrl: string,
  redisUrl: string,
  env: Record<string, string> = {},
): Promise<TwoNodes> {
  const database = `pressroom_e2e_${randomBytes(4).toString('hex')}`;
  const work = mkdtempSync(join(tmpdir(), 'pressroom-nodes-'));
  execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-b', 'apps/api/tsconfig.app.json'], { cwd: ROOT });
  await admin(postgresUrl, `CREATE DATABASE ${database}`);
  const databaseUrl = new URL(postgresUrl);
  databaseUrl.pathname = `/${database}`;
  // A Redis database of this test's own: its registry and event holders meet no other suite's.
  const redis = new URL(redisUrl);
  redis.pathname = `/${2 + Math.floor(Math.random() * 12)}`;
  const ports: Record<NodeName, number> = { a: await freePort(), b: await freePort() };
  // nginx's https port first: the nodes' PUBLIC_URL names it.
  const httpsPort = await freePort();
  const rtcPort = 20_000 + Math.floor(Math.random() * 15_000);
  const broadcastPorts = 51_000 + 2 * Math.floor(Math.random() * 3_000);
  // The same settings for both, but PORT (and a media folder of each).
  const shared = {
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: redis.toString(),
    // Both on one machine with the same RTC_PORT: the second node's worker takes the next free port.
    RTC_PORT: String(rtcPort),
    BROADCAST_MIN_PORT: String(broadcastPorts),
    BROADCAST_MAX_PORT: String(broadcastPorts + 79),
    TRUST_PROXY: 'loopback',
    PUBLIC_URL: `https://127.0.0.1:${httpsPort}`,
    ...env,
  };
  const start = (node: NodeName) => startApiNode(ports[node], { ...shared, MEDIA_DIR: join(work, `media-${node}`) });
  const clients: LiveClient[] = [];
  const orphans: number[] = [];
  let nginx: TwoNodesNginx | undefined;
  const nodes: Partial<Record<NodeName, ApiNode>> = {};
  const close = async () => {
    for (const client of clients) client.close();
    await nginx?.stop();
    await nodes.b?.stop();
    await nodes.a?.stop();
    for (const pid of orphans) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    await admin(postgresUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await removeDir(work);
  };
  try {
    // One after the other: the first runs the migrations.
    nodes.a = await start('a');
    nodes.b = await start('b');
    nginx = await startDeployedTwoNodesNginx([nodes.a.url, nodes.b.url], httpsPort);
    const proxy = nginx;
    const from = (address: string, path: string, options: Through = {}) =>
      requestVia(proxy.url + path, { ...options, localAddress: address, ca: proxy.certificate });
    let probes = 0;
    /** The node that answered a GET of `path` from `address`, by nginx's access log (the last node it tried). */
    const answeredBy = async (address: string, path = '/health'): Promise<NodeName | undefined> => {
      const probe = `${path}${path.includes('?') ? '&' : '?'}probe=${++probes}`;
      const answer = await from(address, probe);
      if (answer.status >= 500) return undefined;
      // nginx writes the line as it finishes the request: maybe just after the client has the answer.
      const line = await waitFor(
        async () => proxy.accessLog().find((entry) => entry.endsWith(`|GET ${probe} HTTP/1.1`)),
        5_000,
        20,
      );
      const tried = line.split('|')[1]!.split(', ');
      const last = tried[tried.length - 1];
      return last === `127.0.0.1:${ports.a}` ? 'a' : last === `127.0.0.1:${ports.b}` ? 'b' : undefined;
    };
    const pin = { a: '', b: '' };
    for (let i = 2; (!pin.a || !pin.b) && i < 60; i++) {
      const node = await answeredBy(`127.0.0.${i}`);
      if (node) pin[node] ||= `127.0.0.${i}`;
    }
    if (!pin.a || !pin.b) throw new Error(`nginx's hash sent 58 addresses to one node only: ${JSON.stringify(pin)}`);
    const twoNodes: TwoNodes = {
      a: nodes.a,
      b: nodes.b,
      nginx,
      pin,
      rtcPort,
      work,
      async connect(token, node, options = {}) {
        const client = await LiveClient.connect(proxy.url, token, {
          localAddress: pin[node],
          ca: proxy.certificate,
          reconnection: options.reconnection ?? false,
          polling: options.polling ?? false,
        });
        clients.push(client);
        return client;
      },
      request: (node, path, options) => from(pin[node], path, options),
      api: (node, token) => new ApiThroughNginx(proxy.url, token, (path, options) => from(pin[node], path, options)),
      answeredBy: (node, path) => answeredBy(pin[node], path),
      nodeFor: (address) => answeredBy(address),
      async restart(node) {
        nodes[node] = twoNodes[node] = await start(node);
        await waitFor(async () => ((await answeredBy(pin[node])) === node ? true : undefined), 60_000, 250).catch(
          () => {
            throw new Error(`nginx did not send node ${node.toUpperCase()}'s clients to it again within 60 s`);
          },
        );
        return twoNodes[node];
      },
      async kill(node) {
        orphans.push(...ffmpegChildrenOf(twoNodes[node].pid));
        await twoNodes[node].kill();
      },
      logs: () => `node A:\n${twoNodes.a.output().slice(-20_000)}\nnode B:\n${twoNodes.b.output().slice(-20_000)}\n`,
      close,
    };
    return twoNodes;
  } catch (error) {
    await close();
    throw error;
  }
}
