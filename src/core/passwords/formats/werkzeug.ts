import { pbkdf2, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { promisify } from 'node:util';
import { MAX_PBKDF2_ITERATIONS } from '../limits.js';
import type { PasswordFormat } from './password-format.js';

/*
 * Werkzeug's generate_password_hash, what Flask-Login apps store (verify only):
 *   pbkdf2:<sha256|sha512|sha1>:<iterations>$<salt>$<hex>   hashlib.pbkdf2_hmac
 *   scrypt:<N>:<r>:<p>$<salt>$<hex>                          hashlib.scrypt, 64 bytes
 * The salt is text, used as its UTF-8 bytes. Werkzeug hashes the password as
 * typed: no normalisation and no pre-hash, so this format gets the raw password.
 */

const pbkdf2Async = promisify(pbkdf2);
const scryptAsync = promisify(scrypt) as (password: Buffer, salt: Buffer, keylen: number, options: ScryptOptions) => Promise<Buffer>;

const PBKDF2_PATTERN = /^pbkdf2:(sha256|sha512|sha1):([1-9][0-9]{0,9})\$([^$]{1,128})\$([0-9a-f]+)$/;
const SCRYPT_PATTERN = /^scrypt:([1-9][0-9]{0,9}):([1-9][0-9]{0,3}):([1-9][0-9]{0,3})\$([^$]{1,128})\$([0-9a-f]{128})$/;
const DIGEST_BYTES = { sha1: 20, sha256: 32, sha512: 64 } as const;

/** Most memory one scrypt verification may take (Werkzeug's default, N=32768 r=8, needs 32 MiB). */
export const MAX_SCRYPT_MEMORY_BYTES = 256 * 1024 * 1024;

function hexEqual(derived: Buffer, hex: string): boolean {
  const expected = Buffer.from(hex, 'hex');
  return expected.length === derived.length && timingSafeEqual(derived, expected);
}

async function verifyPbkdf2(password: string, hash: string): Promise<boolean> {
  const match = PBKDF2_PATTERN.exec(hash);
  if (!match) return false;
  const digest = match[1] as keyof typeof DIGEST_BYTES;
  const iterations = Number(match[2]);
  if (iterations > MAX_PBKDF2_ITERATIONS || match[4].length !== 2 * DIGEST_BYTES[digest]) return false;
  const derived = await pbkdf2Async(Buffer.from(password, 'utf8'), Buffer.from(match[3], 'utf8'), iterations, DIGEST_BYTES[digest], digest);
  return hexEqual(derived, match[4]);
}

async function verifyScrypt(password: string, hash: string): Promise<boolean> {
  const match = SCRYPT_PATTERN.exec(hash);
  if (!match) return false;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // scrypt needs about 128 * N * r bytes per lane; N a power of two, as hashlib requires.
  const memory = 128 * N * r * p;
  if ((N & (N - 1)) !== 0 || N < 2 || memory > MAX_SCRYPT_MEMORY_BYTES) return false;
  const derived = await scryptAsync(Buffer.from(password, 'utf8'), Buffer.from(match[4], 'utf8'), 64, {
    N,
    r,
    p,
    maxmem: 2 * memory + 1024 * 1024,
  });
  return hexEqual(derived, match[5]);
}

/** Verifies Werkzeug's pbkdf2: and scrypt: hashes, on libuv's thread pool. */
export const werkzeugFormat: PasswordFormat & { readonly hashesTypedPassword: true } = {
  name: 'werkzeug pbkdf2/scrypt',
  hashesTypedPassword: true,
  identify: (hash) => hash.startsWith('pbkdf2:') || hash.startsWith('scrypt:'),
  verify: (password, hash) => (hash.startsWith('scrypt:') ? verifyScrypt(password, hash) : verifyPbkdf2(password, hash)),
};
