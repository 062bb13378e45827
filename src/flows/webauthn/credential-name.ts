import { ValidationFailedException } from '../../common/errors/index.js';

/** WAN_NAME_MAX_LENGTH. */
export const MAX_CREDENTIAL_NAME_LENGTH = 64;

/** Letters, numbers, connector and dash punctuation, spaces: Flask-Security's WAN_NAME_ALLOWED_CHARS (L, N, Pc, Pd, Zs). */
const ALLOWED = /^[\p{L}\p{N}\p{Pc}\p{Pd}\p{Zs}]+$/u;

/**
 * A passkey name as Flask-Security's name_svn makes it: NFKC-normalised,
 * trimmed, only allowed characters, at most 64 of them. Throws a 400
 * VALIDATION_ERROR on `name` otherwise.
 */
export function cleanCredentialName(input: string): string {
  const clean = input.normalize('NFKC').trim();
  if (clean.length === 0 || !ALLOWED.test(clean)) {
    throw new ValidationFailedException({ name: ['use letters, numbers, spaces, dashes and underscores only'] });
  }
  if ([...clean].length > MAX_CREDENTIAL_NAME_LENGTH) {
    throw new ValidationFailedException({ name: [`at most ${MAX_CREDENTIAL_NAME_LENGTH} characters`] });
  }
  return clean;
}
