import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { PasswordHasher } from '../core/passwords/index.js';
import { createSecurityDataSource } from '../storage/typeorm/data-source.js';
import { CliError } from './cli-error.js';
import { runPendingMigrations } from './commands/db.js';

/**
 * What the CLI takes from the environment, the same variables as the demo
 * app (SPEC 4a): DATABASE_URL, else the demo's PGlite under DEMO_DATA_DIR
 * (default ./.data); PASSWORD_SALT, else the demo's ./.data/password_salt.
 */
export function dataDir(env: CliEnv): string {
  return env.DEMO_DATA_DIR || '.data';
}

export type CliEnv = Record<string, string | undefined>;

/** The app's password hasher: same salt, so hashes made here verify there. */
export function createHasher(env: CliEnv): PasswordHasher {
  const file = join(dataDir(env), 'password_salt');
  // The library imports no demo code (the CLI rewrite replaces this stop-gap).
  const passwordSalt = env.PASSWORD_SALT || (existsSync(file) ? readFileSync(file, 'utf8').trim() : '');
  if (!passwordSalt) throw new CliError(`PASSWORD_SALT is not set and ${file} does not exist: set the app's PASSWORD_SALT`);
  const scheme = env.PASSWORD_HASH || 'argon2';
  if (scheme !== 'argon2' && scheme !== 'bcrypt') throw new CliError(`PASSWORD_HASH must be argon2 or bcrypt, got "${scheme}"`);
  return new PasswordHasher({ passwordSalt, scheme });
}

/**
 * Opens the database: PostgreSQL at DATABASE_URL, else the demo's embedded
 * PGlite. Unless `migrate` is false, pending migrations are applied first
 * (idempotent, serialised across processes), so a fresh database just works.
 */
export async function openDatabase(env: CliEnv, { migrate = true } = {}): Promise<DataSource> {
  const url = env.DATABASE_URL || undefined;
  // The library no longer carries PGlite (the CLI rewrite boots the app's own module instead).
  if (!url) throw new CliError('DATABASE_URL is not set: point it at the PostgreSQL database to manage');
  const dataSource = await createSecurityDataSource({ url }).initialize();
  try {
    if (migrate) await runPendingMigrations(dataSource);
    return dataSource;
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}
