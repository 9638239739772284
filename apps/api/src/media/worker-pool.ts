import { Logger } from '@nestjs/common';
import type { types } from 'mediasoup';
import { availableParallelism } from 'node:os';
import type { Environment } from '../config/environment';
import { AppError } from '../common/app-error';
import { loadMediasoup } from './mediasoup-loader';

type Mediasoup = Awaited<ReturnType<typeof loadMediasoup>>;

const RESPAWN_DELAY_MS = 500;

/**
 * The mediasoup worker processes. A worker that dies is replaced in its slot. Nothing is moved onto the
 * replacement: the routers of a dead worker close with it, their owners (studio rooms) close and tell
 * their clients, and the next room is created on a live worker by `next()`.
 */
export class WorkerPool {
  private readonly logger = new Logger(WorkerPool.name);
  private nextIndex = 0;
  private closed = false;

  private constructor(
    private readonly mediasoup: Mediasoup,
    private readonly settings: types.WorkerSettings,
    private readonly workers: types.Worker[],
  ) {}

  static async create(environment: Environment): Promise<WorkerPool> {
    const mediasoup = await loadMediasoup(environment);
    const count = environment.MEDIASOUP_WORKERS || availableParallelism();
    const settings: types.WorkerSettings = {
      logLevel: 'warn',
      rtcMinPort: environment.RTC_MIN_PORT,
      rtcMaxPort: environment.RTC_MAX_PORT,
    };
    const workers = await Promise.all(Array.from({ length: count }, () => mediasoup.createWorker(settings)));
    const pool = new WorkerPool(mediasoup, settings, workers);
    workers.forEach((worker, slot) => pool.watch(worker, slot));
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

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const worker of this.workers) worker.close();
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
      const replacement = await this.mediasoup.createWorker(this.settings);
      if (this.closed) return replacement.close();
      this.workers[slot] = replacement;
      this.watch(replacement, slot);
      this.logger.log(`mediasoup worker ${died.pid} replaced by ${replacement.pid}`);
    } catch (error) {
      this.logger.error(`respawning a mediasoup worker failed: ${error instanceof Error ? error.message : error}`);
      setTimeout(() => void this.respawn(died, slot), RESPAWN_DELAY_MS * 4);
    }
  }
}
