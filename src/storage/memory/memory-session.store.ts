import type { NewSession, SessionPatch, StoredSession } from '../session-store.js';
import { SessionStore } from '../session-store.js';
import type { SecurityUser } from '../typeorm/entities/security-user.entity.js';
import type { UserDatastore } from '../user-datastore.js';
import { refuseInProduction } from './refuse-production.js';

/** Sessions in a Map; the user comes from the datastore given (the MemoryUserDatastore of memoryStorage). */
export class MemorySessionStore extends SessionStore {
  private readonly sessions = new Map<string, StoredSession>();

  constructor(private readonly users: UserDatastore) {
    super();
    refuseInProduction('MemorySessionStore');
  }

  async create(session: NewSession): Promise<StoredSession> {
    if (this.sessions.has(session.id)) throw new Error('a session with this id exists already');
    const stored = copy({ userAgent: null, ip: null, ...session, createdAt: new Date() });
    this.sessions.set(stored.id, stored);
    return copy(stored);
  }

  async find(id: string): Promise<StoredSession | null> {
    const session = this.sessions.get(id);
    return session && session.expiresAt.getTime() > Date.now() ? copy(session) : null;
  }

  async findWithUser<U extends SecurityUser = SecurityUser>(id: string): Promise<{ session: StoredSession; user: U } | null> {
    const session = await this.find(id);
    const user = session && ((await this.users.findUser({ id: session.userId })) as U | null);
    return session && user ? { session, user } : null;
  }

  async update(id: string, patch: SessionPatch): Promise<void> {
    const session = this.sessions.get(id);
    if (session) this.sessions.set(id, copy({ ...session, ...patch }));
  }

  async delete(id: string): Promise<void> {
    this.sessions.delete(id);
  }

  async listForUser(userId: number): Promise<StoredSession[]> {
    const now = Date.now();
    return [...this.sessions.values()]
      .filter((session) => session.userId === userId && session.expiresAt.getTime() > now)
      .sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime())
      .map(copy);
  }

  async deleteOthersForUser(userId: number, keepId: string | null): Promise<number> {
    let deleted = 0;
    for (const [id, session] of this.sessions) {
      if (session.userId === userId && id !== keepId) {
        this.sessions.delete(id);
        deleted++;
      }
    }
    return deleted;
  }

  async deleteAllForUser(userId: number): Promise<void> {
    for (const [id, session] of this.sessions) if (session.userId === userId) this.sessions.delete(id);
  }

  async deleteStaleForUser(userId: number, currentUniquifier: string): Promise<void> {
    const now = Date.now();
    for (const [id, session] of this.sessions) {
      if (session.userId === userId && (session.expiresAt.getTime() < now || session.fsUniquifier !== currentUniquifier))
        this.sessions.delete(id);
    }
  }

  async deleteExpired(limit = Infinity): Promise<number> {
    const now = Date.now();
    let deleted = 0;
    for (const [id, session] of this.sessions) {
      if (deleted >= limit) break;
      if (session.expiresAt.getTime() < now) {
        this.sessions.delete(id);
        deleted++;
      }
    }
    return deleted;
  }
}

/** Callers may change what they get back: they get copies, as from a database. */
function copy(session: StoredSession): StoredSession {
  return {
    ...session,
    createdAt: new Date(session.createdAt),
    lastSeenAt: new Date(session.lastSeenAt),
    expiresAt: new Date(session.expiresAt),
    authenticatedAt: new Date(session.authenticatedAt),
    data: structuredClone(session.data),
  };
}
