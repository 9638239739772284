import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { EventDetails } from '@pressroom/protocol';
import { Api } from './harness/api';
import { ADMIN, freePort } from './harness/server';

const MAIN = resolve(__dirname, '../../dist/api/main.js');

interface Running {
  url: string;
  /** What the welcome calls it (PUBLIC_URL unset: http://localhost:PORT). */
  publicUrl: string;
  output(): string;
  stop(): Promise<void>;
}

/** What `npm run serve` starts after set-up (`npm start` adds `--demo`): the built server, its stdout a pipe. */
async function serve(dataDir: string, args: string[], env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [MAIN, ...args], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dataDir, 'pressroom.sqlite')}`,
      MEDIA_DIR: join(dataDir, 'media'),
      MEDIASOUP_WORKERS: '1',
      RTC_PORT: '0',
      PRESSROOM_ADMIN_EMAIL: ADMIN.email,
      PRESSROOM_ADMIN_PASSWORD: ADMIN.password,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  // The welcome text comes after the demo event (if any) is made: then the server is fully up.
  while (!stdout.includes('Pressroom is running')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start: ${stdout} ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    publicUrl: `http://localhost:${port}`,
    output: () => stdout,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');
const isWelcome = (line: string) => line.startsWith('Pressroom is running') || line.startsWith('  ');

describe('the production start (`npm run serve`): no demo event, logs for a terminal or a collector', () => {
  let dataDir: string;

  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error('dist/api/main.js is missing: run "bash scripts/setup.sh" first');
    dataDir = mkdtempSync(join(tmpdir(), 'pressroom-serve-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('without --demo creates no event and says nothing of one; its output is JSON lines when stdout is not a terminal', async () => {
    const server = await serve(dataDir, []);
    try {
      const api = await Api.asModerator(server.url);
      await fetch(`${server.url}/api/events/demo`);
      // The request log of that fetch is written as the response ends.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await api.request<EventDetails[]>('GET', '/api/events')).body).toEqual([]);
      expect((await api.request('GET', '/api/events/demo')).status).toBe(404);

      // Every line is JSON, the welcome too: a log collector reads them all.
      const entries = lines(server.output()).map((line) => JSON.parse(line) as Record<string, unknown>);
      const welcome = entries.find((entry) => String(entry.msg).startsWith('Pressroom is running at'));
      expect(welcome).toMatchObject({ level: 30, console: `${server.publicUrl}/console`, moderator: ADMIN.email });
      expect(welcome).not.toHaveProperty('demoEvent');
      expect(entries).toContainEqual(
        expect.objectContaining({ req: expect.objectContaining({ path: '/api/events/demo' }) }),
      );
    } finally {
      await server.stop();
    }
  }, 90_000);

  it('with LOG_FORMAT=pretty writes one readable line per entry and the welcome as text instead', async () => {
    const server = await serve(dataDir, [], { LOG_FORMAT: 'pretty' });
    try {
      await fetch(`${server.url}/api/events/demo`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const output = lines(server.output());
      expect(output).toContain(`  Console:         ${server.publicUrl}/console`);
      expect(output.join('\n')).not.toContain('Demo event');
      const logs = output.filter((line) => !isWelcome(line));
      expect(logs.length).toBeGreaterThan(0);
      for (const line of logs) expect(line).not.toMatch(/^\{/);
      expect(logs.join('\n')).toMatch(/^\[\d\d:\d\d:\d\d\] INFO/m);
      expect(logs.join('\n')).toContain('/api/events/demo');
    } finally {
      await server.stop();
    }
  }, 90_000);

  it('`npm start` (--demo) on the same database adds the demo event', async () => {
    const server = await serve(dataDir, ['--demo']);
    try {
      const api = await Api.asModerator(server.url);
      const events = (await api.request<EventDetails[]>('GET', '/api/events')).body;
      expect(events.map((event) => event.slug)).toEqual(['demo']);
      expect(server.output()).toContain(`"demoEvent":"${server.publicUrl}/demo"`);
    } finally {
      await server.stop();
    }
  }, 90_000);

  it('refuses an unknown LOG_FORMAT with a clear message', async () => {
    await expect(serve(dataDir, [], { LOG_FORMAT: 'xml' })).rejects.toThrow(/LOG_FORMAT must be one of/);
  }, 30_000);
});
