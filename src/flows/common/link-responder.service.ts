import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { FlowLinks } from './flow-links.service.js';
import { FlowSignIn } from './flow-sign-in.service.js';
import { type LinkOutcome, userQuery } from './link-outcome.js';

/**
 * Answers a followed email link. `redirectBehavior: 'spa'`: a 302 to the
 * front-end URL of the outcome, with the outcome in the query string as
 * Flask-Security's SPA mode puts it (`<category>=<message>`, `email`,
 * `identity`, plus our stable `code`). Otherwise JSON: 200 with
 * `{ code, message, ... }`, or the outcome's error.
 */
@Injectable()
export class LinkResponder {
  constructor(
    private readonly links: FlowLinks,
    private readonly signIn: FlowSignIn,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  async respond(request: RequestContext, response: ResponseContext, outcome: LinkOutcome, via: string): Promise<void> {
    const signedIn =
      outcome.signIn && this.signIn.maySignIn(outcome.signIn)
        ? await this.signIn.signIn(request, response, outcome.signIn, via)
        : undefined;
    if (this.options.redirectBehavior === 'spa') {
      const url = this.links.frontEnd(outcome.redirect, {
        [outcome.category]: outcome.message,
        code: outcome.code,
        ...userQuery(outcome.user),
        ...outcome.query,
      });
      response.redirect(url, HttpStatus.FOUND);
      return;
    }
    if (outcome.error) throw outcome.error;
    response.json(HttpStatus.OK, { code: outcome.code, message: outcome.message, ...outcome.body, ...signedIn });
  }
}
