import { HttpException, HttpStatus } from '@nestjs/common';
import type { ActionError, ErrorCode, HttpErrorBody } from '@pressroom/protocol';

const STATUS_BY_CODE: Partial<Record<ErrorCode, HttpStatus>> = {
  bad_request: HttpStatus.BAD_REQUEST,
  unknown_event: HttpStatus.BAD_REQUEST,
  unauthorized: HttpStatus.UNAUTHORIZED,
  wrong_password: HttpStatus.UNAUTHORIZED,
  password_required: HttpStatus.UNAUTHORIZED,
  invite_revoked: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  banned: HttpStatus.FORBIDDEN,
  join_locked: HttpStatus.FORBIDDEN,
  muted: HttpStatus.FORBIDDEN,
  name_required: HttpStatus.FORBIDDEN,
  questions_closed: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  event_purged: HttpStatus.GONE,
  unsupported_media_type: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  slow_mode: HttpStatus.TOO_MANY_REQUESTS,
  internal: HttpStatus.INTERNAL_SERVER_ERROR,
};

/** An error a client caused or may act on; the same code reaches REST and realtime clients. */
export class AppError extends HttpException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    const status = STATUS_BY_CODE[code] ?? HttpStatus.CONFLICT;
    const body: HttpErrorBody = { statusCode: status, error: code, message, ...(retryAfterMs ? { retryAfterMs } : {}) };
    super(body, status);
  }

  toActionError(): ActionError {
    return {
      code: this.code,
      message: this.message,
      ...(this.retryAfterMs ? { retryAfterMs: this.retryAfterMs } : {}),
    };
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
