import type { INestApplication } from '@nestjs/common';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import { SecurityExceptionFilter, type SecurityExceptionFilterOptions } from './security-exception.filter.js';

/**
 * Binds the SecurityExceptionFilter globally. Needed because Nest's adapters
 * (Express and Fastify) hand errors raised before routing (the body parser's malformed JSON
 * and size limit, unknown routes) to global filters only: the filter
 * nest-security puts on its own controllers never sees them, and Nest's
 * default answer has no `code` and quotes the start of the malformed body.
 *
 * Globally the filter answers every route of the app. For HttpExceptions
 * that only adds `code` (and `error`) to Nest's usual body; unexpected errors
 * become Nest's usual 500 with `code: 'INTERNAL_ERROR'`. Call it before
 * `app.init()` / `app.listen()`. With `responseShape: 'flask-security'`,
 * errors raised before routing on paths under the module's prefix get
 * that shape too.
 */
export function configureSecurityApp<T extends INestApplication>(app: T): T {
  app.useGlobalFilters(new SecurityExceptionFilter(moduleOptions(app)));
  return app;
}

/** The module's options, when SecurityModule is in the app. */
function moduleOptions(app: INestApplication): SecurityExceptionFilterOptions | undefined {
  try {
    return app.get<SecurityExceptionFilterOptions>(SECURITY_OPTIONS, { strict: false });
  } catch {
    return undefined;
  }
}
