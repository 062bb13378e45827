import { createHash } from 'node:crypto';
import type { DataSource, EntityMetadata } from 'typeorm';
import type { SecurityUser } from '../entities/security-user.entity.js';

/** A column, or 'authTokenUid': fs_token_uniquifier, else fs_uniquifier where the user has no token uniquifier. */
export type UserKey = 'id' | 'fsUniquifier' | 'fsTokenUniquifier' | 'authTokenUid';

/**
 * The hot lookup of every authenticated request (token uid, session
 * uniquifier): one hand-written statement that brings the user and its roles
 * (as a JSON aggregate) and is hydrated straight from entity metadata,
 * skipping the query builder's per-call planning. SQL is built once per key.
 */
export class UserByKeyQuery<U extends SecurityUser> {
  private readonly statements = new Map<UserKey, string>();
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

  /**
   * On node-postgres, a named prepared statement straight on the pool: it is
   * parsed and planned once per connection, which halves the cost of the
   * lookup. Other drivers (PGlite) go through TypeORM.
   */
  private async run(sql: string, value: string | number): Promise<Array<Record<string, unknown>>> {
    const pool = (this.dataSource.driver as { master?: { query?: unknown; totalCount?: unknown } }).master;
    if (pool && typeof pool.query === 'function' && 'totalCount' in pool) {
      const name = `nest_security_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
      const result = await (pool.query as (q: object) => Promise<{ rows: Array<Record<string, unknown>> }>)({ name, text: sql, values: [value] });
      return result.rows;
    }
    return this.dataSource.query(sql, [value]);
  }

  private statement(key: UserKey): string {
    let sql = this.statements.get(key);
    if (sql) return sql;
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
    sql = `SELECT u.*, ${roles} AS ${quote(this.rolesAlias)} FROM ${quote(meta.tablePath)} u WHERE ${where} LIMIT 2`;
    this.statements.set(key, sql);
    return sql;
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
