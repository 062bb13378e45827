import { ValidationPipe, type ArgumentMetadata, type ValidationError, type ValidationPipeOptions } from '@nestjs/common';
import { ValidationFailedException } from '../errors/security.exception.js';
import { DEFAULT_BODY_LIMITS, exceededBodyLimit, type BodyLimits } from './body-limits.js';
import { BodyTooComplexException } from './body-too-complex.exception.js';
import { flattenValidationErrors, WHOLE_VALUE_FIELD } from './flatten-validation-errors.js';

export interface SecurityValidationPipeOptions extends ValidationPipeOptions {
  /** Caps on a body's or query's shape, checked before anything else (defaults: DEFAULT_BODY_LIMITS). */
  bodyLimits?: Partial<BodyLimits>;
}

/**
 * ValidationPipe that first refuses, before class-transformer walks it, a
 * body or query over its BodyLimits (400 BODY_TOO_COMPLEX), and refuses as
 * one clear field error a body that is not a JSON object (an array would
 * otherwise be validated index by index into a confusing list).
 */
export class SecurityValidationPipe extends ValidationPipe {
  protected readonly bodyLimits: Readonly<BodyLimits>;

  constructor({ bodyLimits, ...options }: SecurityValidationPipeOptions = {}) {
    super(options);
    this.bodyLimits = { ...DEFAULT_BODY_LIMITS, ...bodyLimits };
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const exceeded = exceededBodyLimit(value, this.bodyLimits);
      if (exceeded) throw new BodyTooComplexException(exceeded);
    }
    if (
      metadata.type === 'body' &&
      !metadata.data &&
      value !== undefined &&
      value !== null &&
      (typeof value !== 'object' || Array.isArray(value)) &&
      this.toValidate(metadata)
    ) {
      throw new ValidationFailedException({ [WHOLE_VALUE_FIELD]: ['The body must be a JSON object'] });
    }
    return super.transform(value, metadata);
  }
}

/**
 * The ValidationPipe every nest-security controller binds with `@UsePipes`,
 * so its DTOs are checked the same way whatever global pipe the host app
 * has: bodies over the BodyLimits refused untouched, unknown fields
 * rejected, values transformed to the DTO class, and failures answered as
 * 400 `VALIDATION_ERROR` with `errors: { field: [messages] }`.
 *
 * Neither the rejected values nor the DTO instance are kept in the errors
 * (`validationError.target/value: false`): a password must not travel into
 * a log or a body through them.
 */
export function createSecurityValidationPipe(overrides: SecurityValidationPipeOptions = {}): SecurityValidationPipe {
  return new SecurityValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors: ValidationError[]) => new ValidationFailedException(flattenValidationErrors(errors)),
    ...overrides,
    validationError: { target: false, value: false, ...overrides.validationError },
  });
}
