import { HttpStatus, Injectable } from '@nestjs/common';
import { SecurityErrorCode, SecurityException } from '../../common/errors/index.js';
import { SecurityEvents } from '../../common/events/security-events.service.js';
import type { Authentication } from '../../authn/authentication.js';
import { SessionStore, type StoredSession } from '../../storage/session-store.js';
import { FlowEvent } from '../common/flow-events.js';
import { PUBLIC_SESSION_ID_PATTERN, publicSessionId } from './session-public-id.js';
import { userAgentLabel } from './user-agent-label.js';

/** One session as `GET /sessions` shows it. */
export interface ListedSession {
  /** The public id (see publicSessionId), for `DELETE /sessions/:id`. */
  id: string;
  /** "Firefox on Linux", from the user agent at login. */
  device: string;
  ip: string | null;
  created_at: string;
  last_seen_at: string;
  /** The session this request came with. */
  current: boolean;
}

/** What ending a session did: how many ended, and whether the caller's own session was among them. */
export interface EndedSessions {
  ended: number;
  endedCurrent: boolean;
}

/**
 * The caller's own server-side sessions, listed and ended. Every lookup goes
 * through the caller's sessions (SessionStore.listForUser), so another user's
 * session cannot be named, and an unknown id and another user's answer the
 * same 404. Ending deletes the row: the next request with that cookie is 401.
 */
@Injectable()
export class SessionListService {
  constructor(
    private readonly sessions: SessionStore,
    private readonly events: SecurityEvents,
  ) {}

  async list(authentication: Authentication): Promise<ListedSession[]> {
    const currentId = authentication.session?.id;
    return (await this.liveSessions(authentication)).map((session) => ({
      id: publicSessionId(session.id),
      device: userAgentLabel(session.userAgent),
      ip: session.ip,
      created_at: session.createdAt.toISOString(),
      last_seen_at: session.lastSeenAt.toISOString(),
      current: session.id === currentId,
    }));
  }

  /** `DELETE /sessions/:id`: one of the caller's sessions (the current one too, which is then a logout). */
  async end(authentication: Authentication, publicId: string): Promise<EndedSessions> {
    const found = PUBLIC_SESSION_ID_PATTERN.test(publicId)
      ? (await this.liveSessions(authentication)).find((session) => publicSessionId(session.id) === publicId)
      : undefined;
    if (!found) throw new SecurityException(HttpStatus.NOT_FOUND, SecurityErrorCode.NOT_FOUND, 'No such session');
    await this.sessions.delete(found.id);
    this.emitEnded(authentication, 1);
    return { ended: 1, endedCurrent: found.id === authentication.session?.id };
  }

  /**
   * `DELETE /sessions`: "sign out everywhere else", every session of the
   * caller but the one this request came with (with a token, which has no
   * session, every session).
   */
  async endOthers(authentication: Authentication): Promise<EndedSessions> {
    const ended = await this.sessions.deleteOthersForUser(authentication.user.id, authentication.session?.id ?? null);
    if (ended > 0) this.emitEnded(authentication, ended);
    return { ended, endedCurrent: false };
  }

  /** Live and still the user's: a session made under an older fs_uniquifier is dead (see SessionService.authenticate). */
  private async liveSessions(authentication: Authentication): Promise<StoredSession[]> {
    const { user } = authentication;
    return (await this.sessions.listForUser(user.id)).filter((session) => session.fsUniquifier === user.fsUniquifier);
  }

  private emitEnded(authentication: Authentication, ended: number): void {
    this.events.emit(FlowEvent.SessionsEnded, { userId: authentication.user.id, email: authentication.user.email, ended });
  }
}
