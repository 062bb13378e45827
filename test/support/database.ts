/**
 * A fresh PostgreSQL database per test suite:
 *
 *   const db = await createTestDatabase();          // db.url: postgres://.../nest_security_test_<random>, empty
 *   const db = await createMigratedTestDatabase();  // the same, with the shipped migrations already applied
 *   ...
 *   await db.drop();                                 // in afterAll
 *
 * or, with the shipped migrations run on it and a DataSource open on it:
 *
 *   const { dataSource, drop } = await createTestDataSource();
 *   const { dataSource, drop } = await createMigratedTestDataSource();   // copied from the template
 *
 * The server is `postgres://postgres@127.0.0.1:5432/postgres`, or
 * TEST_DATABASE_URL (an admin connection that may CREATE DATABASE).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { createSecurityDataSource, type SecurityDataSourceOptions } from '../../src/storage/typeorm/data-source.js';
import { migratedTemplateName } from './migrated-template.js';

export interface TestDatabase {
  url: string;
  name: string;
  /** Drops the database, closing any connection still open on it. */
  drop(): Promise<void>;
}

export interface TestDataSource extends TestDatabase {
  dataSource: DataSource;
}

const ADMIN_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** CREATE DATABASE, a copy of `template`; fails if another session is in the template at that instant: retried. */
async function createDatabase(name: string, template = 'template1'): Promise<void> {
  await admin(async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt >= 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
}

const dropDatabase = (name: string) => admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

async function createFrom(template?: string): Promise<TestDatabase> {
  const name = `nest_security_test_${randomBytes(6).toString('hex')}`;
  await createDatabase(name, template);
  let dropped = false;
  return {
    url: databaseUrl(name),
    name,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await dropDatabase(name);
    },
  };
}

/** A new, empty database (a copy of template1). */
export function createTestDatabase(): Promise<TestDatabase> {
  return createFrom();
}

/**
 * A new database holding what the shipped migrations make (their rows in
 * `migrations` included), copied from a template that ran them once: a
 * suite that boots an app on it skips running them (about a tenth of a
 * second per app). Suites about the migrations themselves use
 * createTestDataSource, which runs them.
 */
export async function createMigratedTestDatabase(): Promise<TestDatabase> {
  return createFrom(await migratedTemplate());
}

let template: Promise<string> | undefined;

/**
 * The template's name, after making it if this server has none for these
 * migrations. Built under a name of its own and renamed when complete, so a
 * half-built one is never copied; several processes (suites of other
 * checkouts on the same server) may race: the first rename wins.
 */
function migratedTemplate(): Promise<string> {
  return (template ??= (async () => {
    const name = migratedTemplateName();
    const exists = await admin((client) => client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]));
    if (exists.rowCount) return name;
    const building = `${name}_${randomBytes(4).toString('hex')}`;
    await createDatabase(building);
    try {
      const dataSource = await createSecurityDataSource({ url: databaseUrl(building), migrationsRun: true }).initialize();
      await dataSource.destroy();
      await admin(async (client) => {
        await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
        // No connection may sit in a template while it is copied: none is allowed.
        await client.query(`ALTER DATABASE "${name}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
      });
    } catch (error) {
      await dropDatabase(building);
      if ((error as { code?: string }).code !== '42P04') throw error; // 42P04: another process renamed its own first
    }
    return name;
  })());
}

/** A new database with nest-security's migrations run on it, and a DataSource open on it. */
export async function createTestDataSource(
  options: Omit<SecurityDataSourceOptions, 'url' | 'pglitePath' | 'migrationsRun'> = {},
): Promise<TestDataSource> {
  return openOn(await createTestDatabase(), { ...options, migrationsRun: true });
}

/** createMigratedTestDatabase, and a DataSource open on it: for suites that need the schema, not the migrations run. */
export async function createMigratedTestDataSource(): Promise<TestDataSource> {
  return openOn(await createMigratedTestDatabase(), {});
}

async function openOn(database: TestDatabase, options: Omit<SecurityDataSourceOptions, 'url'>): Promise<TestDataSource> {
  try {
    const dataSource = await createSecurityDataSource({ ...options, url: database.url }).initialize();
    return {
      ...database,
      dataSource,
      drop: async () => {
        if (dataSource.isInitialized) await dataSource.destroy();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}
