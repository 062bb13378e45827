import { createHmac, randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, Repository } from 'typeorm';
import { timingSafeEqualStrings } from '../../core/signing/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { UsCode } from '../../storage/typeorm/entities/us-code.entity.js';
import { SECURITY_DATA_SOURCE, SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import type { UsCodePurpose } from '../passwordless/sign-in-events.js';

/** Digits of a code (Flask-Security's TOTP codes have six too). */
export const US_CODE_LENGTH = 6;
/** Expired codes are kept this long, to answer EXPIRED_CODE rather than a plain "wrong". */
const KEEP_EXPIRED_SECONDS = 24 * 3600;
/** Every this many codes issued, long-expired rows of everyone are deleted. */
const CLEANUP_EVERY = 100;

/** What a typed code came to. */
export type CodeCheck = 'ok' | 'expired' | 'invalid';

/** A code as typed: spaces and dashes ("123 456", "123-456") are not part of it. */
export function normaliseCode(typed: string): string {
  return typed.replace(/[\s-]+/g, '');
}

const CODE_SHAPE = new RegExp(`^\\d{${US_CODE_LENGTH}}$`);

export function looksLikeCode(typed: string): boolean {
  return CODE_SHAPE.test(normaliseCode(typed));
}

/**
 * Unified sign-in codes: random (crypto.randomInt), six digits, valid
 * `usTokenValidity` seconds, single-use. One pending code per user and
 * purpose; a new one replaces it. The table (`security_us_code`) holds only
 * HMAC-SHA256(key derived from the secret key, purpose | user id |
 * fs_uniquifier | nonce | code): a database leak yields no code, and a
 * uniquifier rotation (password change, reset-access) kills pending codes.
 * A check always computes the HMAC and compares in constant time, whether
 * or not there is a row; the row is then deleted by a conditional DELETE,
 * so of concurrent uses of one code exactly one succeeds.
 */
@Injectable()
export class UsCodeService {
  private readonly codes: Repository<UsCode>;
  private readonly key: Buffer;
  private issuedSinceCleanup = 0;

  constructor(
    @Inject(SECURITY_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {
    this.codes = dataSource.getRepository(UsCode);
    // The newest secret key: a key rotation invalidates codes in flight (they live minutes).
    this.key = createHmac('sha256', options.secretKeys[options.secretKeys.length - 1]!).update('nest-security:us-code').digest();
  }

  /** A fresh code for the user and purpose, replacing any pending one. `nonce` ties it to a setup request. */
  async issue(user: SecurityUser, purpose: UsCodePurpose, nonce = ''): Promise<string> {
    const code = String(randomInt(0, 10 ** US_CODE_LENGTH)).padStart(US_CODE_LENGTH, '0');
    await this.dataSource.query(
      `INSERT INTO security_us_code (user_id, purpose, code_hash, expires_at, created_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4::float8), now())
       ON CONFLICT (user_id, purpose) DO UPDATE
       SET code_hash = EXCLUDED.code_hash, expires_at = EXCLUDED.expires_at, created_at = EXCLUDED.created_at`,
      [user.id, purpose, this.hash(user, purpose, code, nonce), this.options.usTokenValidity],
    );
    if (++this.issuedSinceCleanup >= CLEANUP_EVERY) {
      this.issuedSinceCleanup = 0;
      await this.dataSource.query(`DELETE FROM security_us_code WHERE expires_at < now() - make_interval(secs => $1::float8)`, [
        KEEP_EXPIRED_SECONDS,
      ]);
    }
    return code;
  }

  /**
   * Checks and (when good) uses up a typed code. `user` null (unknown, or
   * not allowed to use codes): the same work is done and 'invalid' comes
   * back. 'expired' only for the right code typed too late.
   */
  async check(user: SecurityUser | null, purpose: UsCodePurpose, typed: string, nonce = ''): Promise<CodeCheck> {
    const code = normaliseCode(typed);
    const computed = this.hash(user ?? NOBODY, purpose, code, nonce);
    const rows: Array<{ code_hash: string; live: boolean }> = await this.dataSource.query(
      'SELECT code_hash, expires_at > now() AS live FROM security_us_code WHERE user_id = $1 AND purpose = $2',
      [user?.id ?? 0, purpose],
    );
    const row = rows[0];
    const equal = timingSafeEqualStrings(row?.code_hash ?? NO_HASH, computed);
    if (!user || !row || !equal) return 'invalid';
    if (!row.live) return 'expired';
    const used = await this.codes.delete({ userId: user.id, purpose, codeHash: row.code_hash });
    return used.affected === 1 ? 'ok' : 'invalid';
  }

  /** Forgets the user's pending code for a purpose. */
  async discard(user: SecurityUser, purpose: UsCodePurpose): Promise<void> {
    await this.codes.delete({ userId: user.id, purpose });
  }

  private hash(user: Pick<SecurityUser, 'id' | 'fsUniquifier'>, purpose: string, code: string, nonce: string): string {
    return createHmac('sha256', this.key).update([purpose, user.id, user.fsUniquifier, nonce, code].join('\0')).digest('hex');
  }
}

const NOBODY = { id: 0, fsUniquifier: '' };
const NO_HASH = '0'.repeat(64);
