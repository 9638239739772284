import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server';

/** Debian's coturn (`scripts/setup.sh --with-test-tools`). */
const TURNSERVER = existsSync('/usr/bin/turnserver') ? '/usr/bin/turnserver' : 'turnserver';

/** The ports coturn relays from: away from the media workers' range (40100…49999), to tell relayed media apart. */
export const TURN_RELAY_PORTS = { min: 36_000, max: 36_999 };

export interface Coturn {
  /** `turn:127.0.0.1:<port>?transport=udp`: for TURN_URLS. */
  url: string;
  /** Its `static-auth-secret`: for TURN_SECRET. */
  secret: string;
  /** What coturn logged so far (allocations, permissions, its refusals). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Debian's coturn as a TURN server on 127.0.0.1, run by the test as its own process on a free port with a
 * config of its own in a temporary directory: the TURN REST scheme (`use-auth-secret`) with a fresh secret,
 * no TLS, no CLI. Peers on loopback must be allowed explicitly (`allow-loopback-peers`, testing only): the
 * media server the browser reaches through it is on 127.0.0.1.
 */
export async function startCoturn(): Promise<Coturn> {
  const dir = mkdtempSync(join(tmpdir(), 'pressroom-coturn-'));
  const port = await freePort();
  const secret = randomBytes(24).toString('hex');
  const logFile = join(dir, 'turnserver.log');
  const config = join(dir, 'turnserver.conf');
  writeFileSync(
    config,
    [
      `listening-ip=127.0.0.1`,
      `relay-ip=127.0.0.1`,
      `listening-port=${port}`,
      `min-port=${TURN_RELAY_PORTS.min}`,
      `max-port=${TURN_RELAY_PORTS.max}`,
      `use-auth-secret`,
      `static-auth-secret=${secret}`,
      `realm=pressroom.test`,
      `fingerprint`,
      `no-tls`,
      `no-dtls`,
      `no-cli`,
      `allow-loopback-peers`,
      `no-multicast-peers`,
      `userdb=${join(dir, 'turndb')}`,
      `pidfile=${join(dir, 'turnserver.pid')}`,
      `log-file=${logFile}`,
      `simple-log`,
      `verbose`,
      '',
    ].join('\n'),
  );
  const child = spawn(TURNSERVER, ['-c', config, '--no-stdout-log'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.once('error', (error) => (stderr += error.message));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');

  // coturn listens on TCP and UDP on the same port: TCP accepting means it is up.
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      const output = `${stderr}\n${log()}`;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`coturn did not start: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    secret,
    log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
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
