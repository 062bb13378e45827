import { Inject, Injectable } from '@nestjs/common';
import { setAuthentication } from '../../authn/authentication.js';
import { Authenticator } from '../../authn/authenticator.service.js';
import { CsrfService } from '../../authn/csrf/csrf.service.js';
import { checkFreshness } from '../../authn/freshness.js';
import { ReauthRequiredException, UnauthenticatedException } from '../../common/errors/index.js';
import type { RequestContext } from '../../http/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { PendingSignIns, type PendingSignIn } from './pending-sign-in.service.js';
import { TwoFactorPolicy } from './two-factor-policy.service.js';

/** Who is setting up a second factor: a signed-in user, or one whose sign-in waits for a required first setup. */
export interface TfSetupActor {
  user: SecurityUser;
  /** Set when this is the first setup of a sign-in in progress (tf_state 'setup_from_login'). */
  pending?: PendingSignIn;
}

/**
 * /tf-setup serves two callers, as Flask-Security's does: a signed-in user
 * changing their factor (authenticated by the default methods, fresh for
 * setup, CSRF for a cookie session, as @AuthRequired({ within: 'configured' })
 * does), and a user who must set one up to finish signing in (a pending
 * sign-in in this browser whose user has no factor yet). The routes are
 * @Public() so a global guard lets the second through; this decides.
 */
@Injectable()
export class TfSetupActors {
  constructor(
    private readonly pending: PendingSignIns,
    private readonly policy: TwoFactorPolicy,
    private readonly authenticator: Authenticator,
    private readonly csrf: CsrfService,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  async resolve(request: RequestContext, { fresh }: { fresh: boolean }): Promise<TfSetupActor> {
    const pending = await this.pending.find(request);
    if (pending && !this.policy.methodOf(pending.user)) return { user: pending.user, pending };

    const authentication = await this.authenticator.authenticate(request, this.options.defaultAuthMethods);
    if (!authentication) throw new UnauthenticatedException();
    setAuthentication(request, authentication);
    if (fresh) {
      const stored = authentication.session?.data?.fs_gexp;
      const result = checkFreshness({
        method: authentication.method,
        authenticatedAt: authentication.authenticatedAt,
        withinMinutes: this.options.freshness / 60,
        graceSeconds: this.options.freshnessGracePeriod,
        graceExpiresAt: typeof stored === 'number' ? stored : undefined,
      });
      if (!result.fresh) throw new ReauthRequiredException();
    }
    this.csrf.protect(request, authentication.session);
    return { user: authentication.user };
  }
}
