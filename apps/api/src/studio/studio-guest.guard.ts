import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import type { LiveSocket } from '../realtime/live-socket';
import { StageService } from '../stage/stage.service';

/**
 * `ACTION_ROLES` lets journalists send studio actions; this guard lets through only the one on stage now
 * (invited, accepted, turn not ended). It runs before the payload is validated: anyone else is refused as
 * forbidden whatever they send.
 */
@Injectable()
export class StudioGuestGuard implements CanActivate {
  constructor(private readonly stage: StageService) {}

  canActivate(context: ExecutionContext): boolean {
    const ws = context.switchToWs();
    const { session } = ws.getClient<LiveSocket>().data;
    if (session.role === 'journalist' && !this.stage.mayUseStudio(session)) {
      throw new AppError(
        'forbidden',
        `A journalist cannot ${ws.getPattern()}: only a journalist invited on stage, until their turn ends`,
      );
    }
    return true;
  }
}
