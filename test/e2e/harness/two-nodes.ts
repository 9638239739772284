import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startApiNode, type ApiNode } from './api-node';
import { LiveClient } from './live-client';
import { startNginxSite, type Nginx } from './nginx';
import { ffmpegChildrenOf } from './processes';
import { freePort } from './server';

const ROOT = join(__dirname, '../../..');

type NodeName = 'a' | 'b';

/** Two API nodes (their own processes) behind nginx on one PostgreSQL database and one Redis database. */
export interface TwoNodes {
  /** Node A (started first: it ran the migrations) and node B; `restart` replaces them. */
  a: ApiNode;
  b: ApiNode;
  nginx: Nginx;
  /** X-Pin header values that nginx's upstream hash sends to node A and to node B. */
  pin: Record<NodeName, string>;
  /** The RTC_PORT of both: node A's worker listens on it, node B's (started second) on the next free one. */
  rtcPort: number;
  /** The nodes' folder: `media-a` and `media-b` (two machines' disks). */
  work: string;
  /** A client through nginx, pinned to a node (closed with the nodes). */
  connect(token: string, node: NodeName, options?: { reconnection?: boolean }): Promise<LiveClient>;
  /** Starts the node again, same port and settings. */
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

/**
 * Node A and node B on a fresh PostgreSQL database and a Redis database of their own, built first (`tsc -b`,
 * incremental) as `npm run serve` runs them, and nginx in front: a client is pinned to a node by its X-Pin
 * header, and a node that is down is skipped (as a load balancer does). `env`: settings of both nodes.
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
    ...env,
  };
  const start = (node: NodeName) => startApiNode(ports[node], { ...shared, MEDIA_DIR: join(work, `media-${node}`) });
  const clients: LiveClient[] = [];
  const orphans: number[] = [];
  let nginx: Nginx | undefined;
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
    rmSync(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
  try {
    // One after the other: the first runs the migrations.
    nodes.a = await start('a');
    nodes.b = await start('b');
    nginx = await startNginxSite(
      (port) => `map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream pressroom {
    # The test pins a client to a node by its X-Pin header; a node that is down is skipped.
    hash $http_x_pin;
    server 127.0.0.1:${ports.a} max_fails=1 fail_timeout=2s;
    server 127.0.0.1:${ports.b} max_fails=1 fail_timeout=2s;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://pressroom;
      proxy_http_version 1.1;
      proxy_connect_timeout 2s;
      proxy_next_upstream error timeout;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_read_timeout 3600s;
      add_header X-Upstream $upstream_addr always;
    }
  }`,
    );
    const pin = { a: '', b: '' };
    for (let i = 0; (!pin.a || !pin.b) && i < 50; i++) {
      const response = await fetch(`${nginx.url}/health`, { headers: { 'x-pin': `p${i}` } });
      const upstream = response.headers.get('x-upstream');
      if (upstream === `127.0.0.1:${ports.a}`) pin.a ||= `p${i}`;
      if (upstream === `127.0.0.1:${ports.b}`) pin.b ||= `p${i}`;
    }
    if (!pin.a || !pin.b) throw new Error(`nginx's hash sent 50 pins to one node only: ${JSON.stringify(pin)}`);
    const twoNodes: TwoNodes = {
      a: nodes.a,
      b: nodes.b,
      nginx,
      pin,
      rtcPort,
      work,
      async connect(token, node, options = {}) {
        const client = await LiveClient.connect(nginx!.url, token, {
          extraHeaders: { 'x-pin': pin[node] },
          reconnection: options.reconnection ?? false,
        });
        clients.push(client);
        return client;
      },
      async restart(node) {
        nodes[node] = twoNodes[node] = await start(node);
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
