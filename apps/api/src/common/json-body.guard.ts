import { type CanActivate, type ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from './app-error';

/**
 * Takes only a JSON body. A page on another site can make its visitors' browsers post a form (urlencoded,
 * multipart, text/plain) anywhere without asking, but cannot send `application/json` across sites without
 * a CORS preflight, which this server never grants.
 */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (!context.switchToHttp().getRequest<Request>().is('application/json')) {
      throw new AppError('unsupported_media_type', 'Send the request as JSON (Content-Type: application/json)');
    }
    return true;
  }
}

export const JsonBodyOnly = () => UseGuards(JsonBodyGuard);
