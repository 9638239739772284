import { IsBoolean, IsOptional } from 'class-validator';
import { CAPTION_MAX_LENGTH, type ActionRequest } from '@pressroom/protocol';
import { TypedText } from '../common/validation';

export class SendCaptionDto implements ActionRequest<'caption:send'> {
  /** One line; empty only as interim text (it clears what the moderators see being typed). */
  @TypedText({ maxLength: CAPTION_MAX_LENGTH, minLength: 0 })
  text!: string;

  @IsOptional()
  @IsBoolean()
  interim?: boolean;
}
