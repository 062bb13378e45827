export interface CookieAttributes {
  httpOnly: boolean;
  secure: boolean;
  /** Seconds; undefined: a browser-session cookie. 0: delete it. */
  maxAge?: number;
  /** Default '/'. */
  path?: string;
  /** Default 'Lax'. */
  sameSite?: 'Lax' | 'Strict';
}

/** A Set-Cookie value: `Path=/`, `SameSite=Lax` unless told, plus the attributes asked for. */
export function serializeCookie(name: string, value: string, attributes: CookieAttributes): string {
  const parts = [`${name}=${value}`, `Path=${attributes.path ?? '/'}`, `SameSite=${attributes.sameSite ?? 'Lax'}`];
  if (attributes.maxAge !== undefined) {
    const maxAge = Math.max(0, Math.floor(attributes.maxAge));
    parts.push(`Max-Age=${maxAge}`, `Expires=${new Date(maxAge === 0 ? 0 : Date.now() + maxAge * 1000).toUTCString()}`);
  }
  if (attributes.httpOnly) parts.push('HttpOnly');
  if (attributes.secure) parts.push('Secure');
  return parts.join('; ');
}
