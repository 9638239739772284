import { Transform } from 'class-transformer';
import { IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { LIMITS, type ActionRequest } from '@pressroom/protocol';
import { PlainText, trimString } from '../common/validation';

export class SendChatDto implements ActionRequest<'chat:send'> {
  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.chatText)
  @PlainText({ multiline: true })
  text!: string;
}

export class ChatMessageRefDto implements ActionRequest<'chat:approve'> {
  @IsUUID() messageId!: string;
}
