import { MessageBody, SubscribeMessage } from '@nestjs/websockets';
import type { ActionReply } from '@pressroom/protocol';
import type { Session } from '../common/session';
import { LiveHandlers } from '../realtime/live-gateway.decorator';
import { LiveSession } from '../realtime/live-socket';
import { SendCaptionDto } from './captions.dto';
import { CaptionsService } from './captions.service';

@LiveHandlers()
export class CaptionsGateway {
  constructor(private readonly captions: CaptionsService) {}

  @SubscribeMessage('caption:send')
  async send(
    @LiveSession() session: Session,
    @MessageBody() dto: SendCaptionDto,
  ): Promise<ActionReply<'caption:send'>> {
    return { ok: true, cue: await this.captions.send(session, dto.text, dto.interim ?? false) };
  }
}
