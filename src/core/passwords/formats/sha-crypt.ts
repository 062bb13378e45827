import { createHash, timingSafeEqual } from 'node:crypto';
import { MAX_SHA_CRYPT_ROUNDS } from '../limits.js';
import { encodeHash64 } from './hash64.js';
import type { PasswordFormat } from './password-format.js';
import { shaCryptDigestOffThread } from './sha-crypt-pool.js';
import { shaCryptDigest } from './sha-crypt-scheme.js';

/*
 * SHA-crypt, `$5$` (SHA-256) and `$6$` (SHA-512), after Ulrich Drepper's
 * "Unix crypt using SHA-256 and SHA-512" specification, as glibc and
 * passlib's sha256_crypt / sha512_crypt implement it.
 */

export type ShaCryptId = '5' | '6';

interface ShaCryptVariant {
  readonly id: ShaCryptId;
  readonly name: string;
  readonly digest: 'sha256' | 'sha512';
  readonly checksumLength: number;
  /** Digest byte indices in the order the specification encodes them. */
  readonly order: readonly number[];
}

/**
 * The specification lists the output as groups (B2, B1, B0) of digest
 * indices, each encoded as the 24-bit number B2 << 16 | B1 << 8 | B0; the
 * little-endian hash64 encoder wants them as [B0, B1, B2].
 */
function orderFromGroups(groups: ReadonlyArray<readonly number[]>): number[] {
  return groups.flatMap((group) => [...group].reverse());
}

const SHA256_GROUPS = [
  [0, 10, 20],
  [21, 1, 11],
  [12, 22, 2],
  [3, 13, 23],
  [24, 4, 14],
  [15, 25, 5],
  [6, 16, 26],
  [27, 7, 17],
  [18, 28, 8],
  [9, 19, 29],
  [31, 30], // final group: 0, d[31], d[30], three characters
];
const SHA512_GROUPS = [
  [0, 21, 42],
  [22, 43, 1],
  [44, 2, 23],
  [3, 24, 45],
  [25, 46, 4],
  [47, 5, 26],
  [6, 27, 48],
  [28, 49, 7],
  [50, 8, 29],
  [9, 30, 51],
  [31, 52, 10],
  [53, 11, 32],
  [12, 33, 54],
  [34, 55, 13],
  [56, 14, 35],
  [15, 36, 57],
  [37, 58, 16],
  [59, 17, 38],
  [18, 39, 60],
  [40, 61, 19],
  [62, 20, 41],
  [63], // final group: 0, 0, d[63], two characters
];

const VARIANTS: Record<ShaCryptId, ShaCryptVariant> = {
  '5': {
    id: '5',
    name: 'sha256_crypt',
    digest: 'sha256',
    checksumLength: 43,
    order: orderFromGroups(SHA256_GROUPS),
  },
  '6': {
    id: '6',
    name: 'sha512_crypt',
    digest: 'sha512',
    checksumLength: 86,
    order: orderFromGroups(SHA512_GROUPS),
  },
};

/** Rounds when a hash names none (the specification's default). */
export const SHA_CRYPT_DEFAULT_ROUNDS = 5000;
/** Fewest rounds the specification (and passlib) allow. */
export const SHA_CRYPT_MIN_ROUNDS = 1000;
const MAX_SALT_LENGTH = 16;

/** The parts of a `$5$` / `$6$` hash string. */
export interface ParsedShaCrypt {
  id: ShaCryptId;
  rounds: number;
  /** Whether the string spelled `rounds=`; without it the rounds are 5000. */
  explicitRounds: boolean;
  salt: string;
  checksum: string;
}

// Decimal rounds without leading zeros (passlib refuses zero-padded rounds), salt of
// up to 16 hash64 characters, checksum of hash64 characters.
const SHA_CRYPT_PATTERN = /^\$([56])\$(?:rounds=([1-9][0-9]{0,9})\$)?([./0-9A-Za-z]{0,16})\$([./0-9A-Za-z]{43}|[./0-9A-Za-z]{86})$/;

/** Parses a SHA-crypt hash; null unless well-formed and within the rounds limits. */
export function parseShaCrypt(hash: string, maxRounds = MAX_SHA_CRYPT_ROUNDS): ParsedShaCrypt | null {
  const match = SHA_CRYPT_PATTERN.exec(hash);
  if (!match) return null;
  const id = match[1] as ShaCryptId;
  const rounds = match[2] === undefined ? SHA_CRYPT_DEFAULT_ROUNDS : Number(match[2]);
  if (rounds < SHA_CRYPT_MIN_ROUNDS || rounds > maxRounds) return null;
  if (match[4].length !== VARIANTS[id].checksumLength) return null;
  return { id, rounds, explicitRounds: match[2] !== undefined, salt: match[3], checksum: match[4] };
}

/** Formats a SHA-crypt hash; rounds are always spelled out, which passlib and glibc both read. */
export function formatShaCrypt(id: ShaCryptId, rounds: number, salt: string, checksum: string): string {
  return `$${id}$rounds=${rounds}$${salt}$${checksum}`;
}

/**
 * The checksum (hash64 text) of `password` with this salt and rounds, on the
 * calling thread: for the few thousand rounds of hashes made here only.
 */
export function shaCryptChecksum(id: ShaCryptId, password: Uint8Array, salt: string, rounds: number): string {
  const variant = VARIANTS[id];
  return encodeHash64(shaCryptDigest(createHash, variant.digest, password, saltBytes(salt), rounds), variant.order);
}

/** As shaCryptChecksum, on a worker thread: the event loop stays free however many rounds. */
export async function shaCryptChecksumAsync(id: ShaCryptId, password: Uint8Array, salt: string, rounds: number): Promise<string> {
  const variant = VARIANTS[id];
  return encodeHash64(await shaCryptDigestOffThread(variant.digest, password, saltBytes(salt), rounds), variant.order);
}

/** The specification uses at most 16 salt characters. */
function saltBytes(salt: string): Buffer {
  return Buffer.from(salt.slice(0, MAX_SALT_LENGTH), 'latin1');
}

/** Constant-time comparison of a computed checksum with the stored one (equal lengths by construction). */
export function checksumsEqual(computed: string, stored: string): boolean {
  const a = Buffer.from(computed, 'latin1');
  const b = Buffer.from(stored, 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Verifies `$5$` and `$6$` password hashes (passlib's sha256_crypt and sha512_crypt). */
export const shaCryptFormat: PasswordFormat = {
  name: 'sha256_crypt/sha512_crypt',
  identify: (hash) => hash.startsWith('$5$') || hash.startsWith('$6$'),
  async verify(secret, hash) {
    const parsed = parseShaCrypt(hash);
    if (!parsed) return false;
    const computed = await shaCryptChecksumAsync(parsed.id, Buffer.from(secret, 'utf8'), parsed.salt, parsed.rounds);
    return checksumsEqual(computed, parsed.checksum);
  },
};
