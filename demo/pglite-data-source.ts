import { mkdirSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { PGliteDriver } from 'typeorm-pglite';
import { createSecurityDataSource } from 'nest-security/typeorm';

let pgliteInUse: DataSource | undefined;

/**
 * The demo's database: PostgreSQL at `databaseUrl`, else embedded PGlite in
 * `pglitePath` (in memory when empty), so `npm start` needs no server.
 * PGlite is the demo's own devDependency; the library never loads it.
 *
 * PGlite runs in this process and typeorm-pglite keeps a single instance,
 * so a second embedded database in one process is refused, not silently shared.
 */
export function createDemoDataSource(options: { databaseUrl?: string; pglitePath: string; migrationsRun?: boolean }): DataSource {
  const migrationsRun = options.migrationsRun ?? true;
  if (options.databaseUrl) return createSecurityDataSource({ url: options.databaseUrl, migrationsRun });
  if (pgliteInUse?.isInitialized) {
    throw new Error('an embedded PGlite database is already open in this process; destroy() it first');
  }
  if (options.pglitePath) mkdirSync(options.pglitePath, { recursive: true });
  const driver = new PGliteDriver({ dataDir: options.pglitePath || undefined }).driver;
  pgliteInUse = createSecurityDataSource({ driver, migrationsRun });
  return pgliteInUse;
}
