import type { OnModuleDestroy } from '@nestjs/common';
import type { DataSource, Migration } from 'typeorm';
import { PasswordHasher } from '../../core/passwords/index.js';
import { createSecurityDataSource } from '../../storage/typeorm/data-source.js';
import { runHousekeeping, type HousekeepingReport } from '../../storage/housekeeping/run-housekeeping.js';
import { TypeOrmAttemptStore } from '../../storage/typeorm/typeorm-attempt.store.js';
import { TypeOrmCodeStore } from '../../storage/typeorm/typeorm-code.store.js';
import { TypeOrmRefreshTokenStore } from '../../storage/typeorm/typeorm-refresh-token.store.js';
import { TypeOrmSessionStore } from '../../storage/typeorm/typeorm-session.store.js';
import { TypeOrmUsedTokenStore } from '../../storage/typeorm/typeorm-used-token.store.js';
import { TypeOrmUserDatastore } from '../../storage/typeorm/typeorm-user-datastore.js';
import type { UserDatastore } from '../../storage/user-datastore.js';
import { CliError } from '../cli-error.js';
import { runPendingMigrations } from '../commands/db.js';
import type { CliTarget } from './cli-target.js';

/** The defaults of housekeeping.batchSize and of the limits' windows and lockout (15 minutes). */
const HOUSEKEEPING_BATCH_SIZE = 1000;
const DEFAULT_LIMITS_HORIZON_SECONDS = 15 * 60;

export type CliEnv = Record<string, string | undefined>;

/**
 * PostgreSQL at DATABASE_URL with the shipped entities and migrations.
 * Passwords are hashed as an app configured with PASSWORD_SALT and
 * PASSWORD_HASH (argon2, the default, or bcrypt) hashes them, so they verify
 * there. Users and roles commands apply pending migrations first (once,
 * serialised across processes), so a fresh database just works.
 */
export class DatabaseUrlTarget implements CliTarget {
  /** Without the app's options: usernames allowed, never required. */
  readonly usernames = { enabled: true, required: false };
  private hasher: PasswordHasher | undefined;
  private dataSource: DataSource | undefined;
  private store: TypeOrmUserDatastore | undefined;

  constructor(
    private readonly url: string,
    private readonly env: CliEnv,
  ) {}

  async passwordProblems(password: string): Promise<string[]> {
    return this.passwordHasher().validate(password);
  }

  hashPassword(password: string): Promise<string> {
    return this.passwordHasher().hash(password);
  }

  async datastore(): Promise<UserDatastore> {
    if (!this.store) {
      const dataSource = await this.open();
      await runPendingMigrations(dataSource);
      this.store = new TypeOrmUserDatastore(dataSource);
    }
    return this.store;
  }

  async migrate(): Promise<Migration[]> {
    return runPendingMigrations(await this.open());
  }

  /**
   * The shipped tables, with the default limits' horizon (15 minutes) for
   * attempt counters: an app with longer windows runs it with --app.
   */
  async housekeeping(): Promise<HousekeepingReport> {
    const dataSource = await this.open();
    await runPendingMigrations(dataSource);
    const users = (await this.datastore()) as TypeOrmUserDatastore;
    return runHousekeeping(
      {
        sessions: new TypeOrmSessionStore(dataSource, users),
        attempts: new TypeOrmAttemptStore(dataSource),
        usedTokens: new TypeOrmUsedTokenStore(dataSource),
        codes: new TypeOrmCodeStore(dataSource),
        refreshTokens: new TypeOrmRefreshTokenStore(dataSource),
      },
      { batchSize: HOUSEKEEPING_BATCH_SIZE, attemptHorizonSeconds: DEFAULT_LIMITS_HORIZON_SECONDS },
    );
  }

  async close(): Promise<void> {
    // The datastore may hold a connection of its own (Nest would call this on app.close()).
    const store = this.store as Partial<OnModuleDestroy> | undefined;
    await store?.onModuleDestroy?.();
    if (this.dataSource?.isInitialized) await this.dataSource.destroy();
  }

  private async open(): Promise<DataSource> {
    this.dataSource ??= createSecurityDataSource({ url: this.url });
    if (!this.dataSource.isInitialized) await this.dataSource.initialize();
    return this.dataSource;
  }

  /** Only commands that take a password need the salt. */
  private passwordHasher(): PasswordHasher {
    if (this.hasher) return this.hasher;
    const passwordSalt = this.env.PASSWORD_SALT;
    if (!passwordSalt) throw new CliError("PASSWORD_SALT is not set: set it to the app's passwordSalt (or run inside the app with --app)");
    const scheme = this.env.PASSWORD_HASH || 'argon2';
    if (scheme !== 'argon2' && scheme !== 'bcrypt') throw new CliError(`PASSWORD_HASH must be argon2 or bcrypt, got "${scheme}"`);
    this.hasher = new PasswordHasher({ passwordSalt, scheme });
    return this.hasher;
  }
}
