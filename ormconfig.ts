/**
 * The DataSource for TypeORM's migration CLI, e.g.
 *   DATABASE_URL=postgres://... npx typeorm-ts-node-esm migration:show -d ormconfig.ts  (needs ts-node)
 * (or, with no TypeScript runner: `npx nest-security db migrate`).
 * Without DATABASE_URL it opens the demo's embedded PGlite in ./.data/pglite.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { createSecurityDataSource } from './src/storage/typeorm/data-source.js';

export default createSecurityDataSource({
  url: process.env.DATABASE_URL || undefined,
  pglitePath: join(process.env.DEMO_DATA_DIR ?? '.data', 'pglite'),
});
