import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { LIMITS, type CreateSpeakerRequest, type JoinRequest } from '@pressroom/protocol';
import { TypedText } from '../common/validation';

export class JoinDto implements JoinRequest {
  @ApiPropertyOptional({ maxLength: LIMITS.displayName, description: 'With an outlet: joins as a journalist' })
  @IsOptional()
  @TypedText({ maxLength: LIMITS.displayName })
  name?: string;

  @ApiPropertyOptional({ maxLength: LIMITS.outlet })
  @IsOptional()
  @TypedText({ maxLength: LIMITS.outlet })
  outlet?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.password)
  password?: string;

  @ApiPropertyOptional({ description: 'A speaker invite token' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  invite?: string;
}

export class CreateSpeakerDto implements CreateSpeakerRequest {
  @ApiProperty({ maxLength: LIMITS.displayName })
  @TypedText({ maxLength: LIMITS.displayName })
  name!: string;
}
