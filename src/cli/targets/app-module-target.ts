import type { INestApplicationContext, Type } from '@nestjs/common';
import { HousekeepingService } from '../../storage/housekeeping/housekeeping.service.js';
import type { HousekeepingReport } from '../../storage/housekeeping/run-housekeeping.js';
import { NestFactory } from '@nestjs/core';
import type { DataSource, Migration } from 'typeorm';
import { PasswordHasher } from '../../core/passwords/index.js';
import { PasswordPolicy } from '../../flows/common/password-policy.service.js';
import { SECURITY_DATA_SOURCE, SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { UserDatastore } from '../../storage/user-datastore.js';
import { CliError } from '../cli-error.js';
import { runPendingMigrations } from '../commands/db.js';
import { oneLine } from '../one-line.js';
import type { CliTarget } from './cli-target.js';
import { loadAppModule } from './load-app-module.js';

/**
 * Inside the app: its root module booted as a Nest application context (no
 * HTTP server), and SecurityModule's own providers taken from it: the app's
 * UserDatastore (its user entity, or its own datastore), PasswordHasher and
 * PasswordPolicy (salt, scheme, length and breached-password rules) and its
 * username switches. The app's schema is its own: commands do not migrate
 * (run `db migrate`, which applies the migrations the app's DataSource lists).
 */
export class AppModuleTarget implements CliTarget {
  readonly usernames: { enabled: boolean; required: boolean };
  private readonly store: UserDatastore;
  private readonly hasher: PasswordHasher;
  private readonly policy: PasswordPolicy;

  private constructor(
    private readonly app: INestApplicationContext,
    private readonly name: string,
  ) {
    this.store = this.provider(UserDatastore);
    this.hasher = this.provider(PasswordHasher);
    this.policy = this.provider(PasswordPolicy);
    const options = this.provider<ResolvedSecurityOptions>(SECURITY_OPTIONS);
    this.usernames = { enabled: options.usernameEnable, required: options.usernameEnable && options.usernameRequired };
  }

  /** Loads and boots `<module file>[#ExportName]`. */
  static async boot(spec: string): Promise<AppModuleTarget> {
    const { module, name } = await loadAppModule(spec);
    let app: INestApplicationContext;
    try {
      // No logger: the CLI speaks in one line, and a failure to start is that line.
      app = await NestFactory.createApplicationContext(module as Type, { logger: false, abortOnError: false });
    } catch (error) {
      throw new CliError(`${name} did not start: ${oneLine(error)}`);
    }
    try {
      return new AppModuleTarget(app, name);
    } catch (error) {
      await app.close();
      throw error;
    }
  }

  passwordProblems(password: string): Promise<string[]> {
    return this.policy.problems(password);
  }

  hashPassword(password: string): Promise<string> {
    return this.hasher.hash(password);
  }

  async datastore(): Promise<UserDatastore> {
    return this.store;
  }

  async migrate(): Promise<Migration[]> {
    let dataSource: DataSource;
    try {
      dataSource = this.app.get<DataSource>(SECURITY_DATA_SOURCE, { strict: false });
    } catch {
      throw new CliError(`${this.name} has no TypeORM DataSource for nest-security: migrate its database as the app does`);
    }
    if (dataSource.migrations.length === 0) {
      throw new CliError(`the DataSource of ${this.name} lists no migrations: add securityMigrations (and your own) to its \`migrations\``);
    }
    return runPendingMigrations(dataSource);
  }

  /** The app's HousekeepingService: its stores, batch size and limits. */
  housekeeping(): Promise<HousekeepingReport> {
    return this.provider(HousekeepingService).run();
  }

  async close(): Promise<void> {
    await this.app.close();
  }

  private provider<T>(token: (abstract new (...args: never[]) => T) | symbol): T {
    try {
      return this.app.get<T>(token as Type<T> | symbol, { strict: false });
    } catch {
      throw new CliError(
        `${this.name} does not import SecurityModule (no ${typeof token === 'function' ? token.name : String(token)} in it)`,
      );
    }
  }
}
