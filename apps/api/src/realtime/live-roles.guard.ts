import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ACTION_ROLES, aRole, isClientAction } from '@pressroom/protocol';
import { AppError } from '../common/app-error';
import type { LiveSocket } from './live-socket';

/** Checks the sender's role against `ACTION_ROLES` of the protocol, the one table of who may do what. */
@Injectable()
export class LiveRolesGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const ws = context.switchToWs();
    const action = ws.getPattern();
    const { role } = ws.getClient<LiveSocket>().data.session;
    if (!isClientAction(action) || !ACTION_ROLES[action].includes(role)) {
      throw new AppError('forbidden', `${aRole(role)} cannot ${action}`);
    }
    return true;
  }
}
