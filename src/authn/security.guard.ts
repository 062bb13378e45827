import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { authorize } from '../authz/authorize.js';
import { SecurityErrorCode } from '../common/errors/security-error-codes.js';
import {
  ReauthRequiredException,
  SecurityException,
  UnauthenticatedException,
} from '../common/errors/security.exception.js';
import { SECURITY_OPTIONS } from '../security.constants.js';
import type { AuthMethod, ResolvedSecurityOptions } from '../security.options.js';
import { BASIC_AUTH_REALM } from './authn.constants.js';
import type { Authentication, SecurityRequest, SecurityResponse } from './authentication.js';
import { Authenticator } from './authenticator.service.js';
import { CsrfService } from './csrf/csrf.service.js';
import type { AuthRequirement } from './decorators/auth-required.decorator.js';
import { checkFreshness } from './freshness.js';
import { getRoutePolicy } from './route-policy.js';
import { SessionService } from './session/session.service.js';

/** Marks a request the guard already let through (it may be bound globally and on the route). */
const PASSED = Symbol('nest-security:guard-passed');
/** The grace period's end is rewritten only when it moves by more than this (seconds): no write per request. */
const GRACE_WRITE_SLACK = 60;

type GuardedRequest = SecurityRequest & { [PASSED]?: true };

/**
 * The one guard of nest-security. In this order, on every route it guards:
 *
 * 1. authentication, by the methods `@AuthRequired(...)` names or the
 *    default ones (token, session, basic order; first success wins), which
 *    sets `request.user`, `request.authVia` and `request.authenticatedAt`;
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
    const http = context.switchToHttp();
    const request = http.getRequest<GuardedRequest>();
    const response = http.getResponse<SecurityResponse>();
    if (request[PASSED]) return true;
    try {
      await this.guard(context, request, response);
    } catch (error) {
      // Host routes may not have the SecurityExceptionFilter: set WWW-Authenticate / Retry-After here.
      if (error instanceof SecurityException && !response.headersSent) {
        for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
      }
      throw error;
    }
    request[PASSED] = true;
    return true;
  }

  protected async guard(context: ExecutionContext, request: SecurityRequest, response: SecurityResponse): Promise<void> {
    const policy = getRoutePolicy(this.reflector, context.getHandler(), context.getClass());
    if (policy.kind === 'public') return;
    if (policy.kind === 'anonymous') return this.requireAnonymous(request, response);

    const { requirement } = policy;
    const methods = this.methodsFor(requirement);
    const authentication = await this.authenticator.authenticate(request, response, methods);
    if (!authentication) throw this.unauthenticated(methods);
    this.record(request, authentication);
    await this.requireFresh(authentication, requirement);
    authorize(this.reflector, context, authentication.user);
    this.csrf.protect(request, authentication.session);
    if (authentication.session) await this.slide(request, response, authentication);
  }

  /** The methods a route accepts. */
  protected methodsFor(requirement: AuthRequirement): readonly AuthMethod[] {
    return requirement.methods ?? this.options.defaultAuthMethods;
  }

  protected unauthenticated(methods: readonly AuthMethod[]): SecurityException {
    const headers: Record<string, string> = methods.includes('basic') ? { 'WWW-Authenticate': `Basic realm="${BASIC_AUTH_REALM}"` } : {};
    return new UnauthenticatedException(undefined, { headers });
  }

  protected record(request: SecurityRequest, authentication: Authentication): void {
    request.user = authentication.user;
    request.authVia = authentication.method;
    request.authenticatedAt = authentication.authenticatedAt;
    if (authentication.session) request.securitySession = authentication.session;
  }

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
  protected async slide(request: SecurityRequest, response: SecurityResponse, authentication: Authentication): Promise<void> {
    const session = authentication.session!;
    if (!(await this.sessions.touch(session)) || !session.remember) return;
    const secret = this.sessions.secretFrom(request);
    if (secret) this.sessions.writeCookies(response, secret, session);
  }

  /** `@AnonymousRequired()`: valid credentials get 400 ANONYMOUS_REQUIRED; bad ones count as none. */
  protected async requireAnonymous(request: SecurityRequest, response: SecurityResponse): Promise<void> {
    let authentication: Authentication | false = false;
    try {
      authentication = await this.authenticator.authenticate(request, response, this.options.defaultAuthMethods);
    } catch (error) {
      if (!(error instanceof SecurityException)) throw error;
    }
    if (authentication) {
      throw new SecurityException(400, SecurityErrorCode.ANONYMOUS_REQUIRED, 'You are already signed in: this is for anonymous users only');
    }
  }
}
