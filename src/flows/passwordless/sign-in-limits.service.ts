import { Inject, Injectable } from '@nestjs/common';
import { accountOf } from '../../authn/limits/attempt-account.js';
import { countAttempt } from '../../authn/limits/attempt-limiter.js';
import { SendLimits } from '../../authn/limits/send-limits.service.js';
import { AttemptStore } from '../../storage/attempt-store.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';

/** What passwordless and unified sign-in mail on request. */
export type SignInSendKind = 'login-link' | 'us-code';

/** An automatic fresh link for an expired one: at most this many per user per hour. */
const RESENDS_PER_HOUR = 3;

/**
 * Brute-force and mail-bombing limits of passwordless and unified sign-in,
 * on the AttemptStore every instance shares (database or Redis), with the
 * module's `limits` (per account, per IP, lockout):
 *
 * - code entry (`us-code:*`): every typed code counts, before it is
 *   checked; a good code resets the account's counter;
 * - sends (`<kind>:send:*`, SendLimits): every request for a link or a code counts.
 *
 * The account is the user when the identity names one (email and username
 * then share a counter), else the identity as typed (see accountOf).
 */
@Injectable()
export class SignInLimits {
  constructor(
    private readonly store: AttemptStore,
    private readonly sends: SendLimits,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  /** Count one typed code; 429 TOO_MANY_ATTEMPTS (with Retry-After) while the account or the address is locked. */
  codeAttempt(user: SecurityUser | null, identity: string, ip: string): Promise<void> {
    return countAttempt(this.store, this.options.limits, 'us-code', accountOf(user, identity), ip);
  }

  async codeSucceeded(user: SecurityUser): Promise<void> {
    await this.store.reset(`us-code:account:${accountOf(user, '')}`);
  }

  /** Count one request to mail a link or code; 429 while locked. */
  sendAttempt(kind: SignInSendKind, user: SecurityUser | null, identity: string, ip: string): Promise<void> {
    return this.sends.attempt(kind, user, identity, ip);
  }

  /** May an expired link bring a fresh one by mail? (A few per hour per user, so a stale link cannot flood a mailbox.) */
  async mayResend(user: SecurityUser): Promise<boolean> {
    const result = await this.store.hit(`login-link:resend:${accountOf(user, '')}`, 3600, RESENDS_PER_HOUR, 3600);
    return result.allowed;
  }
}
