import { UseInterceptors } from '@nestjs/common';
import { MessageBody, OnGatewayConnection, OnGatewayDisconnect, SubscribeMessage } from '@nestjs/websockets';
import type { ActionReply } from '@pressroom/protocol';
import type { Session } from '../common/session';
import { StudioPlacementInterceptor } from '../media/media-placement';
import { LiveHandlers } from '../realtime/live-gateway.decorator';
import { LiveSession, type LiveSocket } from '../realtime/live-socket';
import { GuestRefDto, InviteDto, MuteGuestDto, NoFieldsDto } from './stage.dto';
import { StageService } from './stage.service';

/** Invitations on stage and guests' turns; a guest's connections coming and going start and stop the grace. */
@LiveHandlers()
// Several API nodes: the stage lives with the event's media; the action runs on the node that holds it (cluster/).
@UseInterceptors(StudioPlacementInterceptor)
export class StageGateway implements OnGatewayConnection<LiveSocket>, OnGatewayDisconnect<LiveSocket> {
  constructor(private readonly stage: StageService) {}

  handleConnection(socket: LiveSocket): void {
    const { session } = socket.data;
    if (session?.role === 'journalist') this.stage.connected(session);
  }

  handleDisconnect(socket: LiveSocket): void {
    const { session } = socket.data;
    if (session?.role === 'journalist') this.stage.disconnected(session);
  }

  @SubscribeMessage('stage:invite')
  async invite(@LiveSession() session: Session, @MessageBody() dto: InviteDto): Promise<ActionReply<'stage:invite'>> {
    await this.stage.invite(session, dto.handId);
    return { ok: true };
  }

  @SubscribeMessage('stage:remove')
  async remove(@LiveSession() session: Session, @MessageBody() dto: GuestRefDto): Promise<ActionReply<'stage:remove'>> {
    await this.stage.remove(session, dto.participantId);
    return { ok: true };
  }

  @SubscribeMessage('stage:mute')
  async mute(@LiveSession() session: Session, @MessageBody() dto: MuteGuestDto): Promise<ActionReply<'stage:mute'>> {
    await this.stage.mute(session, dto.participantId, dto.muted);
    return { ok: true };
  }

  @SubscribeMessage('stage:accept')
  async accept(@LiveSession() session: Session, @MessageBody() _: NoFieldsDto): Promise<ActionReply<'stage:accept'>> {
    await this.stage.accept(session);
    return { ok: true };
  }

  @SubscribeMessage('stage:decline')
  async decline(@LiveSession() session: Session, @MessageBody() _: NoFieldsDto): Promise<ActionReply<'stage:decline'>> {
    await this.stage.decline(session);
    return { ok: true };
  }

  @SubscribeMessage('stage:leave')
  async leave(@LiveSession() session: Session, @MessageBody() _: NoFieldsDto): Promise<ActionReply<'stage:leave'>> {
    await this.stage.leave(session);
    return { ok: true };
  }
}
