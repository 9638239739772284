import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pretty from 'pino-pretty';
import type { Request } from 'express';
import type { Environment } from '../config/environment';

/** What pino-http hands a request serializer: the standard fields, and the Express request as `raw`. */
type SerializedRequest = Pick<IncomingMessage, 'method' | 'url'> & { raw?: Request };

/** LOG_FORMAT, or pretty when stdout is a terminal (a person reads it) and JSON when not (a collector does). */
export function logFormat(environment: Environment, isTerminal = process.stdout.isTTY === true): 'pretty' | 'json' {
  return environment.LOG_FORMAT ?? (isTerminal ? 'pretty' : 'json');
}

/**
 * Request logs carry method, path, the client's address (by TRUST_PROXY, as every limit sees it) and
 * status only: query strings hold invite tokens, and bodies, headers and socket payloads hold names,
 * chat text and tokens. JSON lines (LOG_FORMAT=json) for log collectors, or one readable line per entry
 * (LOG_FORMAT=pretty); unset, pretty when stdout is a terminal.
 */
export function loggerOptions(environment: Environment, isTerminal = process.stdout.isTTY === true): Params {
  const options = {
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
      // A restream destination's stream key, should any entry ever carry one (none does: belt and braces).
      redact: { paths: ['req.headers', 'res.headers', 'streamKey', '*.streamKey'], remove: true },
    },
  } satisfies Params;
  if (logFormat(environment, isTerminal) === 'json') return options;
  // Synchronous, in this thread: no worker, and nothing lost when the process exits.
  const stream = pretty({
    sync: true,
    colorize: isTerminal,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,context,req,res,responseTime',
    messageFormat: prettyLine,
  });
  return { ...options, pinoHttp: [options.pinoHttp, stream] };
}

/** `GET /api/events/x 404 3 ms 203.0.113.7` for a request, `[Context] message` for anything else. */
function prettyLine(log: Record<string, unknown>, messageKey: string): string {
  const req = log.req as { method?: string; path?: string; address?: string } | undefined;
  if (req) {
    const res = log.res as { statusCode?: number } | undefined;
    return `${req.method} ${req.path} ${res?.statusCode ?? '-'} ${String(log.responseTime ?? '?')} ms ${req.address ?? ''}`.trim();
  }
  const message = String(log[messageKey] ?? '');
  return typeof log.context === 'string' ? `[${log.context}] ${message}` : message;
}
