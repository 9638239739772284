import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { LIMITS, type CreateSpeakerRequest, type JoinRequest } from '@pressroom/protocol';
import { PlainText, trimString } from '../common/validation';

export class JoinDto implements JoinRequest {
  @ApiPropertyOptional({ maxLength: LIMITS.displayName, description: 'With an outlet: joins as a journalist' })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.displayName)
  @PlainText()
  name?: string;

  @ApiPropertyOptional({ maxLength: LIMITS.outlet })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.outlet)
  @PlainText()
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
  @Transform(trimString)
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.displayName)
  @PlainText()
  name!: string;
}
