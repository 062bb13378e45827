import {
  argon2Format,
  ARGON2_ALGORITHM,
  ARGON2_VERSION_0x13,
  DEFAULT_ARGON2_PARAMS,
  hashArgon2,
  parseArgon2,
  type Argon2Params,
} from './formats/argon2.js';
import { BCRYPT_MIN_COST, bcryptFormat, hashBcrypt, parseBcrypt } from './formats/bcrypt.js';
import type { PasswordFormat } from './formats/password-format.js';
import { pbkdf2Format } from './formats/pbkdf2.js';
import { shaCryptFormat } from './formats/sha-crypt.js';
import { werkzeugFormat } from './formats/werkzeug.js';
import {
  MAX_ARGON2_MEMORY_KIB,
  MAX_ARGON2_PARALLELISM,
  MAX_ARGON2_WORK_KIB,
  MAX_BCRYPT_COST,
  MAX_PASSWORD_INPUT_LENGTH,
  MAX_STORED_HASH_LENGTH,
} from './limits.js';
import { PASSWORD_NORMALIZE_FORM, passwordLengthProblems, type PasswordNormalizeForm } from './normalize.js';
import { hmacPrehash } from './prehash.js';

export type PasswordHashScheme = 'argon2' | 'bcrypt';

export interface PasswordHasherOptions {
  /**
   * Flask-Security's SECURITY_PASSWORD_SALT: the key of the HMAC-SHA512
   * pre-hash. Left unset, passwords are hashed as they are, which matches a
   * Flask-Security app run with SECURITY_PASSWORD_SINGLE_HASH = True
   * (Flask-Security itself refuses to double-hash without a salt).
   */
  passwordSalt?: string | null;
  /** Scheme of new hashes; every supported format still verifies. Default 'argon2' (argon2id). */
  scheme?: PasswordHashScheme;
  /**
   * Flask-Security's PASSWORD_SINGLE_HASH: hashes of these schemes (true:
   * every scheme) are of the normalised password itself, without the HMAC
   * pre-hash, both when verified and when made. For tables of plain bcrypt
   * hashes (flask-bones) in an app that sets a passwordSalt for its new
   * argon2id hashes: `singleHash: ['bcrypt']`. Default false.
   */
  singleHash?: boolean | ReadonlyArray<PasswordHashScheme>;
  /** argon2id parameters of new hashes; default 19456 KiB, 2 passes, 1 lane. */
  argon2?: Partial<Argon2Params>;
  /** bcrypt cost of new hashes (log2 rounds); default 12, as Flask-Security's passlib. */
  bcryptRounds?: number;
  /**
   * Flask-Security's SECURITY_PASSWORD_NORMALIZE_FORM: 'NFKD' by default (since
   * Flask-Security 4.0); null for apps that turned normalisation off, whose
   * stored hashes are of the password exactly as typed.
   */
  normalizeForm?: PasswordNormalizeForm | null;
  /** Fewest characters (code points, after NFKD). Default 8. */
  lengthMin?: number;
  /** Most characters (code points, after NFKD). Default 128. */
  lengthMax?: number;
}

/** Highest lengthMax: well inside the typed-input limit, however the password is written. */
const MAX_LENGTH_RULE = 1024;

/** Formats checked by verify(), in the order tried. */
const FORMATS: readonly PasswordFormat[] = [argon2Format, bcryptFormat, pbkdf2Format, shaCryptFormat, werkzeugFormat];

/**
 * Flask-Security-compatible password hashing: NFKD normalisation, the HMAC
 * pre-hash keyed by the password salt, argon2id (or bcrypt) for new hashes,
 * and verification of the formats a Flask-Security users table may hold:
 * argon2, bcrypt, passlib's pbkdf2_sha256/pbkdf2_sha512 and SHA-crypt; and
 * Werkzeug's pbkdf2:/scrypt:, what Flask-Login apps store.
 */
export class PasswordHasher {
  readonly scheme: PasswordHashScheme;
  readonly argon2: Readonly<Argon2Params>;
  readonly bcryptRounds: number;
  readonly lengthMin: number;
  readonly lengthMax: number;
  readonly normalizeForm: PasswordNormalizeForm | null;
  private readonly passwordSalt: string | null;
  private readonly singleHash: ReadonlySet<string> | 'all';

