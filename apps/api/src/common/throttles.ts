import { applyDecorators, UseGuards } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ThrottlerGuard, ThrottlerModule, SkipThrottle } from '@nestjs/throttler';
import { Environment } from '../config/environment';

const MINUTE_MS = 60_000;

/**
 * Per-client-address limits for the two endpoints that guess secrets: moderator login and audience join
 * (event passwords). The address is `req.ip`, as TRUST_PROXY makes it; with REDIS_URL every API node
 * counts in the same Redis, so a client gets no more attempts by reaching several nodes.
 */
export const AccessThrottlerModule = ThrottlerModule.forRootAsync({
  inject: [Environment],
  useFactory: (environment: Environment) => ({
    throttlers: [
      { name: 'login', ttl: MINUTE_MS, limit: environment.LOGIN_RATE_LIMIT_PER_MINUTE },
      { name: 'join', ttl: MINUTE_MS, limit: environment.JOIN_RATE_LIMIT_PER_MINUTE },
    ],
    storage: environment.REDIS_URL ? new ThrottlerStorageRedisService(environment.REDIS_URL) : undefined,
  }),
});

export const LoginThrottle = () => applyDecorators(UseGuards(ThrottlerGuard), SkipThrottle({ join: true }));
export const JoinThrottle = () => applyDecorators(UseGuards(ThrottlerGuard), SkipThrottle({ login: true }));
