/**
 * Fernet tokens (https://github.com/fernet/spec), free of Nest: what Python's
 * `cryptography` writes, and Flask-Security encrypts recovery codes with
 * (MULTI_FACTOR_RECOVERY_CODES_KEYS). Tokens made here decrypt in Python and
 * the other way round.
 */
export { Fernet, FernetKeyError, InvalidFernetToken, type FernetDecryptOptions, type FernetEncryptOptions } from './fernet.js';
export { MultiFernet } from './multi-fernet.js';
