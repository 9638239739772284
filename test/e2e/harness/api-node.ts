import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ADMIN } from './server';

const ROOT = join(__dirname, '../../..');

/** A Pressroom API as its own process (`node dist/api/main.js`, as `npm run serve` runs it), which a test may kill. */
export interface ApiNode {
  url: string;
  pid: number;
  /** What it printed (its log lines), for a failing test to show. */
  output(): string;
  /** SIGKILL: the node dies as a crashed machine would, telling nobody. */
  kill(): Promise<void>;
  /** SIGTERM, waited for. */
  stop(): Promise<void>;
}

/** Starts the built API (`npm run build` or `tsc -b apps/api/tsconfig.app.json` first) and waits for /health. */
export async function startApiNode(port: number, env: Record<string, string>): Promise<ApiNode> {
  const child = spawn(process.execPath, [join(ROOT, 'dist/api/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      ...(process.env.PRESSROOM_CACHE_DIR ? { PRESSROOM_CACHE_DIR: process.env.PRESSROOM_CACHE_DIR } : {}),
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      PRESSROOM_ADMIN_EMAIL: ADMIN.email,
      PRESSROOM_ADMIN_PASSWORD: ADMIN.password,
      SOCKET_MESSAGES_PER_SECOND: '1000',
      JOIN_RATE_LIMIT_PER_MINUTE: '10000',
      MEDIASOUP_WORKERS: '1',
      RTC_LISTEN_IP: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API on port ${port} exited: ${output}`);
    const healthy = await fetch(`${url}/health`)
      .then((response) => response.ok)
      .catch(() => false);
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the API on port ${port} did not start: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return { url, pid: child.pid!, output: () => output, kill: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}
