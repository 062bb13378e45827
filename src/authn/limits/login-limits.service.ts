import { Inject, Injectable } from '@nestjs/common';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { AttemptStore } from '../../storage/attempt-store.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { accountOf } from './attempt-account.js';
import { countAttempt } from './attempt-limiter.js';

const PREFIX = 'password';

/**
 * Brute-force limits on password entry (login, /verify, Basic, the current
 * password of POST /change): every attempt is counted per account and per
 * client address before the password is checked. The account is the user
 * when the identity names one, so `alice` and `alice@example.com` share one
 * counter (see accountOf); an unknown identity is counted as typed, and
 * locked the same way. A successful attempt resets the account counter;
 * locks end by time.
 */
@Injectable()
export class LoginLimitsService {
  constructor(
    private readonly store: AttemptStore,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  /** Count one attempt; throws 429 TOO_MANY_ATTEMPTS (with Retry-After) while either counter is locked. */
  attempt(user: SecurityUser | null, identity: string, ip: string): Promise<void> {
    return countAttempt(this.store, this.options.limits, PREFIX, accountOf(user, identity), ip);
  }

  async succeeded(user: SecurityUser): Promise<void> {
    await this.store.reset(`${PREFIX}:account:${accountOf(user, '')}`);
  }
}
