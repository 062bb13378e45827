import type { AuthMethod } from '../../security.options.js';
import { AUTH_REQUIRED_KEY } from '../authn.constants.js';
import { securityMetadata } from './bind-security-guard.js';

export interface AuthRequiredOptions {
  /**
   * Freshness, in minutes, as Flask-Security's `within`: the caller must have
   * proved who they are (login, /verify) this recently. Negative (the
   * default): no check. 0: always re-authenticate, except within the grace
   * period. Basic auth is always fresh. `'configured'`: the module's
   * `freshness` option (Flask-Security's `within=lambda: cv("FRESHNESS")`),
   * as the account flows use it.
   */
  within?: number | 'configured';
  /** Minutes after a passed freshness check during which it is not asked again. Default: `freshnessGracePeriod`. */
  grace?: number;
}

/** What `@AuthRequired` stores. `methods` undefined: the module's `defaultAuthMethods`. */
export interface AuthRequirement {
  methods: readonly AuthMethod[] | undefined;
  within: number | 'configured';
  grace: number | undefined;
}

/**
 * The caller must be authenticated by one of `methods` (default: the
 * module's `defaultAuthMethods`, session and token): Flask-Security's
 * `auth_required`. The built-in strategies are tried in the order token,
 * session, basic, then the app's own strategies in the order named; the
 * first that succeeds wins. A name no strategy is registered under fails at
 * start-up. Works on a route or a controller.
 *
 * ```ts
 * @AuthRequired()                                  // session or token
 * @AuthRequired('token', 'basic')
 * @AuthRequired('token', 'apikey')                // an app strategy (SecurityPassportStrategy)
 * @AuthRequired('session', { within: 5 })          // signed in within 5 minutes
 * @AuthRequired({ within: 'configured' })         // within the `freshness` option
 * ```
 */
export function AuthRequired(...args: Array<AuthMethod | AuthRequiredOptions>): ClassDecorator & MethodDecorator {
  const last = args[args.length - 1];
  const options: AuthRequiredOptions = typeof last === 'object' && last !== null ? (args.pop() as AuthRequiredOptions) : {};
  const methods = args as AuthMethod[];
  // Whether a name is a registered strategy is known only once the app is built: StrategyRegistry checks it at start-up.
  for (const method of methods) {
    if (typeof method !== 'string' || method === '')
      throw new Error(`@AuthRequired(): a strategy name must be a non-empty string, got ${String(method)}`);
  }
  const within = options.within ?? -1;
  if (within !== 'configured' && (typeof within !== 'number' || Number.isNaN(within))) {
    throw new Error("@AuthRequired(): within must be a number of minutes or 'configured'");
  }
  if (options.grace !== undefined && !(typeof options.grace === 'number' && options.grace >= 0)) {
    throw new Error('@AuthRequired(): grace must be a non-negative number of minutes');
  }
  const requirement: AuthRequirement = {
    methods: methods.length > 0 ? Object.freeze([...new Set(methods)]) : undefined,
    within,
    grace: options.grace,
  };
  return securityMetadata(AUTH_REQUIRED_KEY, requirement);
}
