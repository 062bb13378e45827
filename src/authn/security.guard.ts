import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { meetsRequirement } from '../authz/authorize.js';
import { SecurityErrorCode } from '../common/errors/security-error-codes.js';
import { inResponseShape } from '../common/errors/security-exception.filter.js';
import { asStoreUnavailable } from '../common/errors/store-unavailable.js';
import {
  ForbiddenAccessException,
  ReauthRequiredException,
  SecurityException,
  UnauthenticatedException,
} from '../common/errors/security.exception.js';
import { SECURITY_OPTIONS } from '../security.constants.js';
import type { AuthMethod, ResolvedSecurityOptions } from '../security.options.js';
import { BASIC_AUTH_REALM } from './authn.constants.js';
import { preventCaching, type RequestContext, type ResponseContext, requestContext, responseContext } from '../http/index.js';
import { type Authentication, getAuthentication, setAuthentication } from './authentication.js';
import { Authenticator } from './authenticator.service.js';
import { CsrfService } from './csrf/csrf.service.js';
import type { AuthRequirement } from './decorators/auth-required.decorator.js';
import { checkFreshness } from './freshness.js';
import { getRoutePolicy } from './route-policy.js';
import { SessionService } from './session/session.service.js';

/** The grace period's end is rewritten only when it moves by more than this (seconds): no write per request. */
const GRACE_WRITE_SLACK = 60;

/**
 * The one guard of nest-security. In this order, on every route it guards:
 *
 * 1. authentication, by the methods `@AuthRequired(...)` names or the
 *    default ones (token, session, basic order; first success wins), which
 *    sets `request.user` and the request's Authentication (getAuthentication);
 * 2. freshness (`@AuthRequired({ within, grace })`), 401 REAUTH_REQUIRED;
 * 3. authorization (`@RolesRequired` & co.), 403 FORBIDDEN;
 * 4. CSRF, for state-changing requests authenticated by the session cookie.
 *
 * Being one guard, authorization always follows authentication, whatever
 * other guards the app adds and in whatever order. Bind it on a route or
 * controller (the decorators do), or globally with
 * `{ provide: APP_GUARD, useClass: SecurityGuard }`, where every route then
 * requires authentication unless it says `@Public()`.
 *
 * It authenticates HTTP requests only: on other transports (WebSocket,
 * microservices) it lets through `@Public()` handlers and refuses the rest.
 *
 * Extend it and override the protected hooks to adapt it.
 */
@Injectable()
export class SecurityGuard implements CanActivate {
  constructor(
    protected readonly reflector: Reflector,
    protected readonly authenticator: Authenticator,
    protected readonly csrf: CsrfService,
    protected readonly sessions: SessionService,
    @Inject(SECURITY_OPTIONS) protected readonly options: ResolvedSecurityOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Other transports (WebSocket, microservices) carry no cookie or header we could check:
    // only @Public() handlers pass there (fail closed, also under a global guard).
    if (context.getType() !== 'http') {
      return getRoutePolicy(this.reflector, context.getHandler(), context.getClass()).kind === 'public';
    }
    const request = requestContext(context.switchToHttp().getRequest<object>());
    // Bound globally and on the route, the guard runs twice: the first run decided.
    if (getAuthentication(request)) return true;
    try {
      await this.guard(context, request);
    } catch (thrown) {
      // A database or Redis that cannot be reached is a 503 (fail closed), also on host routes without our filter.
      const error = asStoreUnavailable(thrown);
      // Host routes may not have the SecurityExceptionFilter: set WWW-Authenticate / Retry-After here.
      const response = responseContext(context.switchToHttp().getResponse<object>());
      if (error instanceof SecurityException && !response.headersSent) {
        for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
      }
      // With responseShape 'flask-security', the 401 / 403 of the app's own routes take that shape too.
      throw inResponseShape(error, this.options.responseShape);
    }
    return true;
  }

  protected async guard(context: ExecutionContext, request: RequestContext): Promise<void> {
    const policy = getRoutePolicy(this.reflector, context.getHandler(), context.getClass());
    if (policy.kind === 'public') return;
    if (policy.kind === 'anonymous') return this.requireAnonymous(request);

    const { requirement } = policy;
    const methods = this.methodsFor(requirement);
    const authentication = await this.authenticator.authenticate(request, methods);
    if (!authentication) throw this.unauthenticated(methods);
    setAuthentication(request, authentication);
    // The answer is this user's: kept out of caches, whatever route (the app's own too) it is.
    preventCaching(responseContext(context.switchToHttp().getResponse<object>()), { varyCookie: authentication.method === 'session' });
    if (requirement.within === 'configured' || requirement.within >= 0) await this.requireFresh(authentication, requirement);
    if (policy.authz && !meetsRequirement(authentication.user, policy.authz)) throw new ForbiddenAccessException();
    this.csrf.protect(request, authentication.session);
    if (authentication.session) await this.slide(request, responseContext(context.switchToHttp().getResponse<object>()), authentication);
  }

  /** The methods a route accepts. */
  protected methodsFor(requirement: AuthRequirement): readonly AuthMethod[] {
    return requirement.methods ?? this.options.defaultAuthMethods;
  }

  protected unauthenticated(methods: readonly AuthMethod[]): SecurityException {
    const headers: Record<string, string> = methods.includes('basic') ? { 'WWW-Authenticate': `Basic realm="${BASIC_AUTH_REALM}"` } : {};
    return new UnauthenticatedException(undefined, { headers });
  }

  /** `@AuthRequired({ within, grace })`: 401 REAUTH_REQUIRED when stale; a session's grace period is kept in its data. */
  protected async requireFresh(authentication: Authentication, requirement: AuthRequirement): Promise<void> {
    const session = authentication.session;
    const stored = session?.data?.fs_gexp;
    const result = checkFreshness({
      method: authentication.method,
      authenticatedAt: authentication.authenticatedAt,
      withinMinutes: requirement.within === 'configured' ? this.options.freshness / 60 : requirement.within,
      graceSeconds: requirement.grace === undefined ? this.options.freshnessGracePeriod : requirement.grace * 60,
      graceExpiresAt: typeof stored === 'number' ? stored : undefined,
    });
    if (session && result.graceExpiresAt !== undefined) {
      const previous = typeof stored === 'number' ? stored : 0;
      if (Math.abs(result.graceExpiresAt - previous) > GRACE_WRITE_SLACK) {
        await this.sessions.updateData(session, { fs_gexp: Math.floor(result.graceExpiresAt) });
      }
    }
    if (!result.fresh) throw new ReauthRequiredException();
  }

  /** Sliding session expiry; a "remember me" session's cookies are renewed with it. */
  protected async slide(request: RequestContext, response: ResponseContext, authentication: Authentication): Promise<void> {
    const session = authentication.session!;
    if (!(await this.sessions.touch(session)) || !session.remember) return;
    const secret = this.sessions.secretFrom(request);
    if (secret) this.sessions.writeCookies(response, secret, session);
  }

  /** `@AnonymousRequired()`: valid credentials get 400 ANONYMOUS_REQUIRED; bad ones count as none. */
  protected async requireAnonymous(request: RequestContext): Promise<void> {
    let authentication: Authentication | false = false;
    try {
      authentication = await this.authenticator.authenticate(request, this.options.defaultAuthMethods);
    } catch (error) {
      if (!(error instanceof SecurityException)) throw error;
    }
    if (authentication) {
      throw new SecurityException(400, SecurityErrorCode.ANONYMOUS_REQUIRED, 'You are already signed in: this is for anonymous users only');
    }
  }
}
