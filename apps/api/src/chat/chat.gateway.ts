import { MessageBody, SubscribeMessage } from '@nestjs/websockets';
import type { ActionReply } from '@pressroom/protocol';
import type { Session } from '../common/session';
import { LiveHandlers } from '../realtime/live-gateway.decorator';
import { LiveSession } from '../realtime/live-socket';
import { ChatMessageRefDto, SendChatDto } from './chat.dto';
import { ChatService } from './chat.service';

@LiveHandlers()
export class ChatGateway {
  constructor(private readonly chat: ChatService) {}

  @SubscribeMessage('chat:send')
  async send(@LiveSession() session: Session, @MessageBody() dto: SendChatDto): Promise<ActionReply<'chat:send'>> {
    return { ok: true, message: await this.chat.send(session, dto.text) };
  }

  @SubscribeMessage('chat:approve')
  async approve(
    @LiveSession() session: Session,
    @MessageBody() dto: ChatMessageRefDto,
  ): Promise<ActionReply<'chat:approve'>> {
    await this.chat.approve(session, dto.messageId);
    return { ok: true };
  }

  @SubscribeMessage('chat:hide')
  async hide(
    @LiveSession() session: Session,
    @MessageBody() dto: ChatMessageRefDto,
  ): Promise<ActionReply<'chat:hide'>> {
    await this.chat.hide(session, dto.messageId);
    return { ok: true };
  }
}
