import type { RequestContext } from './request-context.js';
import { type RedirectPolicy, safeRedirect } from './safe-redirect.js';

/**
 * The request's `next`, when it is a safe redirect target: the body's
 * `next` field first (Flask-Security's forms carry it), then the query
 * string's `?next=` (a single value; repeated ones are ignored). Undefined
 * when neither is safe: the caller falls back to its default.
 */
export function safeNext(request: RequestContext, policy: RedirectPolicy): string | undefined {
  const body = request.body;
  const fromBody = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>).next : undefined;
  return safeRedirect(fromBody, policy) ?? safeRedirect(request.query.next, policy);
}

/** The client asked for JSON with `Accept: application/json`. */
export function acceptsJson(request: RequestContext): boolean {
  return /\bapplication\/json\b/i.test(request.header('accept') ?? '');
}

/**
 * A browser's HTML form post (urlencoded or multipart body) that did not ask
 * for JSON (`Accept`, `?include_auth_token`): it is answered with a redirect
 * where a JSON client gets JSON.
 */
export function isFormPost(request: RequestContext): boolean {
  const type = request.header('content-type') ?? '';
  if (!/^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) return false;
  return !acceptsJson(request) && !Object.prototype.hasOwnProperty.call(request.query, 'include_auth_token');
}
