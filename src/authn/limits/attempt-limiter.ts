import { TooManyAttemptsException } from '../../common/errors/security.exception.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import type { AttemptStore } from '../../storage/attempt-store.js';
import { ipOf } from './attempt-account.js';

/**
 * Counts one attempt of a kind (`prefix`) against an account and a client
 * address, with the module's `limits`; throws 429 TOO_MANY_ATTEMPTS (with
 * Retry-After) while either counter is locked. Both are counted before the
 * answer is known, so a refusal looks the same for every account.
 */
export async function countAttempt(
  store: AttemptStore,
  limits: ResolvedSecurityOptions['limits'],
  prefix: string,
  account: string,
  ip: string,
): Promise<void> {
  const { perAccount, perIp, lockout } = limits;
  const results = await Promise.all([
    store.hit(`${prefix}:account:${account}`, perAccount.window, perAccount.max, lockout),
    store.hit(`${prefix}:ip:${ipOf(ip)}`, perIp.window, perIp.max, lockout),
  ]);
  const refused = results.filter((result) => !result.allowed);
  if (refused.length > 0) throw new TooManyAttemptsException(Math.max(...refused.map((result) => result.retryAfter)));
}
