import type { SecurityRequestState } from '../../authn/authentication.js';
import { checkFreshness } from '../../authn/freshness.js';
import { ReauthRequiredException } from '../../common/errors/index.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';

/**
 * The caller must have proved who they are within `options.freshness`
 * (Flask-Security's FRESHNESS, default 24 hours; negative: no check), else
 * 401 REAUTH_REQUIRED: re-authenticate with POST /verify. The window comes
 * from the options at run time, which `@AuthRequired({ within })` (a
 * constant) cannot express.
 */
export function assertFresh(request: SecurityRequestState, options: Pick<ResolvedSecurityOptions, 'freshness' | 'freshnessGracePeriod'>): void {
  if (options.freshness < 0 || !request.authVia) return;
  // The grace period SecurityGuard keeps in the session (`fs_gexp`), as Flask-Security.
  const graceExpiresAt = request.securitySession?.data?.fs_gexp;
  const { fresh } = checkFreshness({
    method: request.authVia,
    authenticatedAt: request.authenticatedAt ?? null,
    withinMinutes: options.freshness / 60,
    graceSeconds: options.freshnessGracePeriod,
    graceExpiresAt: typeof graceExpiresAt === 'number' ? graceExpiresAt : undefined,
  });
  if (!fresh) throw new ReauthRequiredException();
}
