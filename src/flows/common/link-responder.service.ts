import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { acceptsJson, isFormPost, type RequestContext, type ResponseContext } from '../../http/index.js';
import { LoginService, wantsAuthToken } from '../../authn/login/login.service.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { FlowLinks } from './flow-links.service.js';
import { FlowSignIn } from './flow-sign-in.service.js';
import type { LinkOutcome } from './link-outcome.js';

/**
 * Answers a followed email link. `redirectBehavior: 'spa'`: a 302 to the
 * front-end URL of the outcome, with the outcome in the query string as
 * Flask-Security's SPA mode puts it (`<category>=<message>`, our stable
 * `code`; `email` and `identity` only with `redirectIncludeIdentity`).
 * Otherwise JSON: 200 with `{ code, message, ... }`, or the outcome's error.
 *
 * A safe `next` (`?next=`) on a good link sends a browser there instead
 * (302), in both modes, once the link did its work (and signed in, where it
 * does); a client asking for JSON (`Accept: application/json`,
 * `?include_auth_token`) still gets JSON. The reset link is a step, not an
 * end: its `next` travels on to the SPA's reset view (`&next=`), for the
 * POST /reset/:token that finishes it.
 */
@Injectable()
export class LinkResponder {
  constructor(
    private readonly links: FlowLinks,
    private readonly signIn: FlowSignIn,
    private readonly login: LoginService,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  async respond(request: RequestContext, response: ResponseContext, outcome: LinkOutcome, via: string): Promise<void> {
    const signedIn =
      outcome.signIn && this.signIn.maySignIn(outcome.signIn)
        ? await this.signIn.signIn(request, response, outcome.signIn, via)
        : undefined;
    const next = outcome.error || wantsJson(request) ? undefined : this.links.next(request);
    const step = outcome.redirect === 'resetView';
    if (next && !step) return response.redirect(next, HttpStatus.FOUND);
    if (this.options.redirectBehavior === 'spa') {
      const url = this.links.frontEnd(outcome.redirect, {
        [outcome.category]: outcome.message,
        code: outcome.code,
        ...this.links.identityQuery(outcome.user),
        ...outcome.query,
        next: step ? next : undefined,
      });
      response.redirect(url, HttpStatus.FOUND);
      return;
    }
    if (outcome.error) throw outcome.error;
    response.json(HttpStatus.OK, { code: outcome.code, message: outcome.message, ...outcome.body, ...signedIn });
  }

  /** Answers a flow's form that did its work: a browser's form post with a safe `next` goes there (302), anything else gets `body`. */
  async finished(request: RequestContext, response: ResponseContext, body: Record<string, unknown>): Promise<void> {
    const next = isFormPost(request) ? this.links.next(request) : undefined;
    if (next) return response.redirect(next, HttpStatus.FOUND);
    // Written here, not returned: the envelope's csrf_token (every Flask-Security answer has one) is added here too.
    if (this.options.responseShape === 'flask-security' && body.csrf_token == null) {
      const { csrf_token } = await this.login.csrfToken(request, response);
      if (csrf_token) body = { ...body, csrf_token };
    }
    response.json(HttpStatus.OK, body);
  }
}

/** The client asked for JSON: `Accept: application/json`, or `?include_auth_token` (a token is never put in a URL). */
export function wantsJson(request: RequestContext): boolean {
  return acceptsJson(request) || wantsAuthToken(request);
}
