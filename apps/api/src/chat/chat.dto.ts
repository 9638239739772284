import { IsUUID } from 'class-validator';
import { LIMITS, type ActionRequest } from '@pressroom/protocol';
import { TypedText } from '../common/validation';

export class SendChatDto implements ActionRequest<'chat:send'> {
  @TypedText({ maxLength: LIMITS.chatText, multiline: true })
  text!: string;
}

export class ChatMessageRefDto implements ActionRequest<'chat:approve'> {
  @IsUUID() messageId!: string;
}
