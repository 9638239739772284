import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpErrorBody } from '@pressroom/protocol';
import { Api } from './harness/api';
import { LiveClient } from './harness/live-client';
import { inBatches, requestFrom, startNginx, type Nginx } from './harness/nginx';
import { ADMIN, freePort, startServer, type TestServer } from './harness/server';

/** 127.0.0.2 … 127.0.0.201: two hundred clients, each from its own address. */
const DISTINCT_CLIENTS = Array.from({ length: 200 }, (_, i) => `127.0.0.${i + 2}`);

async function joins(from: string[], url: string, slug: string, headers?: (i: number) => Record<string, string>) {
  const results = await inBatches(
    from.map((address, i) => ({ address, i })),
    10,
    ({ address, i }) => requestFrom(address, `${url}/api/events/${slug}/join`, 'POST', {}, headers?.(i)),
  );
  return results.map((result) => result.status);
}
const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

describe('behind a real nginx with TRUST_PROXY=loopback', () => {
  let server: TestServer;
  let nginx: Nginx;
  let slug: string;
  let token: string;

  beforeAll(async () => {
    server = await startServer({
      TRUST_PROXY: 'loopback',
      JOIN_RATE_LIMIT_PER_MINUTE: '120',
      LIVE_CONNECTIONS_PER_ADDRESS: '2',
    });
    nginx = await startNginx(server.url);
    slug = (await (await Api.asModerator(server.url)).createEvent()).slug;
    token = (await new Api(server.url).join(slug)).accessToken;
  });
  afterAll(async () => {
    await nginx?.stop();
    await server?.close();
  });

  it('200 audience joins from 200 addresses all get in; 200 from one address are limited at 120', async () => {
    const distinct = await joins(DISTINCT_CLIENTS, nginx.url, slug);
    expect(count(distinct, 200)).toBe(200);

    const oneAddress = await joins(Array<string>(200).fill('127.0.0.250'), nginx.url, slug);
    expect(count(oneAddress, 200)).toBe(120);
    expect(count(oneAddress, 429)).toBe(80);
  });

  it('live connections are capped per client address, not for everyone behind the proxy', async () => {
    const first = await LiveClient.connect(nginx.url, token, { localAddress: '127.0.0.20' });
    const second = await LiveClient.connect(nginx.url, token, { localAddress: '127.0.0.20' });
    const refused = await LiveClient.connect(nginx.url, token, { localAddress: '127.0.0.20' }).then(
      () => null,
      (error: Error & { data?: { code: string } }) => error,
    );
    expect(refused?.message).toMatch(/Too many live connections from your network address \(2\)/);
    expect(refused?.data?.code).toBe('rate_limited');

    const neighbour = await LiveClient.connect(nginx.url, token, { localAddress: '127.0.0.21' });
    first.close();
    // Its place is free again once the server has seen it go.
    const deadline = Date.now() + 5000;
    let again: LiveClient | undefined;
    while (!again) {
      again = await LiveClient.connect(nginx.url, token, { localAddress: '127.0.0.20' }).catch(async (error: Error) => {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
        return undefined;
      });
    }
    for (const client of [second, neighbour, again]) client.close();
  });
});

describe('with TRUST_PROXY unset (the default)', () => {
  let server: TestServer;
  let slug: string;
  let token: string;

  beforeAll(async () => {
    server = await startServer({ JOIN_RATE_LIMIT_PER_MINUTE: '120', LIVE_CONNECTIONS_PER_ADDRESS: '2' });
    slug = (await (await Api.asModerator(server.url)).createEvent()).slug;
    token = (await new Api(server.url).join(slug)).accessToken;
  });
  afterAll(() => server?.close());

  it('a client sending spoofed X-Forwarded-For addresses does not escape the join limit', async () => {
    // One join went to the token of the next test already.
    const statuses = await joins(Array<string>(199).fill('127.0.0.1'), server.url, slug, (i) => ({
      'x-forwarded-for': `203.0.113.${i % 250}`,
    }));
    expect(count(statuses, 200)).toBe(119);
    expect(count(statuses, 429)).toBe(80);
  });

  it('nor the live connection cap', async () => {
    const spoofing = (i: number) => ({ extraHeaders: { 'x-forwarded-for': `203.0.113.${i}` } });
    const open = [await LiveClient.connect(server.url, token, spoofing(1))];
    open.push(await LiveClient.connect(server.url, token, spoofing(2)));
    await expect(LiveClient.connect(server.url, token, spoofing(3))).rejects.toThrow(/Too many live connections/);
    for (const client of open) client.close();
  });
});

