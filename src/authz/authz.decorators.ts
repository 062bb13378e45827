import { securityDecorator } from '../authn/decorators/bind-security-guard.js';
import {
  PERMISSIONS_ACCEPTED_KEY,
  PERMISSIONS_REQUIRED_KEY,
  ROLES_ACCEPTED_KEY,
  ROLES_REQUIRED_KEY,
  type AuthzMetadataKey,
} from './authz.constants.js';

/**
 * Writes one requirement group under `key` on a route or a controller and
 * binds SecurityGuard there (once: stacking decorators must not run the
 * guard, and its user lookup, twice). Appends rather than replaces, so
 * `@RolesAccepted('a', 'b') @RolesAccepted('c')` means (a or b) and c.
 * Reads inherited metadata first (as Nest's UseGuards does), so a controller
 * extending a protected one keeps its parent's requirements and adds its own.
 */
function requirement(key: AuthzMetadataKey, decorator: string, values: string[]): ClassDecorator & MethodDecorator {
  if (values.length === 0) throw new Error(`@${decorator}() needs at least one name`);
  for (const value of values) {
    if (typeof value !== 'string' || value.length === 0) throw new Error(`@${decorator}() takes non-empty strings`);
  }
  const group = Object.freeze([...new Set(values)]);
  return securityDecorator((holder) => {
    const groups: ReadonlyArray<readonly string[]> = Reflect.getMetadata(key, holder) ?? [];
    Reflect.defineMetadata(key, [...groups, group], holder);
  });
}

/** The user must have every one of these roles (Flask-Security's `roles_required`). */
export function RolesRequired(...roles: string[]): ClassDecorator & MethodDecorator {
  return requirement(ROLES_REQUIRED_KEY, 'RolesRequired', roles);
}

/** The user must have at least one of these roles (Flask-Security's `roles_accepted`). */
export function RolesAccepted(...roles: string[]): ClassDecorator & MethodDecorator {
  return requirement(ROLES_ACCEPTED_KEY, 'RolesAccepted', roles);
}

/** The user's roles must grant every one of these permissions (`permissions_required`). */
export function PermissionsRequired(...permissions: string[]): ClassDecorator & MethodDecorator {
  return requirement(PERMISSIONS_REQUIRED_KEY, 'PermissionsRequired', permissions);
}

/** The user's roles must grant at least one of these permissions (`permissions_accepted`). */
export function PermissionsAccepted(...permissions: string[]): ClassDecorator & MethodDecorator {
  return requirement(PERMISSIONS_ACCEPTED_KEY, 'PermissionsAccepted', permissions);
}
