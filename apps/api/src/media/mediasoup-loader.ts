import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Environment } from '../config/environment';

type Mediasoup = typeof import('mediasoup');

/** The worker `scripts/setup/mediasoup-worker.sh` built: cached outside node_modules, keyed by version. */
export function workerBinaryPath(environment: Environment, version: string): string {
  if (environment.MEDIASOUP_WORKER_BIN) return environment.MEDIASOUP_WORKER_BIN;
  const cache = environment.PRESSROOM_CACHE_DIR ?? join(homedir(), '.cache', 'pressroom');
  return join(cache, 'mediasoup-worker', version, 'mediasoup-worker');
}

/**
 * Loads mediasoup pointed at our worker binary: mediasoup reads MEDIASOUP_WORKER_BIN once, when the
 * module is first loaded, so it is set just before.
 */
export async function loadMediasoup(environment: Environment): Promise<Mediasoup> {
  const { version } = (await import('mediasoup/package.json')) as { version: string };
  const binary = workerBinaryPath(environment, version);
  if (!existsSync(binary)) {
    throw new Error(`mediasoup worker ${version} not found at ${binary}: run "npm run setup" to build it`);
  }
  process.env.MEDIASOUP_WORKER_BIN = binary;
  return import('mediasoup');
}
