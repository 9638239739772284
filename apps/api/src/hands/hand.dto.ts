import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { LIMITS, type ActionRequest } from '@pressroom/protocol';
import { PlainText, trimString } from '../common/validation';

export class RaiseHandDto implements ActionRequest<'hand:raise'> {
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MaxLength(LIMITS.handTopic)
  @PlainText()
  topic?: string;
}

export class HandRefDto implements ActionRequest<'hand:ack'> {
  @IsUUID() handId!: string;
}

/** `hand:lower` carries no fields: an empty object. */
export class LowerHandDto {}
