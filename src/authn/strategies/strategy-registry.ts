import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { AUTHN_OPTIONS, type AuthnOptions } from '../../options/option-slices.js';
import type { AuthMethod } from '../../security.options.js';
import { AUTH_METHOD_ORDER } from '../authn.constants.js';
import { BasicStrategy } from './basic.strategy.js';
import { isPassportStrategy, type PassportStrategyInstance, strategyName } from './security-passport.js';
import { SessionStrategy } from './session.strategy.js';
import { unknownStrategyProblems } from './strategy-check.js';
import { TokenStrategy } from './token.strategy.js';

/** One strategy of a chain: built-ins resolve an Authentication, the app's own resolve a user. */
export interface ChainLink {
  method: AuthMethod;
  strategy: PassportStrategyInstance;
  builtIn: boolean;
}

/**
 * The strategies `@AuthRequired(...)` can name: the three built-ins and every
 * passport strategy provider of the app (found with Nest's DiscoveryService:
 * providers that are passport Strategy instances, named as they were
 * registered, see SecurityPassportStrategy). At start-up it checks every
 * route's names, and `defaultAuthMethods`, against them: an unknown name
 * fails app.init() with the route and the nearest known name.
 */
@Injectable()
export class StrategyRegistry implements OnModuleInit {
  private readonly strategies = new Map<AuthMethod, ChainLink>();
  // The chain for each list of methods (lists come from route metadata and options: a few, fixed), built once.
  private readonly chains = new WeakMap<readonly AuthMethod[], ChainLink[]>();

  constructor(
    token: TokenStrategy,
    session: SessionStrategy,
    basic: BasicStrategy,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(AUTHN_OPTIONS) private readonly options: AuthnOptions,
  ) {
    for (const [method, strategy] of [
      ['token', token],
      ['session', session],
      ['basic', basic],
    ] as const) {
      this.strategies.set(method, { method, strategy: strategy as unknown as PassportStrategyInstance, builtIn: true });
    }
  }

  onModuleInit(): void {
    this.discoverAppStrategies();
    const problems = unknownStrategyProblems(this.discovery, this.scanner, this.reflector, this.names(), this.options.defaultAuthMethods);
    if (problems.length > 0) {
      throw new Error(
        `nest-security: unknown authentication strategies:\n - ${problems.join('\n - ')}\n` +
          "(an app's own strategy is a provider extending SecurityPassportStrategy(Strategy, 'name'), or a passport strategy known by its own name)",
      );
    }
  }

  /** Every name @AuthRequired() may use. */
  names(): AuthMethod[] {
    return [...this.strategies.keys()];
  }

  /** The strategies to run for `methods`: built-ins in Flask-Security's order (token, session, basic), then the app's in the order named. */
  chain(methods: readonly AuthMethod[]): ChainLink[] {
    let chain = this.chains.get(methods);
    if (!chain) {
      const builtIns = AUTH_METHOD_ORDER.filter((method) => methods.includes(method));
      const own = methods.filter((method) => !(AUTH_METHOD_ORDER as readonly string[]).includes(method));
      chain = [...builtIns, ...own].map((method) => {
        const link = this.strategies.get(method);
        if (!link)
          throw new Error(`nest-security: no authentication strategy is registered as "${method}" (known: ${this.names().join(', ')})`);
        return link;
      });
      this.chains.set(methods, chain);
    }
    return chain;
  }

  private discoverAppStrategies(): void {
    const builtIns = new Set([...this.strategies.values()].map((link) => link.strategy));
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.isDependencyTreeStatic() ? wrapper.instance : undefined;
      if (!isPassportStrategy(instance) || builtIns.has(instance)) continue;
      const name = strategyName(instance);
      if (name === undefined) continue;
      const known = this.strategies.get(name);
      if (known && known.strategy.constructor !== instance.constructor) {
        throw new Error(
          `nest-security: two authentication strategies are registered as "${name}" (${known.strategy.constructor.name}, ${instance.constructor.name})`,
        );
      }
      if (!known) this.strategies.set(name, { method: name, strategy: instance, builtIn: false });
    }
  }
}
