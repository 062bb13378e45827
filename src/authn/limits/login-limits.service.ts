import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { TooManyAttemptsException } from '../../common/errors/security.exception.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { AttemptStore } from '../../storage/attempt-store.js';

/**
 * The identity as counted: trimmed, NFKD, lower case, so `Alice@X` and
 * `alice@x` share a counter. Hashed, so the counter table holds no emails.
 */
export function accountKey(identity: string): string {
  const normalised = identity.trim().normalize('NFKD').toLowerCase();
  return `password:account:${createHash('sha256').update(normalised).digest('hex')}`;
}

export function ipKey(ip: string): string {
  return `password:ip:${ip.slice(0, 100)}`;
}

/**
 * Brute-force limits on password entry (login, /verify, Basic): every
 * attempt is counted per account and per client address before the
 * password is checked. The account counter is keyed by the identity as
 * typed, whether or not such an account exists, so a lockout looks the
 * same for both and tells nothing. A successful attempt resets the account
 * counter; locks end by time.
 */
@Injectable()
export class LoginLimitsService {
  constructor(
    private readonly store: AttemptStore,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  /** Count one attempt; throws 429 TOO_MANY_ATTEMPTS (with Retry-After) while either counter is locked. */
  async attempt(identity: string, ip: string): Promise<void> {
    const { perAccount, perIp, lockout } = this.options.limits;
    const results = await Promise.all([
      this.store.hit(accountKey(identity), perAccount.window, perAccount.max, lockout),
      this.store.hit(ipKey(ip), perIp.window, perIp.max, lockout),
    ]);
    const refused = results.filter((result) => !result.allowed);
    if (refused.length > 0) throw new TooManyAttemptsException(Math.max(...refused.map((result) => result.retryAfter)));
  }

  async succeeded(identity: string): Promise<void> {
    await this.store.reset(accountKey(identity));
  }
}
