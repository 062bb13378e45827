/**
 * One stored-hash format the hasher can check. `secret` is what Flask-Security
 * feeds the hash: the HMAC pre-hash of the normalised password, or the
 * normalised password itself in single-hash mode.
 */
export interface PasswordFormat {
  /** passlib's name for the scheme, e.g. 'pbkdf2_sha512'. */
  readonly name: string;
  /** Whether `hash` looks like this format (prefix check only). */
  identify(hash: string): boolean;
  /**
   * The format hashes the password exactly as typed (no normalisation, no
   * pre-hash: Werkzeug's), so verify() gets that instead of the secret.
   */
  readonly hashesTypedPassword?: boolean;
  /** Whether `secret` matches; false for malformed hashes and for parameters beyond the limits. */
  verify(secret: string, hash: string): Promise<boolean>;
}
