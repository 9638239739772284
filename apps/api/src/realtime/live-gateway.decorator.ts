import { applyDecorators, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { WebSocketGateway } from '@nestjs/websockets';
import { LIVE_NAMESPACE } from '@pressroom/protocol';
import { LiveExceptionFilter } from './live-exception.filter';
import { LivePayloadPipe } from './live-payload.pipe';
import { LiveRolesGuard } from './live-roles.guard';

/**
 * A domain's realtime handlers on the shared `/live` namespace: role-checked, validated, and answering
 * failures on the acknowledgement. Authentication happens once at connect, in `LiveGateway`.
 */
export const LiveHandlers = () =>
  applyDecorators(
    WebSocketGateway({ namespace: LIVE_NAMESPACE }),
    UseFilters(LiveExceptionFilter),
    UseGuards(LiveRolesGuard),
    UsePipes(LivePayloadPipe),
  );
