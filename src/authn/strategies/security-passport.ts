// Passport's own type definitions are written against Express's request
// (@types/passport imports @types/express): naming them here lets the
// declarations of our strategies refer to it. Types only; nothing of Express loads.
/// <reference types="express" />
import type { Type } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import { Strategy as CustomStrategy } from 'passport-custom';
import type { AuthMethod } from '../../security.options.js';

/** Each strategy registered on securityPassport, and the name it was registered under. */
const registeredNames = new WeakMap<object, string>();

/**
 * A Passport instance that remembers the name each strategy was registered
 * under (`use(name, strategy)` is Passport's public API; reading its
 * registry back is not), so StrategyRegistry can name the strategies it
 * discovers.
 */
class NamingPassport extends passport.Passport {
  override use(nameOrStrategy: string | passport.Strategy, strategy?: passport.Strategy): this {
    const [name, instance] = typeof nameOrStrategy === 'string' ? [nameOrStrategy, strategy!] : [nameOrStrategy.name, nameOrStrategy];
    if (name) registeredNames.set(instance, name);
    return typeof nameOrStrategy === 'string' ? super.use(nameOrStrategy, strategy!) : super.use(nameOrStrategy);
  }
}

/**
 * nest-security's own Passport instance. Strategies register here, not on
 * the global `passport`, so they never replace (or get replaced by) an
 * app's own strategy called 'session' or 'basic' used elsewhere.
 */
export const securityPassport: passport.PassportStatic = new NamingPassport() as unknown as passport.PassportStatic;

/**
 * The name a strategy is known by to `@AuthRequired(...)`: the name it was
 * registered on securityPassport under, else its own `name` (Passport's
 * default name of a strategy, e.g. what `PassportStrategy(Strategy)`
 * without a name registers).
 */
export function strategyName(strategy: passport.Strategy): string | undefined {
  return registeredNames.get(strategy) ?? (typeof strategy.name === 'string' && strategy.name !== '' ? strategy.name : undefined);
}

/** A passport strategy: registered on securityPassport, or an instance of passport's Strategy (passport-strategy). */
export function isPassportStrategy(value: unknown): value is passport.Strategy {
  return typeof value === 'object' && value !== null && (registeredNames.has(value) || value instanceof passport.Strategy);
}

/**
 * Base class of an app's own strategy for `@AuthRequired(name)`: Nest's
 * `PassportStrategy(Strategy, name)`, registered on nest-security's Passport
 * instance so the module finds it by that name. Any passport strategy works
 * (passport-custom, passport-headerapikey, an OAuth bearer strategy);
 * `validate(...)` resolves the user (a SecurityUser), or false/null.
 *
 * ```ts
 * @Injectable()
 * export class ApiKeyStrategy extends SecurityPassportStrategy(CustomStrategy, 'apikey') {
 *   constructor(private readonly users: UserDatastore) { super(); }
 *   async validate(request: Request) { ... return user ?? false; }
 * }
 * // providers: [ApiKeyStrategy]; then @AuthRequired('token', 'apikey')
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- @nestjs/passport's own mixin takes Type<any>
export function SecurityPassportStrategy<T extends Type<any>>(Strategy: T, name: string): ReturnType<typeof PassportStrategy<T>> {
  // Typed through a cast: TypeScript cannot extend the generic mixin type itself.
  const Base = PassportStrategy(Strategy, name) as unknown as Type<passport.Strategy>;
  class SecurityPassportStrategyBase extends Base {
    getPassportInstance() {
      return securityPassport;
    }
  }
  return SecurityPassportStrategyBase as unknown as ReturnType<typeof PassportStrategy<T>>;
}

/**
 * Base class of nest-security's built-in strategies: a `passport-custom`
 * strategy whose `validate(request)` resolves an Authentication or false.
 */
export function SecurityStrategy(name: AuthMethod) {
  return SecurityPassportStrategy(CustomStrategy, name);
}

/** A passport strategy instance, as runStrategies runs it. */
export type PassportStrategyInstance = passport.Strategy;

type Settle = (error: unknown, result: unknown) => void;

/** One strategy's run on one request: inherits the strategy, carries where its outcome goes. */
interface StrategyRun {
  settle: Settle;
  authenticate(request: unknown, options: object): void;
}

/**
 * Passport's strategy protocol: `authenticate(req, options)` ends by calling
 * exactly one of these on `this`. Passport's own middleware defines them as
 * fresh closures on every request and decorates the request with
 * `login`/`logout` & co., none of which nest-security uses; here they are
 * methods shared by every run, so a run costs one small object.
 */
const ACTIONS = {
  success(this: StrategyRun, user: unknown) {
    this.settle(null, user);
  },
  fail(this: StrategyRun) {
    this.settle(null, false);
  },
  pass(this: StrategyRun) {
    this.settle(null, false);
  },
  error(this: StrategyRun, error: unknown) {
    this.settle(error ?? new Error('authentication strategy failed'), false);
  },
  redirect(this: StrategyRun) {
    this.settle(new Error('nest-security strategies authenticate in place; they never redirect'), false);
  },
};

const OPTIONS = Object.freeze({ session: false });

// strategy instance -> its prototype for runs (the strategy plus the actions), built once.
const runPrototypes = new WeakMap<PassportStrategyInstance, PassportStrategyInstance>();

function runPrototype(strategy: PassportStrategyInstance): PassportStrategyInstance {
  let prototype = runPrototypes.get(strategy);
  if (!prototype) {
    prototype = Object.assign(Object.create(strategy) as PassportStrategyInstance, ACTIONS);
    runPrototypes.set(strategy, prototype);
  }
  return prototype;
}

/** Runs one passport strategy on a request; resolves its user, or false when it failed or passed. */
export function runStrategy<T>(strategy: PassportStrategyInstance, request: object): Promise<T | false> {
  return new Promise((resolve, reject) => {
    // A per-request object, so concurrent requests never share the actions' target.
    const run = Object.create(runPrototype(strategy)) as StrategyRun;
    run.settle = (error, result) => (error ? reject(error) : resolve((result as T) || false));
    try {
      run.authenticate(request, OPTIONS);
    } catch (error) {
      reject(error);
    }
  });
}

/**
 * Runs a chain of passport strategy instances as Passport's `authenticate`
 * would with a callback: the first success wins, failures fall through to
 * the next, an error (a lockout, a database failure) stops the chain and
 * rejects. Resolves the strategy's result, or false when every strategy
 * failed.
 */
export async function runStrategies<T>(strategies: readonly PassportStrategyInstance[], request: object): Promise<T | false> {
  for (const strategy of strategies) {
    const result = await runStrategy<T>(strategy, request);
    if (result) return result;
  }
  return false;
}
