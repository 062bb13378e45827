import type { AuthMethod } from '../security.options.js';

export interface FreshnessCheck {
  method: AuthMethod;
  /** Primary authentication time (login, /verify); null: unknown, never fresh. */
  authenticatedAt: Date | null;
  /** Minutes, as `@AuthRequired({ within })`: < 0 no check, 0 only within a grace period a passing check started. */
  withinMinutes: number;
  graceSeconds: number;
  /** The grace period's end (epoch seconds) kept in the session, if any. Sessions only. */
  graceExpiresAt?: number;
  now?: number;
}

export interface FreshnessResult {
  fresh: boolean;
  /** A new end of the grace period to keep in the session (sessions only). */
  graceExpiresAt?: number;
}

/**
 * Flask-Security's check_and_update_authn_fresh. Basic is always fresh
 * (the password comes with the request). A session inside its grace period
 * is fresh and the period is extended; otherwise fresh when the primary
 * authentication is less than `within` away (either side, for clock drift),
 * which starts a grace period too. `within: 0` is fresh only inside a grace
 * period that a passing check started. A refusal never starts or extends a
 * grace period (else the second of two identical requests would pass).
 * Token authentication has no place to keep a grace period: its `fs_paa`
 * alone decides.
 */
export function checkFreshness(check: FreshnessCheck): FreshnessResult {
  if (check.method === 'basic' || check.withinMinutes < 0) return { fresh: true };
  const now = check.now ?? Date.now() / 1000;
  const session = check.method === 'session';
  const graceExpiresAt = session ? now + check.graceSeconds : undefined;
  if (session && check.graceExpiresAt !== undefined && now < check.graceExpiresAt) return { fresh: true, graceExpiresAt };
  if (check.withinMinutes === 0 || !check.authenticatedAt) return { fresh: false };
  const within = check.withinMinutes * 60;
  const delta = now - check.authenticatedAt.getTime() / 1000;
  return within > delta && delta > -within ? { fresh: true, graceExpiresAt } : { fresh: false };
}
