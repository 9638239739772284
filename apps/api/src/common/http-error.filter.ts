import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { ErrorCode, HttpErrorBody } from '@pressroom/protocol';
import { AppError } from './app-error';

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: 'bad_request',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'bad_request',
  [HttpStatus.UNAUTHORIZED]: 'unauthorized',
  [HttpStatus.FORBIDDEN]: 'forbidden',
  [HttpStatus.NOT_FOUND]: 'not_found',
  [HttpStatus.TOO_MANY_REQUESTS]: 'rate_limited',
};

/** Every REST error leaves as `HttpErrorBody`, whichever layer (body parser, router, throttler) raised it. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception, response);
    if (body.retryAfterMs) response.setHeader('Retry-After', Math.ceil(body.retryAfterMs / 1000));
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, response: Response): HttpErrorBody {
    if (exception instanceof AppError) return exception.getResponse() as HttpErrorBody;
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const retryAfterMs = statusCode === HttpStatus.TOO_MANY_REQUESTS ? this.throttlerRetryMs(response) : undefined;
      return {
        statusCode,
        error: CODE_BY_STATUS[statusCode] ?? (statusCode >= 500 ? 'internal' : 'bad_request'),
        message: statusCode === HttpStatus.TOO_MANY_REQUESTS ? 'Too many attempts: try again later' : exception.message,
        ...(retryAfterMs ? { retryAfterMs } : {}),
      };
    }
    if (isClientError(exception)) {
      // body-parser's errors (malformed JSON, a body over the size limit) carry their own 4xx status.
      const statusCode = exception.status;
      return { statusCode, error: CODE_BY_STATUS[statusCode] ?? 'bad_request', message: exception.message };
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return { statusCode: 500, error: 'internal', message: 'Something went wrong on the server' };
  }

  /** The throttler names its header after the limit (`Retry-After-login`), in seconds. */
  private throttlerRetryMs(response: Response): number | undefined {
    const name = response.getHeaderNames().find((header) => header.startsWith('retry-after-'));
    const seconds = name ? Number(response.getHeader(name)) : NaN;
    return Number.isFinite(seconds) ? seconds * 1000 : undefined;
  }
}

function isClientError(error: unknown): error is Error & { status: number } {
  const status = (error as { status?: unknown } | null)?.status;
  return error instanceof Error && typeof status === 'number' && status >= 400 && status < 500;
}
