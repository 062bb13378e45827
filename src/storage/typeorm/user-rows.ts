import type { DataSource, EntityMetadata } from 'typeorm';
import type { SecurityUser } from './entities/security-user.entity.js';
import { EntityRows } from './entity-rows.js';
import type { Row } from './prepared-query.js';

/**
 * The user's columns and its roles (a JSON aggregate) in one SELECT list, so
 * a hot lookup is one statement whatever else it joins.
 */
export class UserRows extends EntityRows {
  private readonly roles?: EntityRows;

  constructor(dataSource: DataSource, metadata: EntityMetadata) {
    super(dataSource, metadata);
    const relation = metadata.findRelationWithPropertyPath('roles');
    if (relation?.junctionEntityMetadata) this.roles = new EntityRows(dataSource, relation.inverseEntityMetadata);
  }

  /** The user's columns under `prefix`, and `<prefix>__roles`. */
  selectWithRoles(alias: string, prefix: string): string {
    return `${this.selectList(alias, prefix)}, ${this.rolesAggregate(alias)} AS ${this.quote(`${prefix}__roles`)}`;
  }

  hydrateWithRoles<U extends SecurityUser>(row: Row, prefix: string): U {
    const user = this.hydrate<U>(row, prefix);
    user.roles = this.roles ? this.roles.hydrateJsonRows(row[`${prefix}__roles`]) : [];
    return user;
  }

  private rolesAggregate(alias: string): string {
    const relation = this.metadata.findRelationWithPropertyPath('roles');
    const junction = relation?.junctionEntityMetadata;
    if (!relation || !junction || !this.roles) return `'[]'::json`;
    const q = (name: string) => this.quote(name);
    const rolePk = q(relation.inverseEntityMetadata.primaryColumns[0].databaseName);
    const userPk = q(this.metadata.primaryColumns[0].databaseName);
    const junctionTable = junction.schema ? `${q(junction.schema)}.${q(junction.tableName)}` : q(junction.tableName);
    return `COALESCE((SELECT json_agg(r ORDER BY r.${rolePk}) FROM ${this.roles.table} r
      JOIN ${junctionTable} j ON j.${q(junction.inverseColumns[0].databaseName)} = r.${rolePk}
      WHERE j.${q(junction.ownerColumns[0].databaseName)} = ${alias}.${userPk}), '[]'::json)`;
  }
}
