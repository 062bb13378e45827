import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { Role } from './entities/role.entity.js';
import { SecurityAttempt } from './entities/security-attempt.entity.js';
import { SecuritySession } from './entities/security-session.entity.js';
import { SecurityUser } from './entities/security-user.entity.js';
import { UsedToken } from './entities/used-token.entity.js';
import { UsCode } from './entities/us-code.entity.js';
import { User } from './entities/user.entity.js';
import { securityMigrations } from './migrations/index.js';

/** Every entity nest-security ships; the shipped migrations create exactly these tables. */
export const securityEntities = [User, Role, SecuritySession, SecurityAttempt, UsedToken, UsCode];

export interface SecurityDataSourceOptions {
  /** postgres://... : use this PostgreSQL server. */
  url?: string;
  /** Without `url`: embedded PGlite in this directory (in memory when omitted too). */
  pglitePath?: string;
  /** Default: {@link securityEntities}. */
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
 * A TypeORM DataSource for nest-security's tables: PostgreSQL when `url` is
 * given, otherwise embedded PGlite (the zero-setup demo). Call `.initialize()`
 * on it (with `migrationsRun` the schema is brought up to date there).
 *
 * PGlite runs in this process and allows one open database per process
 * (typeorm-pglite keeps a single instance).
 */
export function createSecurityDataSource(options: SecurityDataSourceOptions = {}): DataSource {
  const common = {
    type: 'postgres' as const,
    entities: options.entities ?? securityEntities,
    migrations: options.migrations ?? securityMigrations,
    migrationsRun: options.migrationsRun ?? false,
    synchronize: options.synchronize ?? false,
    logging: options.logging ?? false,
  };
  if (options.url) return new SecurityDataSource({ ...common, url: options.url });

  if (pgliteInUse?.isInitialized) {
    throw new Error('an embedded PGlite database is already open in this process; destroy() it first');
  }
  if (options.pglitePath) mkdirSync(options.pglitePath, { recursive: true });
  // Loaded only here: PGlite (27 MB, an optional peer) stays out of apps on PostgreSQL.
  const { PGliteDriver } = createRequire(import.meta.url)('typeorm-pglite') as typeof import('typeorm-pglite');
  const dataSource = new SecurityDataSource({ ...common, driver: new PGliteDriver({ dataDir: options.pglitePath }).driver });
  pgliteInUse = dataSource;
  return dataSource;
}

let pgliteInUse: DataSource | undefined;

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
