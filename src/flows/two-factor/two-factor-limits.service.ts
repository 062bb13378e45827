import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { TooManyAttemptsException } from '../../common/errors/index.js';
import { AttemptStore } from '../../storage/attempt-store.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';

/**
 * Guesses at second factors (two-factor codes, setup codes, recovery codes)
 * share one budget per account and per IP on the AttemptStore every
 * instance shares, with the module's `limits`. Every attempt counts before
 * it is checked, whether or not a sign-in is pending or the account has two-factor
 * set up: without a provable account the claimed one (a hash of it) is counted.
 * A right code resets the account's counter. 429 TOO_MANY_ATTEMPTS while locked.
 */
@Injectable()
export class TwoFactorLimits {
  constructor(
    private readonly store: AttemptStore,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  async codeAttempt(account: TfAccount, ip: string): Promise<void> {
    const { perAccount, perIp, lockout } = this.options.limits;
    const results = await Promise.all([
      this.store.hit(`tf-code:account:${accountKey(account)}`, perAccount.window, perAccount.max, lockout),
      this.store.hit(`tf-code:ip:${ip.slice(0, 100)}`, perIp.window, perIp.max, lockout),
    ]);
    const refused = results.filter((result) => !result.allowed);
    if (refused.length > 0) throw new TooManyAttemptsException(Math.max(...refused.map((result) => result.retryAfter)));
  }

  async codeSucceeded(userId: number): Promise<void> {
    await this.store.reset(`tf-code:account:user:${userId}`);
  }

  /** Codes sent by email or SMS (rescue, setup) count apart: a mailbox or phone is not to be flooded. */
  async sendAttempt(userId: number, ip: string): Promise<void> {
    const { perAccount, perIp, lockout } = this.options.limits;
    const results = await Promise.all([
      this.store.hit(`tf-code:send:account:user:${userId}`, perAccount.window, perAccount.max, lockout),
      this.store.hit(`tf-code:send:ip:${ip.slice(0, 100)}`, perIp.window, perIp.max, lockout),
    ]);
    const refused = results.filter((result) => !result.allowed);
    if (refused.length > 0) throw new TooManyAttemptsException(Math.max(...refused.map((result) => result.retryAfter)));
  }
}

/** A proven user, or what an unproven request claims (hashed, so no raw input lands in the counter table). */
export type TfAccount = { userId: number } | { claimed: string };

function accountKey(account: TfAccount): string {
  if ('userId' in account) return `user:${account.userId}`;
  return `claimed:${createHash('sha256').update(account.claimed).digest('hex')}`;
}
