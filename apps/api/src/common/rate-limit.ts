import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { ErrorCode } from '@pressroom/protocol';
import { AppError } from './app-error';

export const perWindow = (points: number, seconds: number) => new RateLimiterMemory({ points, duration: seconds });

/** Takes one point for `key`, or throws an `AppError` telling when to try again. */
export async function consumeOrThrow(
  limiter: RateLimiterMemory,
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
