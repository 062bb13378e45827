import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, Repository } from 'typeorm';
import { SecuritySession } from '../../storage/typeorm/entities/security-session.entity.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { UserDatastore } from '../../storage/user-datastore.js';
import { SECURITY_DATA_SOURCE, SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import { serializeCookie } from './cookies.js';

/** 32 random bytes, base64url: the only form of session secret we accept. */
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** `last_seen_at` and a sliding expiry are written at most this often per session. */
const TOUCH_INTERVAL_MS = 60_000;
/** Every this many new sessions, expired rows of all users are deleted. */
const CLEANUP_EVERY = 100;

export interface CreatedSession {
  /** The cookie value. Never stored: the row is keyed by its SHA-256. */
  secret: string;
  session: SecuritySession;
}

/** The row id of a session secret. */
export function sessionId(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Server-side sessions in `security_session`. The cookie carries a random
 * secret; the database holds only its SHA-256, the user's fs_uniquifier at
 * login and the session's own state (freshness, CSRF token). A session is
 * valid while it has not expired and the user's fs_uniquifier is still the
 * one it was made with: rotating the uniquifier (a password change) ends
 * every session of the user at once, in every process, with no cache.
 */
@Injectable()
export class SessionService {
  private readonly sessions: Repository<SecuritySession>;
  private createdSinceCleanup = 0;

  constructor(
    @Inject(SECURITY_DATA_SOURCE) dataSource: DataSource,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
    private readonly datastore: UserDatastore,
  ) {
    this.sessions = dataSource.getRepository(SecuritySession);
  }

  /** The session secret the request carries, if it has the right shape. */
  secretFrom(request: RequestContext): string | undefined {
    const value = request.cookie(this.options.session.cookieName);
    return value !== undefined && SECRET_PATTERN.test(value) ? value : undefined;
  }

  /** A new session for the user, with its own CSRF token. */
  async create(user: SecurityUser, { remember = false, authenticatedAt = new Date() } = {}): Promise<CreatedSession> {
    const secret = randomBytes(32).toString('base64url');
    const now = new Date();
    const session = this.sessions.create({
      id: sessionId(secret),
      userId: user.id,
      fsUniquifier: user.fsUniquifier,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.lifetime(remember) * 1000),
      remember,
      authenticatedAt,
      csrfToken: randomBytes(32).toString('base64url'),
      data: {},
    });
    await this.sessions.insert(session as never);
    await this.cleanup(user);
    return { secret, session };
  }

  /** The live session row of a secret, or null (unknown or expired). */
  async find(secret: string): Promise<SecuritySession | null> {
    if (!SECRET_PATTERN.test(secret)) return null;
    const session = await this.sessions.findOneBy({ id: sessionId(secret) });
    return session && session.expiresAt.getTime() > Date.now() ? session : null;
  }

  /** The session and its user, when the session is live and still matches the user's uniquifier. */
  async authenticate<U extends SecurityUser = SecurityUser>(secret: string): Promise<{ user: U; session: SecuritySession } | null> {
    const session = await this.find(secret);
    if (!session) return null;
    const user = (await this.datastore.findUser({ id: session.userId })) as U | null;
    if (!user || user.fsUniquifier !== session.fsUniquifier) {
      // Dead for good (uniquifier rotated, user gone): drop the row now.
      await this.sessions.delete({ id: session.id });
      return null;
    }
    return user.active ? { user, session } : null;
  }

  /**
   * Sliding expiry: records activity and pushes the expiry out, at most once
   * a minute per session. Resolves true when it wrote.
   */
  async touch(session: SecuritySession): Promise<boolean> {
    const now = Date.now();
    if (now - session.lastSeenAt.getTime() < TOUCH_INTERVAL_MS) return false;
    session.lastSeenAt = new Date(now);
    session.expiresAt = new Date(now + this.lifetime(session.remember) * 1000);
    await this.sessions.update({ id: session.id }, { lastSeenAt: session.lastSeenAt, expiresAt: session.expiresAt });
    return true;
  }

  /** The user proved who they are again (/verify): the session is fresh from now. */
  async reauthenticated(session: SecuritySession, at: Date = new Date()): Promise<void> {
    session.authenticatedAt = at;
    await this.sessions.update({ id: session.id }, { authenticatedAt: at });
  }

  /** Merge into the session's small state (`data` jsonb). */
  async updateData(session: SecuritySession, patch: Record<string, unknown>): Promise<void> {
    session.data = { ...session.data, ...patch };
    await this.sessions.update({ id: session.id }, { data: session.data as never });
  }

  async destroy(session: SecuritySession | string): Promise<void> {
    const id = typeof session === 'string' ? (SECRET_PATTERN.test(session) ? sessionId(session) : null) : session.id;
    if (id) await this.sessions.delete({ id });
  }

  /** Ends every session of a user (the uniquifier rotation does this too, lazily). */
  async destroyAllForUser(userId: number): Promise<void> {
    await this.sessions.delete({ userId });
  }

  /**
   * Sets the session cookie (HttpOnly) and, with CSRF on, the readable
   * CSRF cookie. "Remember me" sessions get persistent cookies; others
   * browser-session cookies (the server still ends them after `maxAge` idle).
   */
  writeCookies(response: ResponseContext, secret: string, session: SecuritySession): void {
    const maxAge = session.remember ? this.lifetime(true) : undefined;
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

  /** The user's dead rows go at each login; everyone's expired rows every CLEANUP_EVERY logins. */
  private async cleanup(user: SecurityUser): Promise<void> {
    await this.sessions
      .createQueryBuilder()
      .delete()
      .where('user_id = :userId AND (expires_at < :now OR fs_uniquifier <> :uniquifier)', {
        userId: user.id,
        now: new Date(),
        uniquifier: user.fsUniquifier,
      })
      .execute();
    if (++this.createdSinceCleanup >= CLEANUP_EVERY) {
      this.createdSinceCleanup = 0;
      await this.sessions.createQueryBuilder().delete().where('expires_at < :now', { now: new Date() }).execute();
    }
  }
}
