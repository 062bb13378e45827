/**
 * A fresh PostgreSQL database per test suite:
 *
 *   const db = await createTestDatabase();          // db.url: postgres://.../nest_security_test_<random>
 *   ...
 *   await db.drop();                                 // in afterAll
 *
 * or, with the shipped migrations applied and a DataSource open on it:
 *
 *   const { dataSource, drop } = await createTestDataSource();
 *
 * The server is `postgres://postgres@127.0.0.1:5432/postgres`, or
 * TEST_DATABASE_URL (an admin connection that may CREATE DATABASE).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { createSecurityDataSource, type SecurityDataSourceOptions } from '../../src/storage/typeorm/data-source.js';

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

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `nest_security_test_${randomBytes(6).toString('hex')}`;
  await admin(async (client) => {
    // CREATE DATABASE copies template1 and fails if another session is in it at that instant: retry.
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}"`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt >= 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** A new database with nest-security's migrations applied, and a DataSource open on it. */
export async function createTestDataSource(
  options: Omit<SecurityDataSourceOptions, 'url' | 'pglitePath' | 'migrationsRun'> = {},
): Promise<TestDataSource> {
  const database = await createTestDatabase();
  try {
    const dataSource = await createSecurityDataSource({ ...options, url: database.url, migrationsRun: true }).initialize();
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
