/**
 * An app on an old Flask app's users table, for the migrating-from-flask
 * suites: the old table is built with plain SQL (as the old app's models made
 * it), then the module boots on it with TypeORM's `migrationsRun`, exactly as
 * docs/migrating-from-flask.md tells a user to configure it.
 *
 *   const database = await createTestDatabase();
 *   await withSql(database, (sql) => sql.query('CREATE TABLE users (...)'));
 *   const app = await startAdoptedTableApp(platform, { database, userEntity, migrations, security: { ... } });
 *   const row = await tableRow(app, 'users', 'jane@example.com');
 */
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import pg from 'pg';
import { DataSource, type MigrationInterface } from 'typeorm';
import { configureSecurityApp } from '../../src/common/errors/index.js';
import { SecurityModule } from '../../src/security.module.js';
import type { SecurityModuleOptions } from '../../src/security.options.js';
import type { SecurityUser } from '../../src/storage/typeorm/entities/security-user.entity.js';
import { securityEntities, typeormStorage } from '../../src/storage/typeorm/index.js';
import type { TestDatabase } from './database.js';
import { createPlatformApp, initPlatformApp, type TestPlatform } from './platform.js';

export interface AdoptedTableAppOptions {
  database: TestDatabase;
  /** The user's SecurityUser subclass on the old table. */
  userEntity: new () => SecurityUser;
  /** The DataSource's migrations: securityMigrations, adoptUsersTable(...) and the user's own. */
  migrations: Array<new () => MigrationInterface>;
  /** What the doc's SecurityModule.forRoot sets, over cheap argon2 and fixed test keys. */
  security: Partial<SecurityModuleOptions>;
}

/** Runs `work` on a plain pg connection to the database: the old app's own SQL, outside the module. */
export async function withSql<T>(database: TestDatabase, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function startAdoptedTableApp(platform: TestPlatform, options: AdoptedTableAppOptions): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot({
        type: 'postgres',
        url: options.database.url,
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

/** The row of `table` whose email is `email`, every column as PostgreSQL returns it. */
export async function tableRow(app: INestApplication, table: string, email: string): Promise<Record<string, unknown>> {
  const rows = (await app.get(DataSource).query(`SELECT * FROM "${table}" WHERE email = $1`, [email])) as Array<Record<string, unknown>>;
  return rows[0];
}
