import type { Type } from '@nestjs/common';
import { setUserForeignKeyTarget } from './entities/user-foreign-key.js';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';
import { RefreshTrackerEntity } from './entities/refresh-tracker.entity.js';
import { Role } from './entities/role.entity.js';
import { SecurityAttempt } from './entities/security-attempt.entity.js';
import { SecuritySession } from './entities/security-session.entity.js';
import { SecurityUser } from './entities/security-user.entity.js';
import { UsedToken } from './entities/used-token.entity.js';
import { UsCode } from './entities/us-code.entity.js';
import { User } from './entities/user.entity.js';
import { WebAuthnCredentialRow } from './entities/webauthn-credential.entity.js';
import { securityMigrations } from './migrations/index.js';

/**
 * The entities of nest-security's tables, one class per table (what the
 * shipped migrations create). With your own user class (`class AppUser
 * extends SecurityUser`), pass it: it then maps the `user` table instead of
 * the shipped `User`, so TypeORM never sees two classes on one table (which
 * would make `migration:generate` drop your columns, and `synchronize` wipe
 * them). Give the same class to the module (`typeormStorage({ userEntity })`).
 */
export function securityEntities({ userEntity = User }: { userEntity?: Type<SecurityUser> } = {}): Type[] {
  setUserForeignKeyTarget(userEntity);
  return [userEntity, Role, SecuritySession, SecurityAttempt, UsedToken, UsCode, RefreshTrackerEntity, WebAuthnCredentialRow];
}

export interface SecurityDataSourceOptions {
  /** postgres://... : use this PostgreSQL server. */
  url?: string;
  /**
   * A `pg`-compatible driver module in place of `pg` (TypeORM's `driver`
   * option), e.g. an embedded database: the demo passes typeorm-pglite's.
   */
  driver?: PostgresDataSourceOptions['driver'];
  /** Default: {@link securityEntities}(). */
  entities?: DataSourceOptions['entities'];
  /** Default: the shipped migrations. */
  migrations?: DataSourceOptions['migrations'];
  /** Apply pending migrations in initialize(). */
  migrationsRun?: boolean;
  /** Tests and throwaway databases only; the shipped migrations are the schema. */
  synchronize?: boolean;
  logging?: DataSourceOptions['logging'];
}

/**
 * A TypeORM DataSource for nest-security's tables on PostgreSQL. Call
 * `.initialize()` on it (with `migrationsRun` the schema is brought up to
 * date there).
 */
export function createSecurityDataSource(options: SecurityDataSourceOptions): DataSource {
  if (!options.url && !options.driver) throw new Error('nest-security: createSecurityDataSource needs a PostgreSQL `url` (or a `driver`)');
  return new SecurityDataSource({
    type: 'postgres',
    ...(options.url ? { url: options.url } : {}),
    ...(options.driver ? { driver: options.driver } : {}),
    entities: options.entities ?? securityEntities(),
    migrations: options.migrations ?? securityMigrations,
    migrationsRun: options.migrationsRun ?? false,
    synchronize: options.synchronize ?? false,
    logging: options.logging ?? false,
  });
}

/**
 * `synchronize` cannot create expression indexes, so after it the
 * case-insensitive unique indexes of the migrations are added here: a
 * synchronized schema then enforces the same uniqueness as a migrated one.
 */
class SecurityDataSource extends DataSource {
  override async synchronize(dropBeforeSync = false): Promise<void> {
    await super.synchronize(dropBeforeSync);
    await createCaseInsensitiveIndexes(this);
  }
}

/** `CREATE UNIQUE INDEX IF NOT EXISTS` on lower(email) and lower(username) of every SecurityUser table. */
export async function createCaseInsensitiveIndexes(dataSource: DataSource): Promise<void> {
  for (const metadata of dataSource.entityMetadatas) {
    if (typeof metadata.target !== 'function' || !(metadata.target.prototype instanceof SecurityUser)) continue;
    for (const property of ['email', 'username'] as const) {
      const column = metadata.findColumnWithPropertyName(property);
      if (!column) continue;
      const { escape } = dataSource.driver;
      const table = metadata.schema ? `${escape(metadata.schema)}.${escape(metadata.tableName)}` : escape(metadata.tableName);
      const index = escape(`${metadata.tableName}_${column.databaseName}_lower_key`);
      await dataSource.query(`CREATE UNIQUE INDEX IF NOT EXISTS ${index} ON ${table} (lower(${escape(column.databaseName)}))`);
    }
  }
}
