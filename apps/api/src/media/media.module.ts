import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Environment } from '../config/environment';
import { WorkerPool } from './worker-pool';

/** The mediasoup workers every studio room runs on. */
@Module({
  providers: [{ provide: WorkerPool, inject: [Environment], useFactory: (env: Environment) => WorkerPool.create(env) }],
  exports: [WorkerPool],
})
export class MediaModule implements OnApplicationShutdown {
  constructor(private readonly moduleRef: ModuleRef) {}

  onApplicationShutdown(): void {
    this.moduleRef.get(WorkerPool).close();
  }
}
