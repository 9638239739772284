import { ApiProperty, ApiPropertyOptional, PartialType, OmitType } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsISO8601,
  IsNotIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import {
  LIMITS,
  RESERVED_SLUGS,
  UI_LANGUAGES,
  type UiLanguage,
  type ChatMode,
  type CreateEventRequest,
  type UpdateEventRequest,
} from '@pressroom/protocol';
import { PlainText } from '../common/validation';

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,62}[a-z0-9])$/;

export class CreateEventDto implements CreateEventRequest {
  @ApiProperty({ maxLength: LIMITS.eventTitle })
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.eventTitle)
  @PlainText()
  title!: string;

  @ApiPropertyOptional({ maxLength: LIMITS.eventDescription })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.eventDescription)
  @PlainText({ multiline: true })
  description?: string;

  @ApiPropertyOptional({ pattern: SLUG_PATTERN.source, description: 'Made from the title when left out' })
  @IsOptional()
  @IsString()
  @Matches(SLUG_PATTERN, { message: 'slug must be 3-64 lower-case letters, digits and dashes' })
  @IsNotIn(RESERVED_SLUGS, { message: `slug must not be one of the server's own paths: ${RESERVED_SLUGS.join(', ')}` })
  slug?: string;

  @ApiProperty({ format: 'date-time' })
  @IsISO8601({ strict: true })
  startsAt!: string;

  @ApiPropertyOptional({ description: 'Audience password; none when left out' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.password)
  password?: string;

  @ApiPropertyOptional({ enum: ['pre', 'post'], default: 'post' })
  @IsOptional()
  @IsIn(['pre', 'post'])
  chatMode?: ChatMode;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  questionsEnabled?: boolean;

  @ApiPropertyOptional({ default: 0, description: 'Hours after the end until personal data is purged' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(24 * 365)
  retentionHours?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3600)
  slowModeSeconds?: number;

  @ApiPropertyOptional({
    enum: UI_LANGUAGES,
    nullable: true,
    description: "The language the event's pages open in and its slate is written in; null: each visitor's own",
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsIn(UI_LANGUAGES, { message: `language must be one of ${UI_LANGUAGES.join(', ')} (or null)` })
  language?: UiLanguage | null;
}

export class UpdateEventDto
  extends PartialType(OmitType(CreateEventDto, ['slug', 'password'] as const))
  implements UpdateEventRequest
{
  @ApiPropertyOptional({ nullable: true, description: 'A new password, or null to remove it' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.password)
  password?: string | null;

  @ApiPropertyOptional({ description: 'Locks joining: no new audience member may join; those already in stay' })
  @IsOptional()
  @IsBoolean()
  joinLocked?: boolean;
}
