import { applyDecorators, UseGuards } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerModule, SkipThrottle } from '@nestjs/throttler';
import { Environment } from '../config/environment';

const MINUTE_MS = 60_000;

/** Per-IP limits for the two endpoints that guess secrets: moderator login and audience join (event passwords). */
export const AccessThrottlerModule = ThrottlerModule.forRootAsync({
  inject: [Environment],
  useFactory: (environment: Environment) => [
    { name: 'login', ttl: MINUTE_MS, limit: environment.LOGIN_RATE_LIMIT_PER_MINUTE },
    { name: 'join', ttl: MINUTE_MS, limit: environment.JOIN_RATE_LIMIT_PER_MINUTE },
  ],
});

export const LoginThrottle = () => applyDecorators(UseGuards(ThrottlerGuard), SkipThrottle({ join: true }));
export const JoinThrottle = () => applyDecorators(UseGuards(ThrottlerGuard), SkipThrottle({ login: true }));
