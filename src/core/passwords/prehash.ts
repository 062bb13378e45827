import { createHmac } from 'node:crypto';

/**
 * Flask-Security's get_hmac: base64(HMAC-SHA512(key = SECURITY_PASSWORD_SALT,
 * msg = normalised password)), both UTF-8. The 88 ASCII characters are what
 * the password hash is computed over ("double hashing"), so a stolen hash
 * table alone cannot be attacked without the salt.
 */
export function hmacPrehash(passwordSalt: string, normalizedPassword: string): string {
  return createHmac('sha512', Buffer.from(passwordSalt, 'utf8')).update(normalizedPassword, 'utf8').digest('base64');
}
