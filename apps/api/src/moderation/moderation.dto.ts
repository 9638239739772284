import { IsBoolean, IsUUID } from 'class-validator';
import type { ActionRequest } from '@pressroom/protocol';

export class MuteUserDto implements ActionRequest<'user:mute'> {
  @IsUUID() participantId!: string;
  @IsBoolean() muted!: boolean;
}

export class BanUserDto implements ActionRequest<'user:ban'> {
  @IsUUID() participantId!: string;
}
