import { DynamicModule, Global, Module } from '@nestjs/common';
import { Environment } from './environment';

/** Provides the validated `Environment` that `main.ts` (or a test) read once. */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(environment: Environment): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [{ provide: Environment, useValue: environment }],
      exports: [Environment],
    };
  }
}
