import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError } from '../common/app-error';

const describe = (errors: ValidationError[]): string[] =>
  errors.flatMap((error) => [...Object.values(error.constraints ?? {}), ...describe(error.children ?? [])]);

/** Validates a realtime payload against its DTO class: an object with only the known fields, of the right types. */
@Injectable()
export class LivePayloadPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      exceptionFactory: (errors) => new AppError('bad_request', describe(errors).join('; ') || 'Invalid payload'),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new AppError('bad_request', 'The payload must be an object');
    }
    return super.transform(value, metadata);
  }
}