describe('request logs', () => {
  it('carry the client address by the same trust rule as the limits', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pressroom-log-'));
    const port = await freePort();
    // The real entry point, as `npm start` runs it, with its logs on stdout.
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'apps/api/src/main.ts'], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: `sqlite:${join(dataDir, 'pressroom.sqlite')}`,
        MEDIA_DIR: join(dataDir, 'media'),
        MEDIASOUP_WORKERS: '1',
        RTC_PORT: '0',
        PRESSROOM_ADMIN_EMAIL: ADMIN.email,
        PRESSROOM_ADMIN_PASSWORD: ADMIN.password,
        LOG_LEVEL: 'info',
        TRUST_PROXY: 'loopback',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const url = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 60_000;
      while (
        !(await fetch(`${url}/health`).then(
          (r) => r.ok,
          () => false,
        ))
      ) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await fetch(`${url}/api/events/no-such-event?invite=secret`, { headers: { 'x-forwarded-for': '203.0.113.77' } });
      const logged = () =>
        output
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as { req?: Record<string, string>; res?: { statusCode: number } })
          .find((entry) => entry.req?.path === '/api/events/no-such-event');
      while (!logged() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(logged()).toMatchObject({
        req: { method: 'GET', path: '/api/events/no-such-event', address: '203.0.113.77' },
        res: { statusCode: 404 },
      });
      expect(output).not.toContain('secret');
    } finally {
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

/** Set by `.ci/run` when a Redis server is reachable (`bash scripts/ci-redis.sh` starts one). */
const redisUrl = process.env.PRESSROOM_TEST_REDIS_URL;

(redisUrl ? describe : describe.skip)('two API nodes on one Redis share the login, join and chat limits', () => {
  let nodeA: TestServer;
  let nodeB: TestServer;

  beforeAll(async () => {
    // Behind one (simulated) proxy, so each run of this test is a new client for Redis's counters.
    const env = {
      REDIS_URL: redisUrl!,
      TRUST_PROXY: 'loopback',
      LOGIN_RATE_LIMIT_PER_MINUTE: '6',
      CHAT_RATE_LIMIT: '3',
    };
    nodeA = await startServer({ ...env, JOIN_RATE_LIMIT_PER_MINUTE: '6' });
    nodeB = await startServer({
      ...env,
      JOIN_RATE_LIMIT_PER_MINUTE: '6',
      DATABASE_URL: `sqlite:${join(nodeA.dataDir, 'pressroom.sqlite')}`,
    });
  });
  afterAll(async () => {
    await nodeB?.close();
    await nodeA?.close();
  });

  /** A fresh client each call (IPv6 clients are counted per /56 network, so the network differs). */
  const client = () => ({ 'x-forwarded-for': `2001:db8:${randomBytes(2).toString('hex')}::1` });

  it('login attempts on either node count against one limit per client address', async () => {
    const headers = client();
    const wrong = { email: ADMIN.email, password: 'not the password' };
    const attempt = (node: TestServer) => new Api(node.url).request('POST', '/api/auth/login', wrong, headers);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await attempt(nodeA)).status, (await attempt(nodeB)).status);
    expect(statuses).toEqual(Array(6).fill(401));
    const limited = await attempt(nodeA);
    expect(limited.status).toBe(429);
    expect((limited.body as HttpErrorBody).error).toBe('rate_limited');
    expect((await attempt(nodeB)).status).toBe(429);
    // Another client is not affected.
    expect((await new Api(nodeB.url).request('POST', '/api/auth/login', wrong, client())).status).toBe(401);
  });

  it('audience joins on either node count against one limit per client address', async () => {
    const { slug } = await (await Api.asModerator(nodeA.url)).createEvent();
    const headers = client();
    const join = (node: TestServer) => new Api(node.url).request('POST', `/api/events/${slug}/join`, {}, headers);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await join(nodeA)).status, (await join(nodeB)).status);
    expect(statuses).toEqual(Array(6).fill(200));
    expect((await join(nodeB)).status).toBe(429);
    expect((await join(nodeA)).status).toBe(429);
  });

  it("one person's chat messages count against one limit, whichever node their tabs reach", async () => {
    const { slug } = await (await Api.asModerator(nodeA.url)).createEvent();
    const { accessToken } = await new Api(nodeA.url).join(slug, { name: 'Ana García', outlet: 'El País' });
    const tabA = await LiveClient.connect(nodeA.url, accessToken);
    const tabB = await LiveClient.connect(nodeB.url, accessToken);
    const replies = [];
    for (const [tab, text] of [
      [tabA, 'one'],
      [tabB, 'two'],
      [tabA, 'three'],
      [tabB, 'four'],
    ] as const) {
      replies.push(await tab.send('chat:send', { text }));
    }
    expect(replies.map((reply) => reply.ok)).toEqual([true, true, true, false]);
    expect(replies[3]).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    tabA.close();
    tabB.close();
  });
});
