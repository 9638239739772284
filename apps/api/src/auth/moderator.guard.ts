import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../common/app-error';
import { ModeratorsService } from './moderators.service';
import { TokensService } from './tokens.service';

interface ModeratorRequest extends Request {
  moderatorId?: string;
}

export function bearerToken(request: Request): string | undefined {
  const [scheme, token] = (request.headers.authorization ?? '').split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}

/** REST endpoints for moderators: a valid moderator token of an account that still exists. */
@Injectable()
export class ModeratorGuard implements CanActivate {
  constructor(
    private readonly tokens: TokensService,
    private readonly moderators: ModeratorsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ModeratorRequest>();
    const token = bearerToken(request);
    if (!token) throw new AppError('unauthorized', 'Sign in as a moderator');
    const claims = await this.tokens.verifyModerator(token);
    if (!(await this.moderators.exists(claims.sub)))
      throw new AppError('unauthorized', 'This account no longer exists');
    request.moderatorId = claims.sub;
    return true;
  }
}

export const CurrentModerator = createParamDecorator(
  (_: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<ModeratorRequest>().moderatorId!,
);
