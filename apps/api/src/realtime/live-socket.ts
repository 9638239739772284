import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ServerEventName, ServerEvents } from '@pressroom/protocol';
import type { Socket } from 'socket.io';
import type { Session } from '../common/session';

export interface LiveSocketData {
  session: Session;
}

type ServerToClient = { [E in ServerEventName]: (payload: ServerEvents[E]) => void };

export type LiveSocket = Socket<Record<string, never>, ServerToClient, Record<string, never>, LiveSocketData>;

/** The session the gateway resolved at connect, in a realtime handler's parameters. */
export const LiveSession = createParamDecorator(
  (_: unknown, context: ExecutionContext): Session => context.switchToWs().getClient<LiveSocket>().data.session,
);
