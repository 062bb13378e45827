import passport from 'passport';
import type { SecurityRequest, SecurityResponse } from '../authentication.js';

/**
 * nest-security's own Passport instance. Our strategies register here, not
 * on the global `passport`, so they never replace (or get replaced by) an
 * app's own strategy called 'session' or 'basic', and two apps in one
 * process (a test run) keep their own strategy instances.
 */
export const securityPassport = new passport.Passport();

/** A strategy as passport.authenticate accepts it: an instance, not a name. */
export type PassportStrategyInstance = passport.Strategy;

/**
 * Runs a chain of strategy instances through Passport: the first success
 * wins, failures fall through to the next, an error (a lockout, a database
 * failure) stops the chain and rejects. Resolves the strategy's result, or
 * false when every strategy failed.
 */
export function runStrategies<T>(
  strategies: readonly PassportStrategyInstance[],
  request: SecurityRequest,
  response: SecurityResponse,
): Promise<T | false> {
  if (strategies.length === 0) return Promise.resolve(false);
  // Passport sets success/fail/error on the strategy object it is given: give it a per-request
  // object inheriting from the shared instance, or concurrent requests would swap callbacks.
  const perRequest = strategies.map((strategy) => Object.create(strategy) as PassportStrategyInstance);
  return new Promise((resolve, reject) => {
    const middleware = securityPassport.authenticate(perRequest as never, { session: false }, (error: unknown, result: T | false) => {
      if (error) reject(error);
      else resolve(result || false);
    });
    middleware(request, response, (error?: unknown) => (error ? reject(error) : resolve(false)));
  });
}
