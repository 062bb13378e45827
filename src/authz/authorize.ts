import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { ForbiddenAccessException, UnauthenticatedException } from '../common/errors/security.exception.js';
import { memoizeByRoute } from '../common/route-memo.js';
import {
  PERMISSIONS_ACCEPTED_KEY,
  PERMISSIONS_REQUIRED_KEY,
  ROLES_ACCEPTED_KEY,
  ROLES_REQUIRED_KEY,
  type AuthzMetadataKey,
} from './authz.constants.js';
import { userPermissions, userRoleNames, type UserWithRoles } from './user-roles.js';

/**
 * A route's roles and permissions requirement, merged from the handler and
 * its controller: every list must pass. "All" lists are merged into one;
 * each "any" group stays a group.
 */
export interface AuthzRequirement {
  readonly rolesRequired: readonly string[];
  readonly rolesAccepted: ReadonlyArray<readonly string[]>;
  readonly permissionsRequired: readonly string[];
  readonly permissionsAccepted: ReadonlyArray<readonly string[]>;
}

function groups(reflector: Reflector, key: AuthzMetadataKey, handler: Function, controller: Function): (readonly string[])[] {
  const onController: (readonly string[])[] = reflector.get(key, controller) ?? [];
  const onHandler: (readonly string[])[] = reflector.get(key, handler) ?? [];
  return [...onController, ...onHandler];
}

function readRequirement(reflector: Reflector, handler: Function, controller: Function): AuthzRequirement | null {
  const rolesRequired = [...new Set(groups(reflector, ROLES_REQUIRED_KEY, handler, controller).flat())];
  const rolesAccepted = groups(reflector, ROLES_ACCEPTED_KEY, handler, controller);
  const permissionsRequired = [...new Set(groups(reflector, PERMISSIONS_REQUIRED_KEY, handler, controller).flat())];
  const permissionsAccepted = groups(reflector, PERMISSIONS_ACCEPTED_KEY, handler, controller);
  if (rolesRequired.length + rolesAccepted.length + permissionsRequired.length + permissionsAccepted.length === 0) {
    return null;
  }
  return { rolesRequired, rolesAccepted, permissionsRequired, permissionsAccepted };
}

/** The merged requirement of a handler on a controller, or null when it has none. Cached. */
export const authzRequirementOf = memoizeByRoute(readRequirement);

/**
 * The merged requirement of the route being handled, or null when it has no
 * roles or permissions decorator. Cached per handler and controller.
 */
export function getAuthzRequirement(reflector: Reflector, context: ExecutionContext): AuthzRequirement | null {
  return authzRequirementOf(reflector, context.getHandler(), context.getClass());
}

/** True if the user meets the requirement. */
export function meetsRequirement(user: UserWithRoles, requirement: AuthzRequirement): boolean {
  const roles = userRoleNames(user);
  for (const role of requirement.rolesRequired) if (!roles.has(role)) return false;
  for (const group of requirement.rolesAccepted) if (!group.some((role) => roles.has(role))) return false;
  if (requirement.permissionsRequired.length === 0 && requirement.permissionsAccepted.length === 0) return true;
  const permissions = userPermissions(user);
  for (const permission of requirement.permissionsRequired) if (!permissions.has(permission)) return false;
  for (const group of requirement.permissionsAccepted) if (!group.some((p) => permissions.has(p))) return false;
  return true;
}

/**
 * Enforces the route's `@RolesRequired` / `@RolesAccepted` /
 * `@PermissionsRequired` / `@PermissionsAccepted` (on the handler and on its
 * controller: all of them must pass) against the roles loaded with the user.
 * No database query. SecurityGuard calls it after authentication.
 *
 * @throws UnauthenticatedException when the route has a requirement and there is no user
 * @throws ForbiddenAccessException when the user does not meet it
 */
export function authorize(reflector: Reflector, context: ExecutionContext, user: UserWithRoles | null | undefined): void {
  const requirement = getAuthzRequirement(reflector, context);
  if (requirement === null) return;
  if (!user) throw new UnauthenticatedException();
  if (!meetsRequirement(user, requirement)) throw new ForbiddenAccessException();
}
