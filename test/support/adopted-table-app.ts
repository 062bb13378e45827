/**
 * An app on an old Flask app's users table, for the migrating-from-flask
 * suites: the old table is built with plain SQL (as the old app's models made
 * it), then the module boots on it with TypeORM's `migrationsRun`, exactly as
 * docs/migrating-from-flask.md tells a user to configure it.
 *
 *   const adopted = await startAdoptedTableApp(platform, {
 *     table: 'users',
 *     oldTables: async (sql) => { await sql.query('CREATE TABLE users (...)'); return users; },
 *     userEntity, migrations, security: { ... },
 *   });
 *   await expectSignInRehashes(adopted, 'password_hash', { email, password });
 *   await adopted.close();
 */
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Server } from 'node:http';
import pg from 'pg';
import request from 'supertest';
import { DataSource, type MigrationInterface } from 'typeorm';
import { configureSecurityApp } from '../../src/common/errors/index.js';
import { SecurityModule } from '../../src/security.module.js';
import type { SecurityModuleOptions } from '../../src/security.options.js';
import type { SecurityUser } from '../../src/storage/typeorm/entities/security-user.entity.js';
import { securityEntities, typeormStorage } from '../../src/storage/typeorm/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { createPlatformApp, initPlatformApp, type TestPlatform } from './platform.js';

export interface AdoptedTableAppOptions<Old> {
  /** The old app's users table, once migrated (what `row` reads). */
  table: string;
  /** Builds the old app's tables and rows in the fresh database; what it returns is the suite's `old`. */
  oldTables: (sql: pg.Client) => Promise<Old>;
  /** The user's SecurityUser subclass on the old table. */
  userEntity: new () => SecurityUser;
  /** The DataSource's migrations: securityMigrations, adoptUsersTable(...) and the user's own. */
  migrations: Array<new () => MigrationInterface>;
  /** What the doc's SecurityModule.forRoot sets, over cheap argon2 and fixed test keys. */
  security: Partial<SecurityModuleOptions>;
}

export interface AdoptedTableApp<Old> {
  app: INestApplication;
  server: Server;
  database: TestDatabase;
  old: Old;
  /** The table's row whose email is `email`, every column as PostgreSQL returns it. */
  row(email: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Runs `work` on a plain pg connection to the database: the old app's own SQL, outside the module. */
async function withSql<T>(database: TestDatabase, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database with the old app's tables, then the module booted on it (running the migrations). */
export async function startAdoptedTableApp<Old>(
  platform: TestPlatform,
  options: AdoptedTableAppOptions<Old>,
): Promise<AdoptedTableApp<Old>> {
  const database = await createTestDatabase();
  try {
    const old = await withSql(database, options.oldTables);
    const app = await bootModule(platform, database, options);
    return {
      app,
      server: app.getHttpServer() as Server,
      database,
      old,
      row: async (email) =>
        (
          (await app.get(DataSource).query(`SELECT * FROM "${options.table}" WHERE email = $1`, [email])) as Array<Record<string, unknown>>
        )[0],
      close: async () => {
        await app.close();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

async function bootModule<Old>(
  platform: TestPlatform,
  database: TestDatabase,
  options: AdoptedTableAppOptions<Old>,
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot({
        type: 'postgres',
        url: database.url,
        entities: securityEntities({ userEntity: options.userEntity }),
        migrations: options.migrations,
        migrationsRun: true,
        // A migration that fails fails the same way on a retry: fail the suite at once.
        retryAttempts: 1,
      }),
      SecurityModule.forRoot({
        secretKey: 'the nest app secret key, 32 characters or more',
        passwordSalt: 'the nest app password salt',
        argon2: { memoryCost: 1024, timeCost: 1 },
        storage: typeormStorage({ userEntity: options.userEntity }),
        mail: { smtpUrl: 'smtp://127.0.0.1:1', from: 'app@example.com' },
        testing: true,
        ...options.security,
      }),
    ],
  }).compile();
  const app = createPlatformApp(moduleRef, platform, { logger: ['error'] });
  configureSecurityApp(app);
  await initPlatformApp(app, platform);
  return app;
}

/**
 * Signs in with a password the old app hashed: a wrong one is refused, the right one works, leaves an argon2id
 * hash in the old app's `passwordColumn`, and works again.
 */
export async function expectSignInRehashes(
  adopted: AdoptedTableApp<unknown>,
  passwordColumn: string,
  { email, password }: { email: string; password: string },
): Promise<void> {
  const login = (body: Record<string, string>) => request(adopted.server).post('/auth/login').send(body);
  expect(String((await adopted.row(email))[passwordColumn])).not.toMatch(/^\$argon2id\$/);
  expect((await login({ email, password: `${password}!` })).status).toBe(400);
  expect({ email, status: (await login({ email, password })).status }).toEqual({ email, status: 200 });
  const after = await adopted.row(email);
  expect(after[passwordColumn]).toMatch(/^\$argon2id\$/);
  // adoptUsersTable's trigger keeps the module's own column equal.
  expect(after.password).toBe(after[passwordColumn]);
  expect((await login({ email, password })).status).toBe(200);
}
