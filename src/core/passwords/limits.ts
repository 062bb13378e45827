/*
 * Bounds on the work one verification may cost, so that neither a huge typed
 * password nor a stored hash with absurd parameters can stall the process.
 * A password or hash beyond them simply does not verify.
 */

/** Typed passwords longer than this (UTF-16 code units) are refused before any hashing. */
export const MAX_PASSWORD_INPUT_LENGTH = 4096;

/** Stored hashes longer than this are not parsed. */
export const MAX_STORED_HASH_LENGTH = 1024;

/** SHA-crypt rounds (passlib's own ceiling is 999,999,999). */
export const MAX_SHA_CRYPT_ROUNDS = 10_000_000;

/** PBKDF2 iterations (passlib's default is 29,000 for SHA-256, 25,000 for SHA-512). */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;

/** bcrypt cost (log2 of the rounds); passlib and Flask-Security default to 12. */
export const MAX_BCRYPT_COST = 16;

/** Argon2 memory in KiB (Flask-Security's argon2-cffi default is 102,400). */
export const MAX_ARGON2_MEMORY_KIB = 1024 * 1024;

/** Argon2 memory times passes, in KiB (Flask-Security's default: 102,400 x 10). */
export const MAX_ARGON2_WORK_KIB = 8 * 1024 * 1024;

/** Argon2 lanes. */
export const MAX_ARGON2_PARALLELISM = 64;
