import type { OnModuleDestroy } from '@nestjs/common';
import type { DataSource, Migration } from 'typeorm';
import { PasswordHasher } from '../../core/passwords/index.js';
import { createSecurityDataSource } from '../../storage/typeorm/data-source.js';
import { TypeOrmUserDatastore } from '../../storage/typeorm/typeorm-user-datastore.js';
import type { UserDatastore } from '../../storage/user-datastore.js';
import { CliError } from '../cli-error.js';
import { runPendingMigrations } from '../commands/db.js';
import type { CliTarget } from './cli-target.js';

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
