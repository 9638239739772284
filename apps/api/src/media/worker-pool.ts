import { Logger } from '@nestjs/common';
import type { types } from 'mediasoup';
import { availableParallelism } from 'node:os';
import type { Environment } from '../config/environment';
import { AppError } from '../common/app-error';
import { loadMediasoup } from './mediasoup-loader';
import { webRtcListen, type WebRtcListen } from './webrtc-listen';

type Mediasoup = Awaited<ReturnType<typeof loadMediasoup>>;

const RESPAWN_DELAY_MS = 500;
/**
 * How far above its own place a worker looks for a free WebRTC port: a second API node on the same machine
 * (or anything else) holding RTC_PORT + i makes this node's worker take the next free port.
 */
export const RTC_PORT_SEARCH = 64;

/** Where a worker's WebRTC server listens: the port of its slot (RTC_PORT + slot), or any free one. */
interface WebRtcPorts {
  listen: WebRtcListen;
  /** RTC_PORT; 0 lets each worker take free ports of its range (then UDP and TCP differ). */
  firstPort: number;
}

/**
 * The mediasoup worker processes, each with a WebRTC server: every studio transport of a worker shares
 * its one UDP and one TCP port (worker i on RTC_PORT + i, or the next free port above it when another API node
 * on this machine holds that one), so a firewall opens only those. A worker that
 * dies is replaced in its slot, on the same port. Nothing is moved onto the replacement: the routers of a
 * dead worker close with it, their owners (studio rooms) close and tell their clients, and the next room
 * is created on a live worker by `next()`.
 */
export class WorkerPool {
  private readonly logger = new Logger(WorkerPool.name);
  private readonly webRtcServers = new Map<types.Worker, types.WebRtcServer>();
  /** The WebRTC port each slot took (a replacement worker takes it again). */
  private readonly slotPorts = new Map<number, number>();
  private nextIndex = 0;
  private closed = false;

  private constructor(
    private readonly mediasoup: Mediasoup,
    private readonly settings: types.WorkerSettings,
    private readonly ports: WebRtcPorts,
    private readonly workers: types.Worker[],
  ) {}

  static async create(environment: Environment): Promise<WorkerPool> {
    const mediasoup = await loadMediasoup(environment);
    const count = environment.MEDIASOUP_WORKERS || availableParallelism();
    const firstPort = environment.RTC_PORT;
    if (firstPort > 0 && firstPort + count - 1 > 65535) {
      throw new Error(
        `RTC_PORT ${firstPort} leaves no port for worker ${count - 1} (RTC_PORT + worker must be ≤ 65535)`,
      );
    }
    const settings: types.WorkerSettings = {
      logLevel: 'warn',
      rtcMinPort: environment.RTC_MIN_PORT,
      rtcMaxPort: environment.RTC_MAX_PORT,
    };
    const pool = new WorkerPool(mediasoup, settings, { listen: webRtcListen(environment), firstPort }, []);
    try {
      for (let slot = 0; slot < count; slot++) pool.workers.push(await pool.start(slot));
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  /** Round-robin over the live workers (a dead one is skipped until its replacement is up). */
  next(): types.Worker {
    for (let tries = 0; tries < this.workers.length; tries++) {
      const worker = this.workers[this.nextIndex++ % this.workers.length]!;
      if (!worker.died) return worker;
    }
    throw new AppError('internal', 'No media worker is running');
  }

  /** The WebRTC server of a worker of this pool: its studio transports listen on it. */
  webRtcServerOf(worker: types.Worker): types.WebRtcServer {
    const server = this.webRtcServers.get(worker);
    if (!server) throw new AppError('internal', 'This media worker has no WebRTC server');
    return server;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const worker of this.workers) worker.close();
  }

  /** A worker and its WebRTC server on the slot's UDP and TCP port; a port in use fails with a clear message. */
  private async start(slot: number): Promise<types.Worker> {
    const worker = await this.mediasoup.createWorker(this.settings);
    const { listen, firstPort } = this.ports;
    // The slot's own port first (RTC_PORT + slot), then upwards past ports taken by other nodes on this machine.
    const taken = new Set([...this.slotPorts].filter(([other]) => other !== slot).map(([, port]) => port));
    const candidates =
      firstPort === 0
        ? [undefined]
        : this.slotPorts.has(slot)
          ? [this.slotPorts.get(slot)!]
          : Array.from({ length: RTC_PORT_SEARCH }, (_, i) => firstPort + slot + i).filter(
              (port) => port <= 65535 && !taken.has(port),
            );
    let lastError: unknown;
    for (const port of candidates) {
      try {
        const server = await worker.createWebRtcServer({
          listenInfos: (['udp', 'tcp'] as const).map((protocol) => ({ protocol, ...listen, port })),
        });
        this.webRtcServers.set(worker, server);
        if (port !== undefined) this.slotPorts.set(slot, port);
        if (port !== undefined && port !== firstPort + slot)
          this.logger.log(`WebRTC port ${firstPort + slot} is taken: media worker ${slot} listens on ${port}`);
        lastError = undefined;
        break;
      } catch (error) {
        lastError = error;
      }
    }
    if (lastError !== undefined || candidates.length === 0) {
      worker.close();
      const where =
        firstPort > 0
          ? `any port of ${candidates[0]}…${candidates[candidates.length - 1]} (UDP and TCP) on ${listen.ip}`
          : `a free port of RTC_MIN_PORT…RTC_MAX_PORT`;
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      throw new Error(`The media worker cannot listen for WebRTC on ${where}: ${reason}. Is RTC_PORT taken?`);
    }
    worker.observer.once('close', () => this.webRtcServers.delete(worker));
    this.watch(worker, slot);
    return worker;
  }

  private watch(worker: types.Worker, slot: number): void {
    worker.on('died', (error) => {
      this.logger.error(`mediasoup worker ${worker.pid} died (${error.message}); respawning`);
      setTimeout(() => void this.respawn(worker, slot), RESPAWN_DELAY_MS);
    });
  }

  /** The workers in their slots (a dead one stays listed until its replacement is up). */
  list(): readonly types.Worker[] {
    return [...this.workers];
  }

  private async respawn(died: types.Worker, slot: number): Promise<void> {
    if (this.closed) return;
    try {
      const replacement = await this.start(slot);
      if (this.closed) return replacement.close();
      this.workers[slot] = replacement;
      this.logger.log(`mediasoup worker ${died.pid} replaced by ${replacement.pid}`);
    } catch (error) {
      this.logger.error(`respawning a mediasoup worker failed: ${error instanceof Error ? error.message : error}`);
      setTimeout(() => void this.respawn(died, slot), RESPAWN_DELAY_MS * 4);
    }
  }
}
