import type { ValidationError } from '@nestjs/common';
import type { FieldErrors } from '../errors/security.exception.js';

/** Caps, so that a body with ten thousand bad items does not get a ten-thousand-line answer. */
export interface FlattenLimits {
  maxFields: number;
  maxPathLength: number;
}

const DEFAULT_LIMITS: FlattenLimits = { maxFields: 100, maxPathLength: 200 };

/** Errors that belong to the value as a whole (no property) are filed under this key. */
export const WHOLE_VALUE_FIELD = 'body';

/**
 * class-validator's error tree as `{ 'a.b': [messages] }`: nested objects
 * joined with dots, array items by index (`items.0.name`). Paths longer than
 * maxPathLength are cut; past maxFields the rest is dropped.
 */
export function flattenValidationErrors(errors: readonly ValidationError[], limits: Partial<FlattenLimits> = {}): FieldErrors {
  const { maxFields, maxPathLength } = { ...DEFAULT_LIMITS, ...limits };
  const result: FieldErrors = {};
  let fields = 0;
  // iterative depth-first walk: nesting depth is the client's to choose
  const pending: Array<[ValidationError, string]> = [...errors].reverse().map((error) => [error, '']);
  while (pending.length > 0) {
    const [error, parent] = pending.pop()!;
    const property = error.property === undefined || error.property === '' ? '' : String(error.property);
    const path = (parent && property ? `${parent}.${property}` : parent || property).slice(0, maxPathLength);
    const messages = Object.values(error.constraints ?? {});
    if (messages.length > 0) {
      const key = path || WHOLE_VALUE_FIELD;
      if (!(key in result)) {
        if (fields >= maxFields) break;
        fields++;
        result[key] = [];
      }
      result[key].push(...messages);
    }
    const children = error.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) pending.push([children[i], path]);
  }
  return result;
}
