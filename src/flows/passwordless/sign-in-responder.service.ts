import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import { LoginService, wantsAuthToken } from '../../authn/login/login.service.js';
import type { SecurityException } from '../../common/errors/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { FlowLinks } from '../common/flow-links.service.js';
import { wantsJson } from '../common/link-responder.service.js';
import { SignInMessage } from './sign-in-messages.js';

/** The `code` of a 200 answer to a followed sign-in link. */
export const LOGIN_SUCCESSFUL = 'LOGIN_SUCCESSFUL';

/**
 * Answers a followed sign-in link (GET /login/:token, GET /us-verify-link).
 * A browser is redirected: once signed in, to its `?next=` when that is
 * safe (in JSON mode too), else to `redirects.postLogin`; to
 * `redirects.loginError` with `error=<message>&code=<CODE>` otherwise (as
 * Flask-Security's SPA redirects, plus our stable code) — when that
 * redirect is configured, or always with `redirectBehavior: 'spa'` (then
 * defaulting to appUrl). An API client gets JSON instead: when it sends
 * `Accept: application/json`, asks for `?include_auth_token` (a token is
 * never put in a redirect URL), or no redirect applies.
 */
@Injectable()
export class SignInResponder {
  constructor(
    private readonly login: LoginService,
    private readonly links: FlowLinks,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  /** Signs the user in (new session, cookies, `user.authenticated` with `via`) and answers. */
  async signedIn(request: RequestContext, response: ResponseContext, user: SecurityUser, via: string): Promise<void> {
    // A browser with a safe `next` goes there, in JSON mode too (Flask-Security's get_post_login_redirect).
    const next = wantsJson(request) ? undefined : this.links.next(request);
    const redirect = next !== undefined || this.redirects(request, 'postLogin');
    const body = await this.login.signIn(request, response, user, via, {
      includeAuthToken: !redirect && wantsAuthToken(request),
    });
    if (next) return response.redirect(next, HttpStatus.FOUND);
    if (redirect) {
      response.redirect(this.links.frontEnd('postLogin', this.links.identityQuery(user)), HttpStatus.FOUND);
      return;
    }
    response.json(HttpStatus.OK, { code: LOGIN_SUCCESSFUL, message: SignInMessage.PASSWORDLESS_LOGIN_SUCCESSFUL(), ...body });
  }

  /** Redirects to the login error view, or throws `error` (JSON). `user` only when the link proved who it is for. */
  failed(request: RequestContext, response: ResponseContext, error: SecurityException, user: SecurityUser | null = null): void {
    if (!this.redirects(request, 'loginError')) throw error;
    const body = error.getResponse();
    const url = this.links.frontEnd('loginError', {
      error: Array.isArray(body.message) ? body.message.join(' ') : body.message,
      code: body.code,
      resent: body.resent === true ? '1' : undefined,
      ...this.links.identityQuery(user),
    });
    response.redirect(url, HttpStatus.FOUND);
  }

  /** Whether a failed link (or one needing a second factor) sends this request's browser to `redirects.loginError`. */
  redirectsToLoginError(request: RequestContext): boolean {
    return this.redirects(request, 'loginError');
  }

  /**
   * A followed link whose sign-in needs a second factor, for a browser that
   * is redirected (redirectsToLoginError): as Flask-Security 5.9's
   * us_verify_link, a 302 to the login error view with `tf_required=1` (and
   * the identity when `redirectIncludeIdentity`). A link cannot carry a
   * two-factor sign-in to a SPA, so none is started: the user signs in
   * with a code or the password instead.
   */
  secondFactorRequired(response: ResponseContext, user: SecurityUser): void {
    response.redirect(this.links.frontEnd('loginError', { tf_required: 1, ...this.links.identityQuery(user) }), HttpStatus.FOUND);
  }

  private redirects(request: RequestContext, target: 'postLogin' | 'loginError'): boolean {
    if (wantsJson(request)) return false;
    return this.options.redirectBehavior === 'spa' || !!this.options.redirects[target];
  }
}
