import type { SecurityUser } from '../datastore/entities/security-user.entity.js';
import type { SecuritySession } from '../datastore/entities/security-session.entity.js';
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
  session?: SecuritySession;
}

/** Where SecurityGuard keeps the request's Authentication: one property, see getAuthentication(). */
export const AUTHENTICATION = Symbol('nest-security:authentication');

/**
 * What SecurityGuard records on the request (Express's `req`): the user as
 * `request.user` (as Passport does), the rest as one Authentication record
 * read with getAuthentication(). One added property, not one per field: an
 * Express request's hidden class is unique to it (Express re-parents every
 * request), so in V8 each added property costs a map copy on every request.
 */
export interface SecurityRequestState<U extends SecurityUser = SecurityUser> {
  user?: U;
  [AUTHENTICATION]?: Authentication<U>;
}

/**
 * How the request was authenticated: the user, the method (Flask-Security's
 * `fs_authn_via`), when the user last proved who they are, and the session
 * for session authentication. Undefined where SecurityGuard did not
 * authenticate the request (a public route).
 */
export function getAuthentication<U extends SecurityUser = SecurityUser>(request: object): Authentication<U> | undefined {
  return (request as SecurityRequestState<U>)[AUTHENTICATION];
}

/** Records a successful authentication on the request (SecurityGuard does this). */
export function setAuthentication(request: SecurityRequestState, authentication: Authentication): void {
  request.user = authentication.user;
  request[AUTHENTICATION] = authentication;
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
