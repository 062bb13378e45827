import { pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { MAX_PBKDF2_ITERATIONS } from '../limits.js';
import type { PasswordFormat } from './password-format.js';

/*
 * passlib's own PBKDF2 formats (verify only):
 *   $pbkdf2-sha256$<iterations>$<salt>$<checksum>
 *   $pbkdf2-sha512$<iterations>$<salt>$<checksum>
 * Salt and checksum are raw bytes in passlib's "ab64": standard base64
 * without padding, with '.' in place of '+'.
 */

const pbkdf2Async = promisify(pbkdf2);

const DIGESTS = { sha256: 32, sha512: 64 } as const;
type Pbkdf2Digest = keyof typeof DIGESTS;
const AB64_TEXT = /^[A-Za-z0-9./+]*$/;

// Iterations in decimal without leading zeros (as passlib's parser), ab64 salt and checksum.
const PBKDF2_PATTERN = /^\$pbkdf2-(sha256|sha512)\$([1-9][0-9]{0,9})\$([A-Za-z0-9./+]*)\$([A-Za-z0-9./+]+)$/;

/** Decodes passlib's ab64 (also accepting '+', as passlib does); null for anything but unpadded base64. */
export function decodeAb64(text: string): Buffer | null {
  if (!AB64_TEXT.test(text) || text.length % 4 === 1) return null;
  return Buffer.from(text.replace(/\./g, '+'), 'base64');
}

/** Encodes bytes as passlib's ab64. */
export function encodeAb64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/=+$/, '').replace(/\+/g, '.');
}

export interface ParsedPbkdf2 {
  digest: Pbkdf2Digest;
  iterations: number;
  salt: Buffer;
  checksum: Buffer;
}

/** Parses a passlib PBKDF2 hash; null unless well-formed and within the iteration limit. */
export function parsePbkdf2(hash: string): ParsedPbkdf2 | null {
  const match = PBKDF2_PATTERN.exec(hash);
  if (!match) return null;
  const digest = match[1] as Pbkdf2Digest;
  const iterations = Number(match[2]);
  if (iterations > MAX_PBKDF2_ITERATIONS) return null;
  const salt = decodeAb64(match[3]);
  const checksum = decodeAb64(match[4]);
  if (!salt || !checksum || checksum.length !== DIGESTS[digest]) return null;
  return { digest, iterations, salt, checksum };
}

/** Verifies passlib's pbkdf2_sha256 and pbkdf2_sha512 hashes, on libuv's thread pool. */
export const pbkdf2Format: PasswordFormat = {
  name: 'pbkdf2_sha256/pbkdf2_sha512',
  identify: (hash) => hash.startsWith('$pbkdf2-sha256$') || hash.startsWith('$pbkdf2-sha512$'),
  async verify(secret, hash) {
    const parsed = parsePbkdf2(hash);
    if (!parsed) return false;
    const derived = await pbkdf2Async(Buffer.from(secret, 'utf8'), parsed.salt, parsed.iterations, parsed.checksum.length, parsed.digest);
    return timingSafeEqual(derived, parsed.checksum);
  },
};
