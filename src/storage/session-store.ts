import type { SecurityUser } from './typeorm/entities/security-user.entity.js';

/** A server-side session as stored. `id` is the SHA-256 of the cookie's secret, never the secret. */
export interface StoredSession {
  id: string;
  userId: number;
  /** The user's fs_uniquifier at login: a rotation kills the session. */
  fsUniquifier: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  remember: boolean;
  /** When the user last proved who they are (login, /verify): freshness. */
  authenticatedAt: Date;
  csrfToken: string | null;
  /** Small per-session state of the sign-in flows. */
  data: Record<string, unknown>;
  /** The User-Agent header at login, capped at {@link SESSION_USER_AGENT_MAX_LENGTH} characters; null when none was sent. */
  userAgent: string | null;
  /** The client address at login (as the platform's trust-proxy setting sees it); null when unknown. */
  ip: string | null;
}

/** How much of a User-Agent header a session keeps. */
export const SESSION_USER_AGENT_MAX_LENGTH = 256;
/** How much of a client address a session keeps (an IPv6 address with a zone fits). */
export const SESSION_IP_MAX_LENGTH = 64;

/** A session to store: `userAgent` and `ip` may be left out (stored as null). */
export type NewSession = Omit<StoredSession, 'createdAt' | 'userAgent' | 'ip'> & Partial<Pick<StoredSession, 'userAgent' | 'ip'>>;

/** The fields a session changes after it is created. */
export type SessionPatch = Partial<Pick<StoredSession, 'lastSeenAt' | 'expiresAt' | 'authenticatedAt' | 'data'>>;

/**
 * Where server-side sessions live. Also the injection token.
 *
 * A session is live while `expiresAt` is in the future; the finders never
 * return a dead one. Deletes of unknown ids are no-ops. Writes are visible to
 * every reader (every app instance) once they resolve: a deleted session is
 * refused everywhere at once.
 */
export abstract class SessionStore {
  abstract create(session: NewSession): Promise<StoredSession>;
  /** The live session alone. */
  abstract find(id: string): Promise<StoredSession | null>;
  /**
   * The live session and its user (roles loaded), in one round trip: this
   * runs on every session-authenticated request. Null when the session is
   * unknown or expired, or its user is gone. The caller checks the user's
   * uniquifier and `active`.
   */
  abstract findWithUser<U extends SecurityUser = SecurityUser>(id: string): Promise<{ session: StoredSession; user: U } | null>;
  abstract update(id: string, patch: SessionPatch): Promise<void>;
  abstract delete(id: string): Promise<void>;
  /** The user's live sessions, the most recently seen first. */
  abstract listForUser(userId: number): Promise<StoredSession[]>;
  /** Every session of the user. */
  abstract deleteAllForUser(userId: number): Promise<void>;
  /**
   * Every session of the user except `keepId` (all of them when it is null):
   * "sign out everywhere else". Resolves how many were deleted.
   */
  abstract deleteOthersForUser(userId: number, keepId: string | null): Promise<number>;
  /** The user's dead sessions: expired, or made under another fs_uniquifier than `currentUniquifier`. */
  abstract deleteStaleForUser(userId: number, currentUniquifier: string): Promise<void>;
  /** Expired sessions of every user, at most `limit` of them (housekeeping); resolves how many were deleted. */
  abstract deleteExpired(limit?: number): Promise<number>;
}
