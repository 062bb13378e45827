import { createHash } from 'node:crypto';

/** A session's public id: 22 base64url characters (128 bits). */
export const PUBLIC_SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * The id the session list shows for a stored session. The stored key (the
 * SHA-256 of the cookie's secret) is never shown: a hash of it, under a label
 * of its own, names the session instead. It is one-way, so neither the key nor
 * the cookie follows from it, and stable, so a listed id can be ended later.
 * Lookups go through the user's own sessions, so an id of another user's
 * session finds nothing.
 */
export function publicSessionId(storedId: string): string {
  return createHash('sha256').update('nest-security session public id\0').update(storedId).digest().subarray(0, 16).toString('base64url');
}
