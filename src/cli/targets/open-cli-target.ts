import { UsageError } from '../cli-error.js';
import type { CliTarget } from './cli-target.js';
import type { CliEnv } from './database-url-target.js';

/**
 * The app module when one is named (--app, else NEST_SECURITY_APP): the app
 * may read DATABASE_URL itself, so that variable does not compete with it.
 * Else DATABASE_URL with the shipped entities. Neither: nothing to work on,
 * and the CLI never invents a database of its own.
 *
 * Each target is imported only when chosen: Nest and TypeORM take a while to
 * load, and --help or a refusal needs neither.
 */
export async function openCliTarget(app: string | undefined, env: CliEnv): Promise<CliTarget> {
  const appModule = app ?? env.NEST_SECURITY_APP;
  if (appModule) {
    const { AppModuleTarget } = await import('./app-module-target.js');
    return AppModuleTarget.boot(appModule);
  }
  if (env.DATABASE_URL) {
    const { DatabaseUrlTarget } = await import('./database-url-target.js');
    return new DatabaseUrlTarget(env.DATABASE_URL, env);
  }
  throw new UsageError(
    'no database: set DATABASE_URL (PostgreSQL, with the shipped entities), or run inside your app with --app <module file>[#ExportName] (or NEST_SECURITY_APP)',
  );
}
