import { MessageBody, SubscribeMessage } from '@nestjs/websockets';
import type { ActionReply } from '@pressroom/protocol';
import { ParticipantsService } from '../access/participants.service';
import type { Session } from '../access/session';
import { LiveHandlers } from '../realtime/live-gateway.decorator';
import { LiveSession } from '../realtime/live-socket';
import { AuditService } from './audit.service';
import { BanUserDto, MuteUserDto } from './moderation.dto';

@LiveHandlers()
export class ModerationGateway {
  constructor(
    private readonly participants: ParticipantsService,
    private readonly audit: AuditService,
  ) {}

  @SubscribeMessage('user:mute')
  async mute(@LiveSession() session: Session, @MessageBody() dto: MuteUserDto): Promise<ActionReply<'user:mute'>> {
    await this.participants.setMuted(session.eventId, dto.participantId, dto.muted);
    await this.audit.record(session, dto.muted ? 'user:mute' : 'user:unmute', 'participant', dto.participantId);
    return { ok: true };
  }

  @SubscribeMessage('user:ban')
  async ban(@LiveSession() session: Session, @MessageBody() dto: BanUserDto): Promise<ActionReply<'user:ban'>> {
    await this.participants.ban(session.eventId, dto.participantId);
    await this.audit.record(session, 'user:ban', 'participant', dto.participantId);
    return { ok: true };
  }
}
