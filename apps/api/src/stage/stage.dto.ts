import { IsBoolean, IsUUID } from 'class-validator';
import type { ActionRequest } from '@pressroom/protocol';

export class InviteDto implements ActionRequest<'stage:invite'> {
  @IsUUID() handId!: string;
}

export class GuestRefDto implements ActionRequest<'stage:remove'> {
  @IsUUID() participantId!: string;
}

export class MuteGuestDto implements ActionRequest<'stage:mute'> {
  @IsUUID() participantId!: string;
  @IsBoolean() muted!: boolean;
}

/** `stage:accept`, `stage:decline` and `stage:leave` carry no fields: an empty object. */
export class NoFieldsDto {}
