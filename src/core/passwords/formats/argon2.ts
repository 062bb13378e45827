import argon2, { type Algorithm, type ParsedHashOptions } from '@node-rs/argon2';
import { MAX_ARGON2_MEMORY_KIB, MAX_ARGON2_PARALLELISM, MAX_ARGON2_WORK_KIB } from '../limits.js';
import type { PasswordFormat } from './password-format.js';

/*
 * Argon2 in the PHC string format that argon2-cffi (behind passlib) and
 * @node-rs/argon2 both write: $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>.
 * New hashes are argon2id; argon2i and argon2d hashes still verify.
 */

export interface Argon2Params {
  /** Memory in KiB. */
  memoryCost: number;
  /** Passes over memory. */
  timeCost: number;
  /** Lanes. */
  parallelism: number;
}

/** OWASP's first argon2id recommendation, as @node-rs/argon2's defaults: 19 MiB, 2 passes, 1 lane. */
export const DEFAULT_ARGON2_PARAMS: Readonly<Argon2Params> = Object.freeze({ memoryCost: 19456, timeCost: 2, parallelism: 1 });

// @node-rs/argon2 declares its enums as `const enum`, which isolated modules cannot read: spell the values.
const ARGON2ID = 2 as Algorithm;
/** Values of ParsedHashOptions.algorithm and .version. */
export const ARGON2_ALGORITHM = { d: 0, i: 1, id: 2 } as const;
export const ARGON2_VERSION_0x13 = 1;

const ARGON2_PREFIX = /^\$argon2(?:id|i|d)\$/;

/** Hashes `secret` with argon2id (version 0x13, 16-byte random salt, 32-byte output). */
export function hashArgon2(secret: string, params: Argon2Params): Promise<string> {
  return argon2.hash(secret, { ...params, algorithm: ARGON2ID });
}

/** The parameters of an argon2 hash, or null when it does not parse. */
export function parseArgon2(hash: string): ParsedHashOptions | null {
  if (!ARGON2_PREFIX.test(hash)) return null;
  try {
    return argon2.parseOptions(hash);
  } catch {
    return null;
  }
}

function withinLimits(options: ParsedHashOptions): boolean {
  return (
    options.memoryCost <= MAX_ARGON2_MEMORY_KIB &&
    options.memoryCost * options.timeCost <= MAX_ARGON2_WORK_KIB &&
    options.parallelism <= MAX_ARGON2_PARALLELISM
  );
}

/** Verifies argon2id, argon2i and argon2d hashes off the main thread. */
export const argon2Format: PasswordFormat = {
  name: 'argon2',
  identify: (hash) => ARGON2_PREFIX.test(hash),
  async verify(secret, hash) {
    const options = parseArgon2(hash);
    if (!options || !withinLimits(options)) return false;
    return argon2.verify(hash, secret);
  },
};
