import type { UserDatastore } from '../../storage/user-datastore.js';
import { findUserOrFail } from './users.js';

/** `roles ...`: what `flask roles ...` does, on already validated input. Each returns the line to print. */

export interface CreateRoleCommand {
  name: string;
  description?: string;
  permissions: string[];
}

export async function createRole(datastore: UserDatastore, command: CreateRoleCommand): Promise<string> {
  const role = await datastore.createRole({
    name: command.name,
    description: command.description ?? null,
    permissions: command.permissions,
  });
  const permissions = role.permissions?.length ? ` (permissions: ${role.permissions.join(', ')})` : '';
  return `Created role ${role.name}${permissions}`;
}

export async function addRole(datastore: UserDatastore, email: string, roleName: string): Promise<string> {
  const user = await findUserOrFail(datastore, email);
  return (await datastore.addRoleToUser(user, roleName))
    ? `Added role ${roleName} to ${user.email}`
    : `User ${user.email} already has role ${roleName}`;
}

export async function removeRole(datastore: UserDatastore, email: string, roleName: string): Promise<string> {
  const user = await findUserOrFail(datastore, email);
  return (await datastore.removeRoleFromUser(user, roleName))
    ? `Removed role ${roleName} from ${user.email}`
    : `User ${user.email} did not have role ${roleName}`;
}

export async function addPermissions(datastore: UserDatastore, roleName: string, permissions: string[]): Promise<string> {
  return (await datastore.addPermissionsToRole(roleName, permissions))
    ? `Added permissions ${permissions.join(', ')} to role ${roleName}`
    : `Role ${roleName} already has permissions ${permissions.join(', ')}`;
}

export async function removePermissions(datastore: UserDatastore, roleName: string, permissions: string[]): Promise<string> {
  return (await datastore.removePermissionsFromRole(roleName, permissions))
    ? `Removed permissions ${permissions.join(', ')} from role ${roleName}`
    : `Role ${roleName} had none of the permissions ${permissions.join(', ')}`;
}
