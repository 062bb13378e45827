import type { DataSource, Migration } from 'typeorm';

/**
 * Key of the PostgreSQL advisory lock held while migrating, so that several
 * CLI runs (or app instances) starting on a fresh database at once apply
 * each migration exactly once: the others wait, then find nothing to do.
 */
const MIGRATION_LOCK_KEY = 0x6e_73_6d_67; // "nsmg"

/**
 * Applies the shipped migrations that are not yet applied, all in one
 * transaction; idempotent. Returns the migrations applied (none when up to date).
 */
export async function runPendingMigrations(dataSource: DataSource): Promise<Migration[]> {
  // An in-process database (an app's PGlite, through its own driver) has one connection: nobody else can be migrating it.
  if (!isServer(dataSource)) return dataSource.runMigrations({ transaction: 'all' });
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await dataSource.runMigrations({ transaction: 'all' });
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lock.release();
  }
}

/** What `db migrate` says about the migrations it applied. */
export function describeMigrations(applied: Migration[]): string {
  if (applied.length === 0) return 'Database is up to date';
  return `Applied ${applied.length} migration${applied.length === 1 ? '' : 's'}: ${applied.map((migration) => migration.name).join(', ')}`;
}

/** PostgreSQL through pg (TypeORM's default driver), not a driver object the app passed in. */
function isServer(dataSource: DataSource): boolean {
  return dataSource.options.type === 'postgres' && !dataSource.options.driver;
}
