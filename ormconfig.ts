/**
 * The DataSource for TypeORM's migration CLI, e.g.
 *   DATABASE_URL=postgres://... npx typeorm-ts-node-esm migration:show -d ormconfig.ts  (needs ts-node)
 * (or, with no TypeScript runner: `npx nest-security db migrate`).
 */
import 'reflect-metadata';
import { createSecurityDataSource } from './src/storage/typeorm/data-source.js';

if (!process.env.DATABASE_URL) throw new Error('ormconfig.ts: set DATABASE_URL to the PostgreSQL database to migrate');

export default createSecurityDataSource({ url: process.env.DATABASE_URL });
