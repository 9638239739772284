import { MessageBody, SubscribeMessage } from '@nestjs/websockets';
import type { ActionReply } from '@pressroom/protocol';
import type { Session } from '../common/session';
import { LiveHandlers } from '../realtime/live-gateway.decorator';
import { LiveSession } from '../realtime/live-socket';
import { HandRefDto, LowerHandDto, RaiseHandDto } from './hand.dto';
import { HandsService } from './hands.service';

@LiveHandlers()
export class HandsGateway {
  constructor(private readonly hands: HandsService) {}

  @SubscribeMessage('hand:raise')
  async raise(@LiveSession() session: Session, @MessageBody() dto: RaiseHandDto): Promise<ActionReply<'hand:raise'>> {
    return { ok: true, hand: await this.hands.raise(session, dto.topic) };
  }

  @SubscribeMessage('hand:lower')
  async lower(@LiveSession() session: Session, @MessageBody() _: LowerHandDto): Promise<ActionReply<'hand:lower'>> {
    await this.hands.lower(session);
    return { ok: true };
  }

  @SubscribeMessage('hand:ack')
  async acknowledge(@LiveSession() session: Session, @MessageBody() dto: HandRefDto): Promise<ActionReply<'hand:ack'>> {
    await this.hands.acknowledge(session, dto.handId);
    return { ok: true };
  }

  @SubscribeMessage('hand:dismiss')
  async dismiss(@LiveSession() session: Session, @MessageBody() dto: HandRefDto): Promise<ActionReply<'hand:dismiss'>> {
    await this.hands.dismiss(session, dto.handId);
    return { ok: true };
  }
}
