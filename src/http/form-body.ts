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

/** WTForms' BooleanField: absent, '' or 'false' is false; any other value ('y', 'on', 'true') is true. */
const BOOLEAN_FIELDS = ['remember'];
/** What an HTML form posts besides its fields: the name of the button that sent it. */
const BUTTON_FIELDS = ['submit'];

/**
 * A form body's fields as the JSON DTOs take them (in place): a form sends
 * every value as a string, and Flask-Security's forms (WTForms) read
 * `remember=y` as true; the `submit` button's value is dropped rather than
 * refused as an unknown field.
 */
export function normaliseFormFields(body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const fields = body as Record<string, unknown>;
  for (const name of BOOLEAN_FIELDS) {
    const value = fields[name];
    if (typeof value === 'string') fields[name] = value !== '' && value.toLowerCase() !== 'false';
  }
  for (const name of BUTTON_FIELDS) if (typeof fields[name] === 'string') delete fields[name];
}
