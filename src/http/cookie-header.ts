/** Longer Cookie headers are not parsed (browsers send at most a few KB). */
const MAX_COOKIE_HEADER = 16 * 1024;

/**
 * One cookie of a Cookie header, or undefined. The first of several with
 * the same name wins (browsers send the most specific first). Values are
 * returned as sent (ours are base64url and need no decoding).
 */
export function cookieFromHeader(header: string | undefined, name: string): string | undefined {
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

/** The Set-Cookie list with `cookie` added, replacing an earlier one of the same name. */
export function withSetCookie(existing: unknown, cookie: string): string[] {
  const name = cookie.slice(0, cookie.indexOf('=') + 1);
  const list = existing === undefined || existing === null ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  return [...list.filter((each) => !each.startsWith(name)), cookie];
}
