import type { SecurityUser } from '../storage/typeorm/entities/security-user.entity.js';
import type { StoredSession } from '../storage/session-store.js';
import type { AuthMethod } from '../security.options.js';
import { platformRequestOf } from '../http/request-context.js';

/** What a strategy hands back when the request's credentials are good. */
export interface Authentication<U extends SecurityUser = SecurityUser> {
  user: U;
  method: AuthMethod;
  /**
   * When the user last proved who they are (login, /verify), for freshness.
   * Null when unknown (a v4 token carries none): never fresh.
   */
  authenticatedAt: Date | null;
  /** The server-side session, for session authentication. */
  session?: StoredSession;
}

/**
 * Each request's Authentication, beside the request rather than on it: an
 * Express request's hidden class is unique to it (Express re-parents every
 * request), so in V8 each property added to one costs a copy of its map,
 * and each read of a missing one a walk up its prototype chain.
 */
const authentications = new WeakMap<object, Authentication>();

/** What SecurityGuard records on the platform's request (Express's `req`, Fastify's `request`): the user, as Passport does. */
export interface SecurityRequestState<U extends SecurityUser = SecurityUser> {
  user?: U;
}

/**
 * How the request (the platform's, or its RequestContext) was authenticated: the user, the method (Flask-Security's
 * `fs_authn_via`), when the user last proved who they are, and the session
 * for session authentication. Undefined where SecurityGuard did not
 * authenticate the request (a public route).
 */
export function getAuthentication<U extends SecurityUser = SecurityUser>(request: object): Authentication<U> | undefined {
  return authentications.get(platformRequestOf(request)) as Authentication<U> | undefined;
}

/**
 * Records a successful authentication: `request.user` (on the platform's
 * request, as Passport does) and getAuthentication(request). SecurityGuard does this.
 */
export function setAuthentication(request: object, authentication: Authentication): void {
  const platformRequest = platformRequestOf(request) as SecurityRequestState;
  authentications.set(platformRequest, authentication);
  platformRequest.user = authentication.user;
}
