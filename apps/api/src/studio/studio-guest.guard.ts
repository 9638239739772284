import { CanActivate, ExecutionContext, Injectable, Optional } from '@nestjs/common';
import { AppError } from '../common/app-error';
import type { Session } from '../common/session';
import { MediaPlacement } from '../media/media-placement';
import type { LiveSocket } from '../realtime/live-socket';
import { StageService } from '../stage/stage.service';

/**
 * `ACTION_ROLES` lets journalists send studio actions; this guard lets through only the one on stage now
 * (invited, accepted, turn not ended). It runs before the payload is validated: anyone else is refused as
 * forbidden whatever they send. Several API nodes: the stage of an event held by another node is that
 * node's; the action goes there (`StudioPlacementInterceptor`) and the holder asks `assertMayUseStudio`.
 */
@Injectable()
export class StudioGuestGuard implements CanActivate {
  constructor(
    private readonly stage: StageService,
    @Optional() private readonly placement?: MediaPlacement,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const ws = context.switchToWs();
    const { session } = ws.getClient<LiveSocket>().data;
    if (session.role !== 'journalist' || this.stage.mayUseStudio(session)) return true;
    if (this.placement && !(await this.placement.isHere(session.eventId))) return true;
    assertMayUseStudio(this.stage, session, ws.getPattern());
    return true;
  }
}

/** Refuses a studio action of a journalist who is not on stage now (here, where the event's stage is). */
export function assertMayUseStudio(stage: StageService, session: Session, action: string): void {
  if (session.role === 'journalist' && !stage.mayUseStudio(session)) {
    throw new AppError(
      'forbidden',
      `A journalist cannot ${action}: only a journalist invited on stage, until their turn ends`,
    );
  }
}
