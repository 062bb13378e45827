import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SESSION_IP_MAX_LENGTH, SESSION_USER_AGENT_MAX_LENGTH, SessionStore, type StoredSession } from '../../storage/session-store.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import { serializeCookie } from './cookies.js';

/** 32 random bytes, base64url: the only form of session secret we accept. */
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** `last_seen_at` and a sliding expiry are written at most this often per session. */
const TOUCH_INTERVAL_MS = 60_000;
/** Every this many new sessions, expired rows of all users are deleted. */
const CLEANUP_EVERY = 100;

/** Where a session is opened from, kept for the session list. */
export interface SessionClient {
  userAgent?: string;
  ip?: string;
}

export interface CreatedSession {
  /** The cookie value. Never stored: the row is keyed by its SHA-256. */
  secret: string;
  session: StoredSession;
}

/** The row id of a session secret. */
export function sessionId(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Server-side sessions, kept in the SessionStore. The cookie carries a random
 * secret; the store holds only its SHA-256, the user's fs_uniquifier at
 * login and the session's own state (freshness, CSRF token). A session is
 * valid while it has not expired and the user's fs_uniquifier is still the
 * one it was made with: rotating the uniquifier (a password change) ends
 * every session of the user at once, in every process, with no cache.
 * Besides its sliding idle lifetime (`maxAge`, `rememberMaxAge`), every
 * session has an absolute one (`absoluteMaxAge`, from its creation) that no
 * activity extends. A request's lookup is one store call: the session and
 * its user together.
 */
@Injectable()
export class SessionService {
  private createdSinceCleanup = 0;

  constructor(
    private readonly sessions: SessionStore,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  /** The session secret the request carries, if it has the right shape. */
  secretFrom(request: RequestContext): string | undefined {
    const value = request.cookie(this.options.session.cookieName);
    return value !== undefined && SECRET_PATTERN.test(value) ? value : undefined;
  }

  /** A new session for the user, with its own CSRF token; `client` (user agent, address) is kept, capped. */
  async create(
    user: SecurityUser,
    { remember = false, authenticatedAt = new Date(), client = {} as SessionClient } = {},
  ): Promise<CreatedSession> {
    const secret = randomBytes(32).toString('base64url');
    const now = new Date();
    const session = await this.sessions.create({
      id: sessionId(secret),
      userId: user.id,
      fsUniquifier: user.fsUniquifier,
      lastSeenAt: now,
      expiresAt: this.expiryFrom(now.getTime(), now, remember),
      remember,
      authenticatedAt,
      csrfToken: randomBytes(32).toString('base64url'),
      data: {},
      userAgent: client.userAgent ? client.userAgent.slice(0, SESSION_USER_AGENT_MAX_LENGTH) : null,
      ip: client.ip ? client.ip.slice(0, SESSION_IP_MAX_LENGTH) : null,
    });
    await this.cleanup(user);
    return { secret, session };
  }

  /** The live session row of a secret, or null (unknown or expired). */
  async find(secret: string): Promise<StoredSession | null> {
    return SECRET_PATTERN.test(secret) ? this.sessions.find(sessionId(secret)) : null;
  }

  /** The session and its user, when the session is live and still matches the user's uniquifier. */
  async authenticate<U extends SecurityUser = SecurityUser>(secret: string): Promise<{ user: U; session: StoredSession } | null> {
    if (!SECRET_PATTERN.test(secret)) return null;
    const found = await this.sessions.findWithUser<U>(sessionId(secret));
    if (!found) return null;
    const { session, user } = found;
    if (user.fsUniquifier !== session.fsUniquifier || this.pastAbsoluteEnd(session)) {
      // Dead for good (uniquifier rotated, or too old however active): drop it now.
      await this.sessions.delete(session.id);
      return null;
    }
    return user.active ? found : null;
  }

  /**
   * Sliding expiry: records activity and pushes the expiry out (never past
   * the absolute end), at most once a minute per session. Resolves true when it wrote.
   */
  async touch(session: StoredSession): Promise<boolean> {
    const now = Date.now();
    if (now - session.lastSeenAt.getTime() < TOUCH_INTERVAL_MS) return false;
    session.lastSeenAt = new Date(now);
    session.expiresAt = this.expiryFrom(now, session.createdAt, session.remember);
    await this.sessions.update(session.id, { lastSeenAt: session.lastSeenAt, expiresAt: session.expiresAt });
    return true;
  }

  /** The user proved who they are again (/verify): the session is fresh from now. */
  async reauthenticated(session: StoredSession, at: Date = new Date()): Promise<void> {
    session.authenticatedAt = at;
    await this.sessions.update(session.id, { authenticatedAt: at });
  }

  /** Merge into the session's small state (`data` jsonb). */
  async updateData(session: StoredSession, patch: Record<string, unknown>): Promise<void> {
    session.data = { ...session.data, ...patch };
    await this.sessions.update(session.id, { data: session.data });
  }

  async destroy(session: StoredSession | string): Promise<void> {
    const id = typeof session === 'string' ? (SECRET_PATTERN.test(session) ? sessionId(session) : null) : session.id;
    if (id) await this.sessions.delete(id);
  }

  /**
   * After a rotation of the user's fs_uniquifier that the request itself
   * made (an email change): the request's session, when it is the user's,
   * is replaced by a new one under the new uniquifier, as fresh and as
   * long-lived as it was, and its cookies are set. Every other session stays
   * dead. Resolves true when it kept one.
   */
  async keepCurrent(request: RequestContext, response: ResponseContext, user: SecurityUser): Promise<boolean> {
    const secret = this.secretFrom(request);
    const current = secret ? await this.sessions.find(sessionId(secret)) : null;
    if (!current || current.userId !== user.id || this.pastAbsoluteEnd(current)) return false;
    await this.sessions.delete(current.id);
    const { secret: renewed, session } = await this.create(user, { remember: current.remember, authenticatedAt: current.authenticatedAt });
    this.writeCookies(response, renewed, session);
    return true;
  }

  /** Ends every session of a user (the uniquifier rotation does this too, lazily). */
  async destroyAllForUser(userId: number): Promise<void> {
    await this.sessions.deleteAllForUser(userId);
  }

  /**
   * Sets the session cookie (HttpOnly) and, with CSRF on, the readable
   * CSRF cookie. "Remember me" sessions get persistent cookies; others
   * browser-session cookies (the server still ends them after `maxAge` idle,
   * and every session at its absolute end).
   */
  writeCookies(response: ResponseContext, secret: string, session: StoredSession): void {
    const maxAge = session.remember ? Math.min(this.lifetime(true), this.secondsToAbsoluteEnd(session)) : undefined;
    const { cookieName, secure } = this.options.session;
    response.setCookie(serializeCookie(cookieName, secret, { httpOnly: true, secure, maxAge }));
    if (this.options.csrf.enabled && session.csrfToken) {
      response.setCookie(serializeCookie(this.options.csrf.cookieName, session.csrfToken, { httpOnly: false, secure, maxAge }));
    }
  }

  /** Deletes both cookies in the browser. */
  clearCookies(response: ResponseContext): void {
    const { cookieName, secure } = this.options.session;
    response.setCookie(serializeCookie(cookieName, '', { httpOnly: true, secure, maxAge: 0 }));
    if (this.options.csrf.enabled) {
      response.setCookie(serializeCookie(this.options.csrf.cookieName, '', { httpOnly: false, secure, maxAge: 0 }));
    }
  }

  private lifetime(remember: boolean): number {
    return remember ? this.options.session.rememberMaxAge : this.options.session.maxAge;
  }

  /** The idle expiry from `nowMs`, capped at the absolute end of a session created at `createdAt`. */
  private expiryFrom(nowMs: number, createdAt: Date, remember: boolean): Date {
    const idle = nowMs + this.lifetime(remember) * 1000;
    const absolute = createdAt.getTime() + this.options.session.absoluteMaxAge * 1000;
    return new Date(Math.min(idle, absolute));
  }

  private secondsToAbsoluteEnd(session: StoredSession): number {
    const createdAt = (session.createdAt ?? new Date()).getTime();
    return Math.max(0, (createdAt + this.options.session.absoluteMaxAge * 1000 - Date.now()) / 1000);
  }

  private pastAbsoluteEnd(session: StoredSession): boolean {
    return this.secondsToAbsoluteEnd(session) <= 0;
  }

  /** The user's dead sessions go at each login; everyone's expired ones every CLEANUP_EVERY logins. */
  private async cleanup(user: SecurityUser): Promise<void> {
    await this.sessions.deleteStaleForUser(user.id, user.fsUniquifier);
    if (++this.createdSinceCleanup >= CLEANUP_EVERY) {
      this.createdSinceCleanup = 0;
      await this.sessions.deleteExpired();
    }
  }
}
