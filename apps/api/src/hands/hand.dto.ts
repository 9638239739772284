import { IsOptional, IsUUID } from 'class-validator';
import { LIMITS, type ActionRequest } from '@pressroom/protocol';
import { TypedText } from '../common/validation';

export class RaiseHandDto implements ActionRequest<'hand:raise'> {
  @IsOptional()
  @TypedText({ maxLength: LIMITS.handTopic, minLength: 0 })
  topic?: string;
}

export class HandRefDto implements ActionRequest<'hand:ack'> {
  @IsUUID() handId!: string;
}

/** `hand:lower` carries no fields: an empty object. */
export class LowerHandDto {}
