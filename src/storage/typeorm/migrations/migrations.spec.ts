import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { createTestDatabase, createTestDataSource, type TestDatabase, type TestDataSource } from '../../../../test/support/database.js';
import { createSecurityDataSource } from '../data-source.js';
import { securityMigrations } from './index.js';

/** What a schema is, read from PostgreSQL's catalog: columns, constraints and indexes of the public tables. */
async function describeSchema(dataSource: DataSource) {
  const columns = await dataSource.query(`
    SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, column_default
    FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'migrations'
    ORDER BY table_name, column_name`);
  const constraints = await dataSource.query(`
    SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'migrations'
    ORDER BY 1, 2`);
  const indexes = await dataSource.query(`
    SELECT tablename, indexname, indexdef FROM pg_indexes
    WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1, 2`);
  return { columns, constraints, indexes };
}

describe('shipped migrations (real PostgreSQL)', () => {
  let migrated: TestDataSource;

  beforeAll(async () => {
    migrated = await createTestDataSource();
  });

  afterAll(async () => {
    await migrated?.drop();
  });

  it('leave nothing for TypeORM to change: the schema equals the entities', async () => {
    const diff = await migrated.dataSource.driver.createSchemaBuilder().log();
    expect(diff.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('record themselves, so running them again does nothing', async () => {
    expect(await migrated.dataSource.showMigrations()).toBe(false);
    expect(await migrated.dataSource.runMigrations()).toEqual([]);
    const applied = await migrated.dataSource.query('SELECT name FROM migrations ORDER BY id');
    expect(applied.map((row: { name: string }) => row.name)).toEqual(securityMigrations.map((migration) => migration.name));
  });

  it('make emails and usernames unique regardless of case', async () => {
    const { dataSource } = migrated;
    await dataSource.query(`INSERT INTO "user" (email, username, fs_uniquifier) VALUES ('Jane@Example.com', 'jane', 'u1')`);
    await expect(dataSource.query(`INSERT INTO "user" (email, fs_uniquifier) VALUES ('jane@example.COM', 'u2')`)).rejects.toMatchObject({
      code: '23505',
      constraint: 'user_email_lower_key',
    });
    await expect(
      dataSource.query(`INSERT INTO "user" (email, username, fs_uniquifier) VALUES ('other@example.com', 'JANE', 'u3')`),
    ).rejects.toMatchObject({ code: '23505', constraint: 'user_username_lower_key' });
    await dataSource.query('DELETE FROM "user"');
  });

  it('build the same schema as `synchronize` on the entities', async () => {
    const fresh: TestDatabase = await createTestDatabase();
    const synchronized = await createSecurityDataSource({ url: fresh.url, synchronize: true }).initialize();
    try {
      const expected = await describeSchema(migrated.dataSource);
      expect(expected.indexes).toContainEqual({
        tablename: 'user',
        indexname: 'user_email_lower_key',
        indexdef: 'CREATE UNIQUE INDEX user_email_lower_key ON public."user" USING btree (lower((email)::text))',
      });
      expect(await describeSchema(synchronized)).toEqual(expected);
    } finally {
      await synchronized.destroy();
      await fresh.drop();
    }
  });

  it('revert cleanly', async () => {
    const scratch = await createTestDataSource();
    try {
      for (let i = 0; i < securityMigrations.length; i++) await scratch.dataSource.undoLastMigration();
      const tables = await scratch.dataSource.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
      expect(tables.map((row: { tablename: string }) => row.tablename)).toEqual(['migrations']);
    } finally {
      await scratch.drop();
    }
  });
});
