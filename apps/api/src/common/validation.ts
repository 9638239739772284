import { applyDecorators, ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength, ValidateBy, type ValidationArguments } from 'class-validator';
import { forbiddenCharacter } from '@pressroom/protocol';
import { AppError } from './app-error';
import { assertPlainPayload } from './plain-payload';

/** For `@Transform`: text fields are stored without surrounding white space. */
export const trimString = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

const describe = (errors: ValidationError[]): string[] =>
  errors.flatMap((error) => [...Object.values(error.constraints ?? {}), ...describe(error.children ?? [])]);

/**
 * Validates a payload against its DTO class: only the known fields, of the right types; failures are
 * `bad_request` errors listing every broken rule. `isPayload` tells which parameters carry the payload.
 */
export class PayloadValidationPipe extends ValidationPipe {
  constructor(private readonly isPayload: (metadata: ArgumentMetadata) => boolean) {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      // assertPlainPayload has made sure a payload is a plain object: an empty DTO class then means "no fields".
      forbidUnknownValues: false,
      transform: true,
      exceptionFactory: (errors) => new AppError('bad_request', describe(errors).join('; ') || 'Invalid payload'),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (this.isPayload(metadata)) assertPlainPayload(value);
    return super.transform(value, metadata);
  }
}

/**
 * Text a person typed: refused when it carries a control character (NUL, escape, C1, bidi overrides…),
 * by the one rule of `forbiddenCharacter` in libs/protocol. `multiline` also lets line breaks and tabs in.
 */
export function PlainText(options: { multiline?: boolean } = {}): PropertyDecorator {
  const multiline = options.multiline ?? false;
  return ValidateBy({
    name: 'plainText',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || forbiddenCharacter(value, multiline) === null,
      defaultMessage: ({ property, value }: ValidationArguments) =>
        `${property} must not contain control characters${multiline ? '' : ' or line breaks'} ` +
        `(${forbiddenCharacter(String(value), multiline)} found)`,
    },
  });
}

/**
 * A text field people type (a name, an outlet, a chat message, a question, a hand's topic): a string,
 * trimmed, within its length limits, without control characters. `minLength` defaults to 1 (not blank).
 */
export function TypedText(options: { maxLength: number; minLength?: number; multiline?: boolean }): PropertyDecorator {
  const minLength = options.minLength ?? 1;
  // Applied in the order a stack of these decorators would be, bottom first: the error messages keep their order.
  return applyDecorators(
    PlainText({ multiline: options.multiline }),
    MaxLength(options.maxLength),
    ...(minLength > 0 ? [MinLength(minLength)] : []),
    IsString(),
    Transform(trimString),
  );
}
