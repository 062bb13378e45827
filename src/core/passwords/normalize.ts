/*
 * Password text rules as Flask-Security's PasswordUtil: the typed password is
 * normalised to Unicode NFKD before it is checked, hashed or compared, and its
 * length is counted after normalisation, in code points (Python's len()).
 */

export type PasswordNormalizeForm = 'NFC' | 'NFD' | 'NFKC' | 'NFKD';

/** Flask-Security's SECURITY_PASSWORD_NORMALIZE_FORM default. */
export const PASSWORD_NORMALIZE_FORM: PasswordNormalizeForm = 'NFKD';

/** The password as Flask-Security hashes it by default: NFKD-normalised. */
export function normalizePassword(password: string): string {
  return password.normalize(PASSWORD_NORMALIZE_FORM);
}

/** Length in code points, so that an emoji counts once, as in Python. */
export function codePointLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is a single code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    length++;
  }
  return length;
}

export interface PasswordLengthRule {
  min: number;
  max: number;
}

/**
 * Why this (already normalised) password breaks the length rule; empty when
 * it does not. Flask-Security words both cases as "at least"; the upper bound
 * gets its own message here.
 */
export function passwordLengthProblems(normalized: string, rule: PasswordLengthRule): string[] {
  const length = codePointLength(normalized);
  if (length < rule.min) return [`Password must be at least ${rule.min} characters`];
  if (length > rule.max) return [`Password must be at most ${rule.max} characters`];
  return [];
}
