// Passport's own type definitions are written against Express's request
// (@types/passport imports @types/express): naming them here lets the
// declarations of our strategies refer to it. Types only; nothing of Express loads.
/// <reference types="express" />
import { PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import { Strategy as CustomStrategy } from 'passport-custom';
import type { AuthMethod } from '../../security.options.js';

/**
 * nest-security's own Passport instance. Our strategies register here, not
 * on the global `passport`, so they never replace (or get replaced by) an
 * app's own strategy called 'session' or 'basic', and two apps in one
 * process (a test run) keep their own strategy instances.
 */
export const securityPassport = new passport.Passport();

/**
 * Base class of nest-security's strategies: a `passport-custom` strategy
 * whose `validate(request)` resolves an Authentication or false, registered
 * on securityPassport under the method's name.
 */
export function SecurityStrategy(name: AuthMethod) {
  abstract class SecurityStrategyBase extends PassportStrategy(CustomStrategy, name) {
    getPassportInstance() {
      return securityPassport;
    }
  }
  return SecurityStrategyBase;
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
function runStrategy<T>(strategy: PassportStrategyInstance, request: object): Promise<T | false> {
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
