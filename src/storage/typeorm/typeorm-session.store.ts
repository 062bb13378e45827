import { type DataSource, MoreThan, Not, type Repository } from 'typeorm';
import type { NewSession, SessionPatch, StoredSession } from '../session-store.js';
import { SessionStore } from '../session-store.js';
import { SecuritySession } from './entities/security-session.entity.js';
import type { SecurityUser } from './entities/security-user.entity.js';
import { EntityRows } from './entity-rows.js';
import { BatchedLookup } from './batched-lookup.js';
import { deleteExpiredRows } from './delete-expired.js';
import { groupBy } from './group-by.js';
import { PreparedQuery, type Row } from './prepared-query.js';
import type { UserDatastore } from '../user-datastore.js';
import { TypeOrmUserDatastore } from './typeorm-user-datastore.js';

/**
 * Sessions in `security_session`. The lookup of every session-authenticated
 * request is one prepared statement: the live session joined with its user
 * and the user's roles (with a UserDatastore of your own instead of
 * TypeOrmUserDatastore, two lookups: the session, then the user through it).
 */
export class TypeOrmSessionStore extends SessionStore {
  private readonly sessions: Repository<SecuritySession>;
  private readonly sessionRows: EntityRows;
  private withUser?: BatchedLookup<Row>;

  constructor(
    private readonly dataSource: DataSource,
    /** The datastore whose users the join hydrates (and remembers, for its saveUser). */
    private readonly users: UserDatastore,
  ) {
    super();
    this.sessions = dataSource.getRepository(SecuritySession);
    this.sessionRows = new EntityRows(dataSource, this.sessions.metadata);
  }

  async create(session: NewSession): Promise<StoredSession> {
    const row = this.sessions.create({ userAgent: null, ip: null, ...session });
    await this.sessions.insert(row as never);
    return row;
  }

  async find(id: string): Promise<StoredSession | null> {
    const session = await this.sessions.findOneBy({ id });
    return session && session.expiresAt.getTime() > Date.now() ? session : null;
  }

  async findWithUser<U extends SecurityUser = SecurityUser>(id: string): Promise<{ session: StoredSession; user: U } | null> {
    if (!(this.users instanceof TypeOrmUserDatastore)) {
      const session = await this.find(id);
      const user = session && ((await this.users.findUser({ id: session.userId })) as U | null);
      return session && user ? { session, user } : null;
    }
    const rows = await this.withUserLookup(this.users).load(id);
    if (rows.length !== 1) return null;
    const session = this.sessionRows.hydrate<SecuritySession>(rows[0], 's_');
    if (session.expiresAt.getTime() <= Date.now()) return null;
    const user = this.users.adopt(this.users.rows.hydrateWithRoles(rows[0], 'u_')) as unknown as U;
    return { session, user };
  }

  async update(id: string, patch: SessionPatch): Promise<void> {
    if (Object.keys(patch).length > 0) await this.sessions.update({ id }, patch as never);
  }

  async delete(id: string): Promise<void> {
    await this.sessions.delete({ id });
  }

  async listForUser(userId: number): Promise<StoredSession[]> {
    return this.sessions.find({ where: { userId, expiresAt: MoreThan(new Date()) }, order: { lastSeenAt: 'DESC' } });
  }

  async deleteOthersForUser(userId: number, keepId: string | null): Promise<number> {
    const result = await this.sessions.delete(keepId === null ? { userId } : { userId, id: Not(keepId) });
    return result.affected ?? 0;
  }

  async deleteAllForUser(userId: number): Promise<void> {
    await this.sessions.delete({ userId });
  }

  async deleteStaleForUser(userId: number, currentUniquifier: string): Promise<void> {
    await this.sessions
      .createQueryBuilder()
      .delete()
      .where('user_id = :userId AND (expires_at < :now OR fs_uniquifier <> :uniquifier)', {
        userId,
        now: new Date(),
        uniquifier: currentUniquifier,
      })
      .execute();
  }

  async deleteExpired(limit?: number): Promise<number> {
    return deleteExpiredRows(this.dataSource, 'security_session', 'expires_at < now()', [], limit);
  }

  /** Concurrent session lookups share one statement (see BatchedLookup). */
  private withUserLookup(datastore: TypeOrmUserDatastore): BatchedLookup<Row> {
    if (!this.withUser) {
      const users = datastore.rows;
      const userPk = users.quote(users.metadata.primaryColumns[0].databaseName);
      const query = new PreparedQuery(
        this.dataSource,
        `SELECT ${this.sessionRows.selectList('s', 's_')}, ${users.selectWithRoles('u', 'u_')}
         FROM ${this.sessionRows.table} s JOIN ${users.table} u ON u.${userPk} = s.${this.sessionRows.column('userId')}
         WHERE s.${this.sessionRows.column('id')} = ANY($1::text[])`,
      );
      this.withUser = new BatchedLookup(async (ids) => groupBy(await query.rows([ids]), (row) => String(row.s_id)));
    }
    return this.withUser;
  }
}
