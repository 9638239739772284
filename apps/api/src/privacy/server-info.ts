import type { ServerInfo } from '@pressroom/protocol';
import type { Environment } from '../config/environment';

/** Levels at which pino-http writes a line per request (it logs them at `info`). */
const REQUEST_LOG_LEVELS = ['info', 'debug', 'trace'];

/** Who runs this server and what it does with personal data, from its configuration. */
export function serverInfo(environment: Environment): ServerInfo {
  return {
    operator: {
      name: environment.PRESSROOM_OPERATOR_NAME ?? null,
      contact: environment.PRESSROOM_OPERATOR_CONTACT ?? null,
      privacyUrl: environment.PRESSROOM_PRIVACY_URL ?? null,
    },
    privacy: {
      requestLogs: REQUEST_LOG_LEVELS.includes(environment.LOG_LEVEL),
      sharedRateLimits: environment.REDIS_URL !== undefined,
      turnRelay: environment.TURN_URLS !== undefined,
      accessTokenHours: environment.ACCESS_TOKEN_HOURS,
    },
  };
}
