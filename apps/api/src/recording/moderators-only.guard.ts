import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { bearerToken, ModeratorGuard } from '../auth/moderator.guard';
import { TokensService } from '../auth/tokens.service';
import { AppError } from '../common/app-error';

/**
 * A moderator's sign-in token, as `ModeratorGuard` wants; a valid token of someone else (an audience
 * member's or a speaker's access token) is refused with 403 rather than 401: signing in again would
 * not help them.
 */
@Injectable()
export class ModeratorsOnlyGuard implements CanActivate {
  constructor(
    private readonly moderators: ModeratorGuard,
    private readonly tokens: TokensService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      return await this.moderators.canActivate(context);
    } catch (error) {
      const token = bearerToken(context.switchToHttp().getRequest<Request>());
      const audience = token
        ? await this.tokens.verifyAccess(token).then(
            () => true,
            () => false,
          )
        : false;
      if (audience) throw new AppError('forbidden', 'Only moderators can do this');
      throw error;
    }
  }
}
