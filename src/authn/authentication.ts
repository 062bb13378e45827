import type { SecurityUser } from '../storage/typeorm/entities/security-user.entity.js';
import type { StoredSession } from '../storage/session-store.js';
import type { AuthMethod } from '../security.options.js';

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

/** What SecurityGuard records on the request (Express's `req`): the user, as Passport does. */
export interface SecurityRequestState<U extends SecurityUser = SecurityUser> {
  user?: U;
}

/**
 * How the request was authenticated: the user, the method (Flask-Security's
 * `fs_authn_via`), when the user last proved who they are, and the session
 * for session authentication. Undefined where SecurityGuard did not
 * authenticate the request (a public route).
 */
export function getAuthentication<U extends SecurityUser = SecurityUser>(request: object): Authentication<U> | undefined {
  return authentications.get(request) as Authentication<U> | undefined;
}

/** Records a successful authentication: `request.user` and getAuthentication(request). SecurityGuard does this. */
export function setAuthentication(request: SecurityRequestState, authentication: Authentication): void {
  authentications.set(request, authentication);
  request.user = authentication.user;
}

/** The parts of a Node/Express request nest-security reads. */
export interface SecurityRequest extends SecurityRequestState {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  query?: Record<string, unknown>;
  ip?: string;
  socket?: { remoteAddress?: string };
}

/** The parts of a Node/Express response nest-security writes. */
export interface SecurityResponse {
  getHeader(name: string): number | string | string[] | undefined;
  setHeader(name: string, value: number | string | readonly string[]): unknown;
  headersSent?: boolean;
}

/** The client address as the app sees it (Express's `req.ip`, which honours `trust proxy`). */
export function clientIp(request: SecurityRequest): string {
  return request.ip ?? request.socket?.remoteAddress ?? 'unknown';
}

/** One header's value (the first, when repeated). */
export function headerValue(request: SecurityRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
