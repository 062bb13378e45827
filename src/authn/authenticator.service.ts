import { Injectable } from '@nestjs/common';
import type { AuthMethod } from '../security.options.js';
import type { RequestContext } from '../http/index.js';
import type { SecurityUser } from '../storage/typeorm/entities/security-user.entity.js';
import type { Authentication } from './authentication.js';
import { runStrategy } from './strategies/security-passport.js';
import { type ChainLink, StrategyRegistry } from './strategies/strategy-registry.js';

/**
 * Runs the passport strategies a route accepts: the built-ins in
 * Flask-Security's order (token, session, basic, whatever order the route
 * names them), then the app's own in the order the route names them. The
 * first that succeeds wins; a strategy whose credentials are absent or wrong
 * passes to the next. Errors (a lockout: 429) stop the chain.
 *
 * An app strategy's result is its user: it is taken as authenticated by
 * that strategy's name, with no primary-authentication time (never fresh
 * for `@AuthRequired({ within })`); an inactive user (`active: false`) is
 * refused, as by the built-ins.
 */
@Injectable()
export class Authenticator {
  constructor(private readonly registry: StrategyRegistry) {}

  async authenticate(request: RequestContext, methods: readonly AuthMethod[]): Promise<Authentication | false> {
    for (const link of this.registry.chain(methods)) {
      const result = await runStrategy<unknown>(link.strategy, request.platformRequest);
      if (!result) continue;
      const authentication = link.builtIn ? (result as Authentication) : appAuthentication(link, result);
      if (authentication) return authentication;
    }
    return false;
  }
}

function appAuthentication(link: ChainLink, user: unknown): Authentication | false {
  if (typeof user !== 'object' || user === null || (user as SecurityUser).active === false) return false;
  return { user: user as SecurityUser, method: link.method, authenticatedAt: null };
}
