import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsISO8601, IsOptional, ValidateIf } from 'class-validator';
import { UI_LANGUAGES, type EventStatus, type PrivacyPreviewRequest, type UiLanguage } from '@pressroom/protocol';
import { CreateEventDto } from '../events/event.dto';

const STATUSES: EventStatus[] = ['scheduled', 'live', 'ended', 'purged'];

/** `POST /api/privacy/preview`: an event's settings as the console's form has them, saved or not. */
export class PrivacyPreviewDto
  extends PickType(CreateEventDto, ['title', 'chatMode', 'questionsEnabled', 'retentionHours'] as const)
  implements PrivacyPreviewRequest
{
  @ApiProperty()
  @IsBoolean()
  passwordRequired!: boolean;

  @ApiPropertyOptional({ enum: STATUSES, default: 'scheduled' })
  @IsOptional()
  @IsIn(STATUSES)
  status?: EventStatus;

  @ApiPropertyOptional({ format: 'date-time', nullable: true, description: 'When the purge is due (an ended event)' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsISO8601({ strict: true })
  purgeAt?: string | null;

  @ApiPropertyOptional({ enum: UI_LANGUAGES, description: "The notice's language; the moderator's own when left out" })
  @IsOptional()
  @IsIn(UI_LANGUAGES, { message: `language must be one of ${UI_LANGUAGES.join(', ')}` })
  language?: UiLanguage;
}
