import { Inject, Injectable } from '@nestjs/common';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { AttemptStore } from '../../storage/attempt-store.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { accountOf } from './attempt-account.js';
import { countAttempt } from './attempt-limiter.js';

/** What is mailed on request, each counted apart from the others. */
export type SendKind = 'reset' | 'confirm' | 'username-recovery' | 'login-link' | 'us-code';

/**
 * Limits on requests that mail something (POST /reset, /confirm,
 * /recover-username, /login-link, /us-signin/send-code), against mail
 * bombing and enumeration by volume: every request counts, per account and
 * per client address, with the module's `limits`, whether or not the
 * identity has an account; over the limit the answer is 429
 * TOO_MANY_ATTEMPTS for known and unknown identities alike.
 */
@Injectable()
export class SendLimits {
  constructor(
    private readonly store: AttemptStore,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  /** Count one request to mail; 429 while the account or the address is locked. */
  attempt(kind: SendKind, user: SecurityUser | null, identity: string, ip: string): Promise<void> {
    return countAttempt(this.store, this.options.limits, `${kind}:send`, accountOf(user, identity), ip);
  }
}
