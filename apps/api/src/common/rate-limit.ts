import { Global, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { ErrorCode } from '@pressroom/protocol';
import { Environment } from '../config/environment';
import { AppError } from './app-error';

/**
 * Rate limiters for the conversation (chat, slow mode, questions). With REDIS_URL every API node counts
 * in the same Redis, so a person with two tabs on two nodes gets no more; if Redis is unreachable, each
 * node falls back to counting on its own rather than refusing everyone.
 */
@Injectable()
export class RateLimits implements OnModuleDestroy {
  private readonly redis?: Redis;

  constructor(environment: Environment) {
    if (environment.REDIS_URL) this.redis = new Redis(environment.REDIS_URL, { enableOfflineQueue: false });
  }

  /** `points` per `seconds` for each key; `name` keeps this limit's keys apart in Redis. */
  perWindow(name: string, points: number, seconds: number): RateLimiterAbstract {
    const memory = new RateLimiterMemory({ points, duration: seconds });
    if (!this.redis) return memory;
    return new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix: `pressroom:limit:${name}`,
      points,
      duration: seconds,
      insuranceLimiter: memory,
    });
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }
}

@Global()
@Module({ providers: [RateLimits], exports: [RateLimits] })
export class RateLimitsModule {}

/** Takes one point for `key`, or throws an `AppError` telling when to try again. */
export async function consumeOrThrow(
  limiter: RateLimiterAbstract,
  key: string,
  code: Extract<ErrorCode, 'rate_limited' | 'slow_mode'>,
  message: string,
): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw new AppError(code, message, Math.max(1, rejection.msBeforeNext));
    throw rejection;
  }
}