  constructor(options: PasswordHasherOptions = {}) {
    const {
      passwordSalt = null,
      scheme = 'argon2',
      bcryptRounds = 12,
      lengthMin = 8,
      lengthMax = 128,
      normalizeForm = PASSWORD_NORMALIZE_FORM,
    } = options;
    if (passwordSalt !== null && typeof passwordSalt !== 'string') throw new TypeError('PasswordHasher: passwordSalt must be a string');
    if (scheme !== 'argon2' && scheme !== 'bcrypt')
      throw new RangeError(`PasswordHasher: scheme must be 'argon2' or 'bcrypt', got "${String(scheme)}"`);
    const argon2 = { ...DEFAULT_ARGON2_PARAMS, ...options.argon2 };
    if (normalizeForm !== null && !['NFC', 'NFD', 'NFKC', 'NFKD'].includes(normalizeForm)) {
      throw new RangeError(`PasswordHasher: normalizeForm must be NFC, NFD, NFKC, NFKD or null, got "${String(normalizeForm)}"`);
    }
    // New hashes must stay within what verify() accepts.
    assertInteger('argon2.parallelism', argon2.parallelism, 1, MAX_ARGON2_PARALLELISM);
    assertInteger('argon2.memoryCost', argon2.memoryCost, 8 * argon2.parallelism, MAX_ARGON2_MEMORY_KIB);
    assertInteger('argon2.timeCost', argon2.timeCost, 1, Math.floor(MAX_ARGON2_WORK_KIB / argon2.memoryCost));
    assertInteger('bcryptRounds', bcryptRounds, BCRYPT_MIN_COST, MAX_BCRYPT_COST);
    assertInteger('lengthMin', lengthMin, 1, MAX_LENGTH_RULE);
    assertInteger('lengthMax', lengthMax, lengthMin, MAX_LENGTH_RULE);
    this.passwordSalt = passwordSalt;
    const singleHash = options.singleHash ?? false;
    if (
      typeof singleHash !== 'boolean' &&
      !(Array.isArray(singleHash) && singleHash.every((name) => name === 'argon2' || name === 'bcrypt'))
    )
      throw new TypeError("PasswordHasher: singleHash must be a boolean or a list of 'argon2' and 'bcrypt'");
    this.singleHash = singleHash === true ? 'all' : new Set(singleHash === false ? [] : singleHash);
    this.scheme = scheme;
    this.argon2 = Object.freeze(argon2);
    this.bcryptRounds = bcryptRounds;
    this.lengthMin = lengthMin;
    this.lengthMax = lengthMax;
    this.normalizeForm = normalizeForm;
  }

  /** The password as it is checked and hashed (NFKD unless configured otherwise). */
  normalize(password: string): string {
    return this.normalizeForm === null ? password : password.normalize(this.normalizeForm);
  }

  /** Why `password` may not be set (length after normalisation); empty when it may. */
  validate(password: string): string[] {
    if (typeof password !== 'string' || password.length === 0) return ['Password not provided'];
    // Beyond the input limit, too long without normalising it (a megabyte costs nothing).
    if (password.length > MAX_PASSWORD_INPUT_LENGTH) {
      return [`Password must be at most ${this.lengthMax} characters`];
    }
    return passwordLengthProblems(this.normalize(password), { min: this.lengthMin, max: this.lengthMax });
  }

  /** A new hash of `password` in the configured scheme. Does not apply validate(). */
  async hash(password: string): Promise<string> {
    if (typeof password !== 'string') throw new TypeError('PasswordHasher.hash: password must be a string');
    if (password.length > MAX_PASSWORD_INPUT_LENGTH) throw new RangeError('PasswordHasher.hash: password too long');
    const secret = this.secret(password, this.scheme);
    return this.scheme === 'bcrypt' ? hashBcrypt(secret, this.bcryptRounds) : hashArgon2(secret, this.argon2);
  }

  /**
   * Whether `password` matches `storedHash`. False, never a throw, for a
   * wrong password, an empty, unknown or malformed hash, or a hash whose
   * parameters exceed the work limits.
   */
  async verify(password: string, storedHash: string | null | undefined): Promise<boolean> {
    if (typeof password !== 'string' || password.length > MAX_PASSWORD_INPUT_LENGTH) return false;
    if (typeof storedHash !== 'string' || storedHash.length === 0 || storedHash.length > MAX_STORED_HASH_LENGTH) return false;
    const format = FORMATS.find((candidate) => candidate.identify(storedHash));
    if (!format) return false;
    try {
      const secret = format.hashesTypedPassword ? password : this.secret(password, format.name);
      if ((await format.verify(secret, storedHash)) === true) return true;
      // Apps that hashed without Flask-Security (flask-bones' Flask-Bcrypt) never normalised: their single hashes are of the typed form.
      return (
        !format.hashesTypedPassword &&
        this.isSingleHash(format.name) &&
        secret !== password &&
        (await format.verify(password, storedHash)) === true
      );
    } catch {
      return false;
    }
  }

  /**
   * Whether a hash that just verified should be replaced by a new one: true
   * unless it is in the configured scheme with parameters at least as strong
   * as the configured ones (argon2: argon2id, version 0x13, memory and passes;
   * bcrypt: $2b$ or $2y$ and cost).
   */
  needsUpdate(storedHash: string | null | undefined): boolean {
    if (typeof storedHash !== 'string' || storedHash.length > MAX_STORED_HASH_LENGTH) return true;
    if (this.scheme === 'argon2') {
      const options = parseArgon2(storedHash);
      return (
        !options ||
        options.algorithm !== ARGON2_ALGORITHM.id ||
        options.version !== ARGON2_VERSION_0x13 ||
        options.memoryCost < this.argon2.memoryCost ||
        options.timeCost < this.argon2.timeCost
      );
    }
    const parsed = parseBcrypt(storedHash);
    return !parsed || parsed.variant === 'a' || parsed.cost < this.bcryptRounds;
  }

  private isSingleHash(scheme: string): boolean {
    return this.singleHash === 'all' || this.singleHash.has(scheme);
  }

  /** What a hash of `scheme` (a format's name) is computed over: the HMAC pre-hash, or the normalised password (no salt, or singleHash). */
  private secret(password: string, scheme: string): string {
    const normalized = this.normalize(password);
    return this.passwordSalt === null || this.isSingleHash(scheme) ? normalized : hmacPrehash(this.passwordSalt, normalized);
  }
}

function assertInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`PasswordHasher: ${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
}
