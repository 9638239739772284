import { MessageBody, SubscribeMessage } from '@nestjs/websockets';
import type { ActionReply } from '@pressroom/protocol';
import type { Session } from '../common/session';
import { LiveHandlers } from '../realtime/live-gateway.decorator';
import { LiveSession } from '../realtime/live-socket';
import { BanUserDto, MuteUserDto } from './moderation.dto';
import { RestrictionsService } from './restrictions.service';

@LiveHandlers()
export class ModerationGateway {
  constructor(private readonly restrictions: RestrictionsService) {}

  @SubscribeMessage('user:mute')
  async mute(@LiveSession() session: Session, @MessageBody() dto: MuteUserDto): Promise<ActionReply<'user:mute'>> {
    await this.restrictions.setMuted(session, dto.participantId, dto.muted);
    return { ok: true };
  }

  @SubscribeMessage('user:ban')
  async ban(@LiveSession() session: Session, @MessageBody() dto: BanUserDto): Promise<ActionReply<'user:ban'>> {
    await this.restrictions.ban(session, dto.participantId);
    return { ok: true };
  }
}
