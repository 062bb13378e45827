import type { RequestContext } from './request-context.js';

/**
 * Whether the request's body is an HTML form's (`application/x-www-form-urlencoded`).
 * A browser sends one cross-site without asking (no CORS preflight), which
 * is why the module's routes take it only with a CSRF token; JSON needs a
 * preflight and is safe by itself. Express parses such bodies by default;
 * Fastify only with @fastify/formbody (without it, 415 before routing).
 */
export function isFormEncoded(request: RequestContext): boolean {
  const type = request.header('content-type');
  if (!type) return false;
  return type.split(';')[0].trim().toLowerCase() === 'application/x-www-form-urlencoded';
}
