import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AttemptStore } from '../../storage/attempt-store.js';
import { TooManyAttemptsException } from '../../common/errors/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';

/** What is mailed on request: counted apart from each other and from code entry. */
export type SendKind = 'login-link' | 'us-code';

/** An automatic fresh link for an expired one: at most this many per user per hour. */
const RESENDS_PER_HOUR = 3;

/**
 * Brute-force and mail-bombing limits of passwordless and unified sign-in,
 * on the AttemptStore every instance shares (database or Redis), with the
 * module's `limits` (per account, per IP, lockout):
 *
 * - code entry (`us-code:*`): every typed code counts, before it is
 *   checked; a good code resets the account's counter;
 * - sends (`<kind>:send:*`): every request for a link or a code counts.
 *
 * The account is the user when the identity names one (email and username
 * then share a counter), else the identity as typed (normalised, hashed):
 * unknown and known identities are limited and locked alike.
 */
@Injectable()
export class SignInLimits {
  constructor(
    private readonly store: AttemptStore,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  /** Count one typed code; 429 TOO_MANY_ATTEMPTS (with Retry-After) while the account or the address is locked. */
  codeAttempt(user: SecurityUser | null, identity: string, ip: string): Promise<void> {
    return this.count('us-code', accountOf(user, identity), ip);
  }

  async codeSucceeded(user: SecurityUser): Promise<void> {
    await this.store.reset(`us-code:account:${accountOf(user, '')}`);
  }

  /** Count one request to mail a link or code; 429 while locked. */
  sendAttempt(kind: SendKind, user: SecurityUser | null, identity: string, ip: string): Promise<void> {
    return this.count(`${kind}:send`, accountOf(user, identity), ip);
  }

  /** May an expired link bring a fresh one by mail? (A few per hour per user, so a stale link cannot flood a mailbox.) */
  async mayResend(user: SecurityUser): Promise<boolean> {
    const result = await this.store.hit(`login-link:resend:${accountOf(user, '')}`, 3600, RESENDS_PER_HOUR, 3600);
    return result.allowed;
  }

  private async count(prefix: string, account: string, ip: string): Promise<void> {
    const { perAccount, perIp, lockout } = this.options.limits;
    const results = await Promise.all([
      this.store.hit(`${prefix}:account:${account}`, perAccount.window, perAccount.max, lockout),
      this.store.hit(`${prefix}:ip:${ip.slice(0, 100)}`, perIp.window, perIp.max, lockout),
    ]);
    const refused = results.filter((result) => !result.allowed);
    if (refused.length > 0) throw new TooManyAttemptsException(Math.max(...refused.map((result) => result.retryAfter)));
  }
}

/** `user:<id>`, or a hash of the identity as typed (trimmed, NFKD, lower case): no address in the counter table. */
export function accountOf(user: SecurityUser | null, identity: string): string {
  if (user) return `user:${user.id}`;
  const normalised = identity.trim().normalize('NFKD').toLowerCase();
  return `identity:${createHash('sha256').update(normalised).digest('hex')}`;
}
