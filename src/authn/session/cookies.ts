import type { SecurityRequest, SecurityResponse } from '../authentication.js';

/** Longer Cookie headers are not parsed (browsers send at most a few KB). */
const MAX_COOKIE_HEADER = 16 * 1024;

/**
 * One cookie from the request's Cookie header, or undefined. The first of
 * several with the same name wins (browsers send the most specific first).
 * Values are returned as sent (ours are base64url and need no decoding).
 */
export function readCookie(request: SecurityRequest, name: string): string | undefined {
  const raw = request.headers.cookie;
  const header = Array.isArray(raw) ? raw.join('; ') : raw;
  if (!header || header.length > MAX_COOKIE_HEADER) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    return value;
  }
  return undefined;
}

export interface CookieAttributes {
  httpOnly: boolean;
  secure: boolean;
  /** Seconds; undefined: a browser-session cookie. 0: delete it. */
  maxAge?: number;
}

/** A Set-Cookie value: `Path=/`, `SameSite=Lax`, plus the attributes asked for. */
export function serializeCookie(name: string, value: string, attributes: CookieAttributes): string {
  const parts = [`${name}=${value}`, 'Path=/', 'SameSite=Lax'];
  if (attributes.maxAge !== undefined) {
    const maxAge = Math.max(0, Math.floor(attributes.maxAge));
    parts.push(`Max-Age=${maxAge}`, `Expires=${new Date(maxAge === 0 ? 0 : Date.now() + maxAge * 1000).toUTCString()}`);
  }
  if (attributes.httpOnly) parts.push('HttpOnly');
  if (attributes.secure) parts.push('Secure');
  return parts.join('; ');
}

/** Adds a Set-Cookie header, replacing an earlier one for the same cookie name in this response. */
export function appendSetCookie(response: SecurityResponse, cookie: string): void {
  if (response.headersSent) return;
  const name = cookie.slice(0, cookie.indexOf('='));
  const existing = response.getHeader('Set-Cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  response.setHeader('Set-Cookie', [...list.filter((each) => !each.startsWith(`${name}=`)), cookie]);
}
