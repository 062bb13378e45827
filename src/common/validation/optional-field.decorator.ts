import { ValidateIf } from 'class-validator';

/**
 * A field that may be left out, but not sent as null: class-validator's
 * `@IsOptional()` skips every check for null too, so `{ "csrf_token": null }`
 * would pass a string field. Absent (undefined) skips the field's other
 * validators; anything else, null included, goes through them.
 */
export function OptionalField(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
