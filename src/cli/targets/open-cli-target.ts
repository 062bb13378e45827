import { UsageError } from '../cli-error.js';
import { AppModuleTarget } from './app-module-target.js';
import type { CliTarget } from './cli-target.js';
import { type CliEnv, DatabaseUrlTarget } from './database-url-target.js';

/**
 * The app module when one is named (--app, else NEST_SECURITY_APP): the app
 * may read DATABASE_URL itself, so that variable does not compete with it.
 * Else DATABASE_URL with the shipped entities. Neither: nothing to work on,
 * and the CLI never invents a database of its own.
 */
export async function openCliTarget(app: string | undefined, env: CliEnv): Promise<CliTarget> {
  const appModule = app ?? env.NEST_SECURITY_APP;
  if (appModule) return AppModuleTarget.boot(appModule);
  if (env.DATABASE_URL) return new DatabaseUrlTarget(env.DATABASE_URL, env);
  throw new UsageError(
    'no database: set DATABASE_URL (PostgreSQL, with the shipped entities), or run inside your app with --app <module file>[#ExportName] (or NEST_SECURITY_APP)',
  );
}
