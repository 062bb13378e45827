import { hash as bcryptHash, verify as bcryptVerify } from '@node-rs/bcrypt';
import { MAX_BCRYPT_COST } from '../limits.js';
import type { PasswordFormat } from './password-format.js';

/*
 * bcrypt, `$2b$` (written here), `$2a$` and `$2y$` (verified): the modular
 * crypt string $2b$<cost>$<22 salt chars><31 hash chars>. bcrypt reads at
 * most 72 bytes of the secret, so of Flask-Security's 88-character HMAC
 * pre-hash the first 72 count, exactly as passlib truncates it.
 */

export const BCRYPT_MIN_COST = 4;
const BCRYPT_PATTERN = /^\$2([aby])\$([0-9]{2})\$[./A-Za-z0-9]{53}$/;

export interface ParsedBcrypt {
  variant: 'a' | 'b' | 'y';
  cost: number;
}

/** The variant and cost of a bcrypt hash, or null when it is malformed. */
export function parseBcrypt(hash: string): ParsedBcrypt | null {
  const match = BCRYPT_PATTERN.exec(hash);
  if (!match) return null;
  const cost = Number(match[2]);
  if (cost < BCRYPT_MIN_COST || cost > 31) return null;
  return { variant: match[1] as ParsedBcrypt['variant'], cost };
}

/** Hashes `secret` as `$2b$` with 2^cost rounds, on libuv's thread pool (native). */
export function hashBcrypt(secret: string, cost: number): Promise<string> {
  return bcryptHash(secret, cost); // $2b$, the version passlib and Flask-Security write
}

/** Verifies bcrypt hashes on libuv's thread pool, off the event loop. */
export const bcryptFormat: PasswordFormat = {
  name: 'bcrypt',
  identify: (hash) => hash.startsWith('$2'),
  async verify(secret, hash) {
    const parsed = parseBcrypt(hash);
    if (!parsed || parsed.cost > MAX_BCRYPT_COST) return false;
    return bcryptVerify(secret, hash);
  },
};
