import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { createApp } from '../../../apps/api/src/app.factory';
import { ModeratorsService } from '../../../apps/api/src/auth/moderators.service';
import { validateEnvironment } from '../../../apps/api/src/config/environment';
import { removeDir } from './disk-scan';

export const ADMIN = { email: 'moderator@example.org', password: 'correct horse battery' };

export interface TestServer {
  url: string;
  app: INestApplication;
  dataDir: string;
  /** Stops the server and starts a new one on the same database file and port. */
  restart(): Promise<void>;
  /** Stops the server (its files stay, for the test to look at). */
  stop(): Promise<void>;
  /** Stops the server and deletes its files. */
  close(): Promise<void>;
}

/** A port nobody listens on now: for a server that must know its address before it starts (PUBLIC_URL). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * A real Pressroom API on 127.0.0.1 with a fresh SQLite file. `env` overrides the test defaults
 * (silent logs, generous flood guard) with any variable of `Environment`.
 */
export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pressroom-test-'));
  const environment = validateEnvironment({
    DATABASE_URL: `sqlite:${join(dataDir, 'pressroom.sqlite')}`,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.PRESSROOM_TEST_LOG_LEVEL ?? 'silent', // e.g. warn, to see a failing test's server
    PRESSROOM_ADMIN_EMAIL: ADMIN.email,
    PRESSROOM_ADMIN_PASSWORD: ADMIN.password,
    SOCKET_MESSAGES_PER_SECOND: '1000',
    MEDIASOUP_WORKERS: '1',
    RTC_LISTEN_IP: '127.0.0.1',
    // Any free WebRTC port: tests run side by side, and a fixed RTC_PORT would collide.
    RTC_PORT: '0',
    MEDIA_DIR: join(dataDir, 'media'),
    JOIN_RATE_LIMIT_PER_MINUTE: '10000',
    ...env,
  });

  const boot = async (port: number) => {
    const app = await createApp(environment);
    await app.get(ModeratorsService).ensureFirstModerator();
    await app.listen(port, '127.0.0.1');
    return app;
  };

  let app = await boot(environment.PORT);
  const port = (app.getHttpServer().address() as AddressInfo).port;
  let running = true;
  // Idle keep-alive connections of the test's fetch calls would otherwise keep Jest waiting.
  const stop = async () => {
    if (!running) return;
    running = false;
    app.getHttpServer().closeAllConnections();
    await app.close();
  };
  const server: TestServer = {
    url: `http://127.0.0.1:${port}`,
    app,
    dataDir,
    async restart() {
      await stop();
      app = await boot(port);
      running = true;
      server.app = app;
    },
    stop,
    async close() {
      await stop();
      await removeDir(dataDir);
    },
  };
  return server;
}
