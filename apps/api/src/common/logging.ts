import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import type { Environment } from '../config/environment';

/** What pino-http hands a request serializer: the standard fields, and the Express request as `raw`. */
type SerializedRequest = Pick<IncomingMessage, 'method' | 'url'> & { raw?: Request };

/**
 * Request logs carry method, path, the client's address (by TRUST_PROXY, as every limit sees it) and
 * status only: query strings hold invite tokens, and bodies, headers and socket payloads hold names,
 * chat text and tokens.
 */
export function loggerOptions(environment: Environment): Params {
  return {
    // Nest 11's path syntax for "every route" (the library's default '*' logs a deprecation warning).
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: environment.LOG_LEVEL,
      autoLogging: { ignore: (request: IncomingMessage) => request.url === '/health' || request.url === '/metrics' },
      serializers: {
        req: (request: SerializedRequest) => ({
          method: request.method,
          path: (request.url ?? '').split('?')[0],
          address: request.raw?.ip,
        }),
        res: (response: ServerResponse) => ({ statusCode: response.statusCode }),
      },
      redact: { paths: ['req.headers', 'res.headers'], remove: true },
    },
  };
}
