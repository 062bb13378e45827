import { createHash } from 'node:crypto';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';

/**
 * The account an attempt is counted against: `user:<id>` when the identity
 * names an account, so its email and its username share one counter; else
 * the identity as typed (trimmed, NFKD, lower case), hashed so the counter
 * table holds no addresses. Unknown identities are counted and locked as
 * known ones are: a lockout tells nothing.
 */
export function accountOf(user: Pick<SecurityUser, 'id'> | null, identity: string): string {
  if (user) return `user:${user.id}`;
  const normalised = identity.trim().normalize('NFKD').toLowerCase();
  return `identity:${createHash('sha256').update(normalised).digest('hex')}`;
}

/** The client address as counted (bounded: it is part of a key). */
export function ipOf(ip: string): string {
  return ip.slice(0, 100);
}
