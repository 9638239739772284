import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Environment } from '../config/environment';

/**
 * Request logs carry method, path and status only: query strings hold invite tokens, and bodies,
 * headers and socket payloads hold names, chat text and tokens.
 */
export function loggerOptions(environment: Environment): Params {
  return {
    // Nest 11's path syntax for "every route" (the library's default '*' logs a deprecation warning).
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: environment.LOG_LEVEL,
      autoLogging: { ignore: (request: IncomingMessage) => request.url === '/health' || request.url === '/metrics' },
      serializers: {
        req: (request: IncomingMessage) => ({ method: request.method, path: (request.url ?? '').split('?')[0] }),
        res: (response: ServerResponse) => ({ statusCode: response.statusCode }),
      },
      redact: { paths: ['req.headers', 'res.headers'], remove: true },
    },
  };
}
