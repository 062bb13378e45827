import { Injectable } from '@nestjs/common';
import type { AuthMethod } from '../security.options.js';
import { AUTH_METHOD_ORDER } from './authn.constants.js';
import type { RequestContext } from '../http/index.js';
import type { Authentication } from './authentication.js';
import { BasicStrategy } from './strategies/basic.strategy.js';
import { type PassportStrategyInstance, runStrategies } from './strategies/security-passport.js';
import { SessionStrategy } from './strategies/session.strategy.js';
import { TokenStrategy } from './strategies/token.strategy.js';

/**
 * Runs the passport strategies a route accepts, in Flask-Security's order
 * (token, session, basic, whatever order the route names them): the first
 * that succeeds wins; a strategy whose credentials are absent or wrong
 * passes to the next. Errors (a lockout: 429) stop the chain.
 */
@Injectable()
export class Authenticator {
  private readonly strategies: Record<AuthMethod, PassportStrategyInstance>;
  // The chain for each list of methods (lists come from route metadata and options: a few, fixed), built once.
  private readonly chains = new WeakMap<readonly AuthMethod[], PassportStrategyInstance[]>();

  constructor(token: TokenStrategy, session: SessionStrategy, basic: BasicStrategy) {
    this.strategies = { token, session, basic } as unknown as Record<AuthMethod, PassportStrategyInstance>;
  }

  /** Strategies get the platform's request, as passport strategies expect (an app's own ones too). */
  authenticate(request: RequestContext, methods: readonly AuthMethod[]): Promise<Authentication | false> {
    return runStrategies<Authentication>(this.chain(methods), request.platformRequest);
  }

  private chain(methods: readonly AuthMethod[]): PassportStrategyInstance[] {
    let chain = this.chains.get(methods);
    if (!chain) {
      chain = AUTH_METHOD_ORDER.filter((method) => methods.includes(method)).map((method) => this.strategies[method]);
      this.chains.set(methods, chain);
    }
    return chain;
  }
}
