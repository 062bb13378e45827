import { createHmac } from 'node:crypto';
import { InvalidFernetToken, MultiFernet } from '../../core/fernet/index.js';
import { timingSafeEqualStrings } from '../../core/signing/index.js';

/** How a stored code is marked as hashed here. */
const HASHED = 'hmac-sha256$';
/** Flask-Security's shape: 12 hex digits in groups of four. */
const PLAIN_CODE = /^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/;
/** Every Fernet token (version byte 0x80, then a 64-bit timestamp that whose top bits are zero until the year 4147). */
const FERNET_TOKEN = /^gAAAAA[A-Za-z0-9_-]+={0,2}$/;

/**
 * The three shapes of an entry of user.mf_recovery_codes, and which one is
 * written:
 *
 * - `hmac-sha256$…`: ours, an HMAC of the code (key derived from the secret
 *   key, bound to the user): one-way, a database leak yields no code.
 * - a Fernet token: Flask-Security's with MULTI_FACTOR_RECOVERY_CODES_KEYS,
 *   the code encrypted with the first key (option `multiFactorRecoveryCodesKeys`).
 * - the code itself: Flask-Security's without keys.
 *
 * With `multiFactorRecoveryCodesKeys` set, new codes are written as
 * Flask-Security writes them, so an app migrating in steps (or rolling back)
 * keeps one users table both sides read; without it, as HMACs.
 */
export class RecoveryCodeFormats {
  /** Every secret key's HMAC key, newest first: codes survive a key rotation. */
  private readonly hmacKeys: Buffer[];
  private readonly fernet: MultiFernet | null;

  constructor(secretKeys: ReadonlyArray<string | Buffer>, fernetKeys: readonly string[]) {
    this.hmacKeys = [...secretKeys].reverse().map((key) => createHmac('sha256', key).update('nest-security:mf-recovery').digest());
    this.fernet = fernetKeys.length > 0 ? new MultiFernet(fernetKeys) : null;
  }

  /** What is stored for a new code. */
  seal(userId: number, code: string): string {
    return this.fernet ? this.fernet.encrypt(code) : this.hash(this.hmacKeys[0]!, userId, code);
  }

  /**
   * The stored entry the typed code is, else null. Every entry is checked
   * (and every Fernet one decrypted), whichever matches, so the time taken
   * tells nothing of where; a Fernet entry no key decrypts (tampered, or
   * another key's) matches nothing, as in Flask-Security.
   */
  matching(userId: number, stored: readonly string[], typed: string): string | null {
    const code = typed.trim().toLowerCase();
    let found: string | null = null;
    for (const entry of stored) {
      for (const candidate of this.candidates(userId, entry, code)) if (timingSafeEqualStrings(entry, candidate)) found = entry;
    }
    return found;
  }

  /** What `entry` would be if `code` were its code (an entry of no known shape: nothing). */
  private candidates(userId: number, entry: string, code: string): string[] {
    if (entry.startsWith(HASHED)) return this.hmacKeys.map((key) => this.hash(key, userId, code));
    if (FERNET_TOKEN.test(entry)) return this.decrypted(entry) === code ? [entry] : [];
    return PLAIN_CODE.test(entry) ? [code] : [];
  }

  private decrypted(entry: string): string | null {
    if (!this.fernet) return null;
    try {
      // No TTL: Flask-Security's MULTI_FACTOR_RECOVERY_CODE_TTL defaults to none.
      return this.fernet.decrypt(entry).toString('utf8');
    } catch (error) {
      if (error instanceof InvalidFernetToken) return null;
      throw error;
    }
  }

  private hash(key: Buffer, userId: number, code: string): string {
    return HASHED + createHmac('sha256', key).update(`${userId}\0${code.toLowerCase()}`).digest('hex');
  }
}
