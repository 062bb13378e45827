/**
 * Flask-Security-compatible password hashing, free of Nest: hashes made by
 * Flask-Security (argon2, bcrypt, passlib pbkdf2 and SHA-crypt) verify here,
 * and argon2id/bcrypt hashes made here verify in Flask-Security, given the
 * same password salt. hashData/verifyHashDataAsync are Flask-Security's
 * hash_data/verify_hash used inside confirm, reset and change-email tokens.
 */
export { PasswordHasher, type PasswordHasherOptions, type PasswordHashScheme } from './password-hasher.js';
export { DEFAULT_ARGON2_PARAMS, type Argon2Params } from './formats/argon2.js';
export { normalizePassword, codePointLength, PASSWORD_NORMALIZE_FORM, type PasswordNormalizeForm } from './normalize.js';
export { hmacPrehash } from './prehash.js';
export { TimingFloor, costClassOf, type TimingFloorOptions } from './timing-floor.js';
export { hashData, verifyHashDataAsync, HASH_DATA_DEFAULT_ROUNDS, HASH_DATA_MAX_ROUNDS } from './hash-data.js';
export {
  MAX_ARGON2_MEMORY_KIB,
  MAX_ARGON2_PARALLELISM,
  MAX_ARGON2_WORK_KIB,
  MAX_BCRYPT_COST,
  MAX_PASSWORD_INPUT_LENGTH,
  MAX_PBKDF2_ITERATIONS,
  MAX_SHA_CRYPT_ROUNDS,
  MAX_STORED_HASH_LENGTH,
} from './limits.js';
