import { createHash } from 'node:crypto';
import type { DataSource, EntityMetadata } from 'typeorm';
import type { SecurityUser } from './entities/security-user.entity.js';
import { type NodePostgresPool, PipelinedConnection, type Rows } from './pipelined-connection.js';

/** A column, or 'authTokenUid': fs_token_uniquifier, else fs_uniquifier where the user has no token uniquifier. */
export type UserKey = 'id' | 'fsUniquifier' | 'fsTokenUniquifier' | 'authTokenUid';

/** One lookup's SQL and the name it is prepared under. */
interface Statement {
  text: string;
  name: string;
}

/**
 * The hot lookup of every authenticated request (token uid, session
 * uniquifier): one hand-written statement that brings the user and its roles
 * (as a JSON aggregate) and is hydrated straight from entity metadata,
 * skipping the query builder's per-call planning. SQL is built once per key.
 */
export class UserByKeyQuery<U extends SecurityUser> {
  private readonly statements = new Map<UserKey, Statement>();
  private pipelined: PipelinedConnection | undefined | null = null;
  private readonly rolesAlias = '__nest_security_roles';
  private readonly roleMetadata: EntityMetadata | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly userMetadata: EntityMetadata,
  ) {
    this.roleMetadata = userMetadata.findRelationWithPropertyPath('roles')?.inverseEntityMetadata;
  }

  async find(key: UserKey, value: string | number): Promise<U | null> {
    const rows = await this.run(this.statement(key), value);
    if (rows.length !== 1) return null;
    const user = this.hydrate<U>(this.userMetadata, rows[0]);
    const roles = rows[0][this.rolesAlias];
    const roleRows = (typeof roles === 'string' ? JSON.parse(roles) : roles) as Array<Record<string, unknown>> | null;
    user.roles = this.roleMetadata ? (roleRows ?? []).map((row) => this.hydrate(this.roleMetadata!, row)) : [];
    return user;
  }

  /** Ends the pipelined connection, if one was opened. */
  async close(): Promise<void> {
    await this.pipelined?.close();
    this.pipelined = undefined;
  }

  /**
   * On node-postgres, a named prepared statement (parsed and planned once per
   * connection) on a pipelined connection of its own beside TypeORM's pool
   * (see PipelinedConnection), or on the pool where node-postgres has no
   * pipeline mode. Other drivers (PGlite) go through TypeORM.
   */
  private async run(statement: Statement, value: string | number): Promise<Rows> {
    const pool = this.nodePostgresPool();
    if (!pool) return this.dataSource.query(statement.text, [value]);
    if (this.pipelined === null) this.pipelined = PipelinedConnection.beside(pool);
    const query = { name: statement.name, text: statement.text, values: [value] };
    return this.pipelined ? this.pipelined.query(query) : (await pool.query(query)).rows;
  }

  private nodePostgresPool(): NodePostgresPool | undefined {
    const pool = (this.dataSource.driver as { master?: Partial<NodePostgresPool> & { totalCount?: unknown } }).master;
    const usable = pool && typeof pool.query === 'function' && typeof pool.Client === 'function' && 'totalCount' in pool;
    return usable ? (pool as NodePostgresPool) : undefined;
  }

  private statement(key: UserKey): Statement {
    let statement = this.statements.get(key);
    if (statement) return statement;
    const driver = this.dataSource.driver;
    const quote = (name: string) => driver.escape(name);
    const meta = this.userMetadata;
    const column = (property: string) => {
      const found = meta.findColumnWithPropertyName(property);
      if (!found) throw new Error(`user entity has no ${property} column`);
      return `u.${quote(found.databaseName)}`;
    };
    const where =
      key === 'authTokenUid'
        ? `(${column('fsTokenUniquifier')} = $1 OR (${column('fsTokenUniquifier')} IS NULL AND ${column('fsUniquifier')} = $1))`
        : `${column(key)} = $1`;
    const primary = meta.primaryColumns[0].databaseName;
    const relation = meta.findRelationWithPropertyPath('roles');
    const junction = relation?.junctionEntityMetadata;
    const roles =
      relation && junction
        ? `COALESCE((SELECT json_agg(r ORDER BY r.${quote(relation.inverseEntityMetadata.primaryColumns[0].databaseName)})
             FROM ${quote(relation.inverseEntityMetadata.tablePath)} r
             JOIN ${quote(junction.tablePath)} j ON j.${quote(junction.inverseColumns[0].databaseName)} = r.${quote(relation.inverseEntityMetadata.primaryColumns[0].databaseName)}
             WHERE j.${quote(junction.ownerColumns[0].databaseName)} = u.${quote(primary)}), '[]'::json)`
        : `'[]'::json`;
    const text = `SELECT u.*, ${roles} AS ${quote(this.rolesAlias)} FROM ${quote(meta.tablePath)} u WHERE ${where} LIMIT 2`;
    statement = { text, name: `nest_security_${createHash('sha1').update(text).digest('hex').slice(0, 16)}` };
    this.statements.set(key, statement);
    return statement;
  }

  private hydrate<T>(metadata: EntityMetadata, row: Record<string, unknown>): T {
    const entity = metadata.create() as T;
    for (const column of metadata.columns) {
      if (column.relationMetadata || !(column.databaseName in row)) continue;
      column.setEntityValue(entity as object, this.dataSource.driver.prepareHydratedValue(row[column.databaseName], column));
    }
    return entity;
  }
}
