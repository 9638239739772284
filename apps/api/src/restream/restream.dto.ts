import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  RESTREAM_LIMITS,
  restreamUrlProblem,
  streamKeyProblem,
  type CreateRestreamDestinationRequest,
  type UpdateRestreamDestinationRequest,
} from '@pressroom/protocol';
import { IsOptional, IsString, ValidateBy, type ValidationArguments } from 'class-validator';
import { TypedText } from '../common/validation';

/** A rule of libs/protocol as a validator: its message, which never repeats the value (it may be a secret). */
function Rule(problem: (value: string) => string | null): PropertyDecorator {
  return ValidateBy({
    name: 'restreamRule',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && problem(value) === null,
      defaultMessage: ({ property, value }: ValidationArguments) =>
        (typeof value === 'string' ? problem(value) : null) ?? `${property} must be a string`,
    },
  });
}

export class CreateRestreamDestinationDto implements CreateRestreamDestinationRequest {
  @ApiProperty({ maxLength: RESTREAM_LIMITS.name, example: 'YouTube' })
  @TypedText({ maxLength: RESTREAM_LIMITS.name })
  name!: string;

  @ApiProperty({ maxLength: RESTREAM_LIMITS.url, example: 'rtmp://a.rtmp.youtube.com/live2' })
  @IsString()
  @Rule(restreamUrlProblem)
  url!: string;

  @ApiProperty({
    maxLength: RESTREAM_LIMITS.streamKey,
    description: 'Never sent back: answers show its last 4 characters',
  })
  @IsString()
  @Rule(streamKeyProblem)
  streamKey!: string;
}

export class UpdateRestreamDestinationDto implements UpdateRestreamDestinationRequest {
  @ApiPropertyOptional({ maxLength: RESTREAM_LIMITS.name })
  @IsOptional()
  @TypedText({ maxLength: RESTREAM_LIMITS.name })
  name?: string;

  @ApiPropertyOptional({ maxLength: RESTREAM_LIMITS.url })
  @IsOptional()
  @IsString()
  @Rule(restreamUrlProblem)
  url?: string;

  @ApiPropertyOptional({ maxLength: RESTREAM_LIMITS.streamKey })
  @IsOptional()
  @IsString()
  @Rule(streamKeyProblem)
  streamKey?: string;
}
