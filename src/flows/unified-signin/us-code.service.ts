import { createHmac, randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { timingSafeEqualStrings } from '../../core/signing/index.js';
import { CodeStore } from '../../storage/code-store.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import type { UsCodePurpose } from '../passwordless/sign-in-events.js';

/** Digits of a code (Flask-Security's TOTP codes have six too). */
export const US_CODE_LENGTH = 6;

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
 * purpose; a new one replaces it. The CodeStore holds only HMAC-SHA256(key derived from the secret key, purpose | user id |
 * fs_uniquifier | nonce | code): a database leak yields no code, and a
 * uniquifier rotation (password change, reset-access) kills pending codes.
 * A check always computes the HMAC and compares in constant time, whether
 * or not there is a pending code; the code is then taken (CodeStore.take),
 * so of concurrent uses of one code exactly one succeeds.
 */
@Injectable()
export class UsCodeService {
  private readonly key: Buffer;

  constructor(
    private readonly codes: CodeStore,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {
    // The newest secret key: a key rotation invalidates codes in flight (they live minutes).
    this.key = createHmac('sha256', options.secretKeys[options.secretKeys.length - 1]!)
      .update('nest-security:us-code')
      .digest();
  }

  /** A fresh code for the user and purpose, replacing any pending one. `nonce` ties it to a setup request. */
  async issue(user: SecurityUser, purpose: UsCodePurpose, nonce = ''): Promise<string> {
    const code = String(randomInt(0, 10 ** US_CODE_LENGTH)).padStart(US_CODE_LENGTH, '0');
    const expiresAt = new Date(Date.now() + this.options.usTokenValidity * 1000);
    await this.codes.put(user.id, purpose, { codeHash: this.hash(user, purpose, code, nonce), expiresAt });
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
    const pending = await this.codes.get(user?.id ?? 0, purpose);
    const equal = timingSafeEqualStrings(pending?.codeHash ?? NO_HASH, computed);
    if (!user || !pending || !equal) return 'invalid';
    if (pending.expiresAt.getTime() <= Date.now()) return 'expired';
    return (await this.codes.take(user.id, purpose, pending.codeHash)) ? 'ok' : 'invalid';
  }

  /** Forgets the user's pending code for a purpose. */
  async discard(user: SecurityUser, purpose: UsCodePurpose): Promise<void> {
    await this.codes.discard(user.id, purpose);
  }

  private hash(user: Pick<SecurityUser, 'id' | 'fsUniquifier'>, purpose: string, code: string, nonce: string): string {
    return createHmac('sha256', this.key).update([purpose, user.id, user.fsUniquifier, nonce, code].join('\0')).digest('hex');
  }
}

const NOBODY = { id: 0, fsUniquifier: '' };
const NO_HASH = '0'.repeat(64);
