import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, ValidateBy } from 'class-validator';
import {
  INVITE_ROLES,
  isLanguageTag,
  LIMITS,
  type CreateSpeakerRequest,
  type InviteRole,
  type JoinRequest,
} from '@pressroom/protocol';
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

  @ApiPropertyOptional({ enum: INVITE_ROLES, default: 'speaker' })
  @IsOptional()
  @IsIn(INVITE_ROLES, { message: `role must be one of: ${INVITE_ROLES.join(', ')}` })
  role?: InviteRole;

  @ApiPropertyOptional({
    maxLength: 35,
    example: 'es',
    description: 'BCP 47 language tag: required for captioners and interpreters, refused for the others',
  })
  @IsOptional()
  @ValidateBy({
    name: 'languageTag',
    validator: {
      validate: (value: unknown) => isLanguageTag(value),
      defaultMessage: () => 'language must be a BCP 47 language tag such as es, fr, en-GB or zh-Hant',
    },
  })
  language?: string;
}
