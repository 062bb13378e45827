import { applyDecorators } from '@nestjs/common';
import { IsEmail, isEmail, IsString, MaxLength } from 'class-validator';
import { FieldMessage } from './flow-messages.js';

/**
 * The one rule for an account's email address, used by the HTTP bodies
 * (register, confirm resend, reset, change-email, username recovery) and by
 * the admin CLI, so neither accepts an address the other refuses.
 */

/** RFC 5321's limit on a forward path. */
export const MAX_EMAIL_LENGTH = 254;

/** validator.js's isEmail with its defaults: a dotted domain, no display name, no IP literal. */
const EMAIL_SYNTAX = {};

/** Problems with a typed email address (the messages HTTP field errors carry); empty when fine. */
export function emailProblems(email: unknown): string[] {
  if (typeof email !== 'string') return [FieldMessage.EMAIL_NOT_PROVIDED];
  if (email.length > MAX_EMAIL_LENGTH || !isEmail(email, EMAIL_SYNTAX)) return [FieldMessage.INVALID_EMAIL_ADDRESS];
  return [];
}

/** The stored form of a valid address: as typed, trimmed. Lookups compare case-insensitively. */
export function normalizeEmail(email: string): string {
  return email.trim();
}

/** The DTO form of {@link emailProblems}, for a required `email` field. */
export function IsAccountEmail(): PropertyDecorator {
  // Listed in the order TypeScript applies stacked decorators (bottom first), so field errors keep their order.
  return applyDecorators(
    IsEmail(EMAIL_SYNTAX, { message: FieldMessage.INVALID_EMAIL_ADDRESS }),
    MaxLength(MAX_EMAIL_LENGTH),
    IsString({ message: FieldMessage.EMAIL_NOT_PROVIDED }),
  );
}
