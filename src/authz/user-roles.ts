import type { SecurityUser } from '../storage/typeorm/entities/security-user.entity.js';

/** The roles and permissions checks need: those loaded with the user, no query. */
export type UserWithRoles = Pick<SecurityUser, 'roles'>;

/** True if the user has the role of that name (exact, case-sensitive, as Flask-Security). */
export function userHasRole(user: UserWithRoles | null | undefined, role: string): boolean {
  for (const r of user?.roles ?? []) if (r.name === role) return true;
  return false;
}

/** True if one of the user's roles grants the permission. */
export function userHasPermission(user: UserWithRoles | null | undefined, permission: string): boolean {
  for (const r of user?.roles ?? []) if (r.permissions?.includes(permission)) return true;
  return false;
}

/** The names of the user's roles. */
export function userRoleNames(user: UserWithRoles | null | undefined): Set<string> {
  const names = new Set<string>();
  for (const r of user?.roles ?? []) names.add(r.name);
  return names;
}

/** Every permission the user's roles grant. */
export function userPermissions(user: UserWithRoles | null | undefined): Set<string> {
  const permissions = new Set<string>();
  for (const r of user?.roles ?? []) for (const p of r.permissions ?? []) permissions.add(p);
  return permissions;
}
