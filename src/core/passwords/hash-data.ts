import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  checksumsEqual,
  formatShaCrypt,
  parseShaCrypt,
  shaCryptChecksum,
  shaCryptChecksumAsync,
  SHA_CRYPT_MIN_ROUNDS,
} from './formats/sha-crypt.js';
import { randomHash64 } from './formats/hash64.js';

/*
 * Flask-Security's hash_data / verify_hash: a passlib CryptContext of
 * ["sha256_crypt", "hex_md5"] (hex_md5 deprecated), used inside confirm,
 * reset and change-email tokens to bind them to the email or password hash
 * they were made for. Flask-Security writes sha256_crypt at passlib's
 * default of 535,000 rounds; the value is neither secret nor guessable-by-
 * brute-force here (an email is known to its owner, a password hash is
 * itself a slow hash), so tokens made here use fewer rounds, which passlib
 * reads just the same.
 */

/**
 * Rounds of the `$5$` hashes made here: SHA-crypt's minimum, about 2 ms on
 * the calling thread (tokens are minted synchronously).
 */
export const HASH_DATA_DEFAULT_ROUNDS = 1000;

/**
 * Most rounds verifyHashDataAsync will run (on a worker thread).
 * Flask-Security's 535,000 take about a second there.
 */
export const HASH_DATA_MAX_ROUNDS = 1_000_000;

/** Values longer than this (UTF-8 bytes) are refused: SHA-crypt's set-up grows with the square of the length. */
export const HASH_DATA_MAX_VALUE_BYTES = 4096;

const SALT_LENGTH = 16;
const HEX_MD5 = /^[0-9a-fA-F]{32}$/;

/** passlib-compatible `$5$rounds=N$salt$checksum` of `value` (UTF-8). */
export function hashData(value: string, rounds: number = HASH_DATA_DEFAULT_ROUNDS): string {
  if (typeof value !== 'string') throw new TypeError('hashData: value must be a string');
  if (!Number.isInteger(rounds) || rounds < SHA_CRYPT_MIN_ROUNDS || rounds > HASH_DATA_MAX_ROUNDS) {
    throw new RangeError(`hashData: rounds must be an integer from ${SHA_CRYPT_MIN_ROUNDS} to ${HASH_DATA_MAX_ROUNDS}`);
  }
  const bytes = valueBytes(value);
  if (!bytes) throw new RangeError(`hashData: value must have no NUL character and at most ${HASH_DATA_MAX_VALUE_BYTES} bytes`);
  const salt = randomHash64(randomBytes(SALT_LENGTH));
  return formatShaCrypt('5', rounds, salt, shaCryptChecksum('5', bytes, salt, rounds));
}

/**
 * Whether `hashed` (sha256_crypt or hex_md5, as Flask-Security's verify_hash
 * accepts) was made from `value`; the SHA-crypt rounds run on a worker
 * thread. False, never a throw (nor a rejection), for anything else.
 */
export async function verifyHashDataAsync(hashed: unknown, value: unknown): Promise<boolean> {
  try {
    const check = prepare(hashed, value);
    if (check === null) return false;
    if (check.kind === 'hex_md5') return hexMd5Matches(check.bytes, check.hex);
    return checksumsEqual(await shaCryptChecksumAsync('5', check.bytes, check.salt, check.rounds), check.checksum);
  } catch {
    return false;
  }
}

type Check =
  { kind: 'hex_md5'; bytes: Buffer; hex: string } | { kind: 'sha256_crypt'; bytes: Buffer; salt: string; rounds: number; checksum: string };

function prepare(hashed: unknown, value: unknown): Check | null {
  if (typeof hashed !== 'string' || typeof value !== 'string') return null;
  const bytes = valueBytes(value);
  if (!bytes) return null;
  if (HEX_MD5.test(hashed)) return { kind: 'hex_md5', bytes, hex: hashed };
  // Only sha256_crypt: `$6$` is not in Flask-Security's hashing context.
  if (!hashed.startsWith('$5$')) return null;
  const parsed = parseShaCrypt(hashed, HASH_DATA_MAX_ROUNDS);
  if (!parsed) return null;
  return { kind: 'sha256_crypt', bytes, salt: parsed.salt, rounds: parsed.rounds, checksum: parsed.checksum };
}

function hexMd5Matches(bytes: Buffer, hex: string): boolean {
  return timingSafeEqual(createHash('md5').update(bytes).digest(), Buffer.from(hex, 'hex'));
}

/** UTF-8 bytes of a value passlib would hash, or null (passlib refuses NUL bytes). */
function valueBytes(value: string): Buffer | null {
  if (value.length > HASH_DATA_MAX_VALUE_BYTES || value.includes('\0')) return null;
  const bytes = Buffer.from(value, 'utf8');
  return bytes.length > HASH_DATA_MAX_VALUE_BYTES ? null : bytes;
}
