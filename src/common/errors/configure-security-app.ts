import type { INestApplication } from '@nestjs/common';
import { SecurityExceptionFilter } from './security-exception.filter.js';

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
 * `app.init()` / `app.listen()`.
 */
export function configureSecurityApp<T extends INestApplication>(app: T): T {
  app.useGlobalFilters(new SecurityExceptionFilter());
  return app;
}
