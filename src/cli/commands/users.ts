import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import type { UserDatastore } from '../../storage/user-datastore.js';
import { CliError } from '../cli-error.js';

/**
 * `users ...`: what `flask users ...` does, on already validated input
 * (see cli.ts). Each returns the one line to print.
 */

export interface CreateUserCommand {
  email: string;
  /** Already hashed. */
  passwordHash: string;
  username?: string;
  roles: string[];
  active: boolean;
  confirmed: boolean;
}

export async function createUser(datastore: UserDatastore, command: CreateUserCommand): Promise<string> {
  const user = await datastore.createUser({
    email: command.email,
    password: command.passwordHash,
    username: command.username ?? null,
    roles: command.roles,
    active: command.active,
    confirmedAt: command.confirmed ? new Date() : null,
  });
  const roles = user.roles.length > 0 ? `, roles: ${user.roles.map((role) => role.name).join(', ')}` : '';
  const state = [command.active ? 'active' : 'inactive', command.confirmed ? 'confirmed' : 'unconfirmed'].join(', ');
  return `Created user ${user.email} (id ${user.id}, ${state}${roles})`;
}

export async function activateUser(datastore: UserDatastore, email: string): Promise<string> {
  const user = await findUserOrFail(datastore, email);
  return (await datastore.activateUser(user)) ? `Activated user ${user.email}` : `User ${user.email} was already active`;
}

export async function deactivateUser(datastore: UserDatastore, email: string): Promise<string> {
  const user = await findUserOrFail(datastore, email);
  return (await datastore.deactivateUser(user)) ? `Deactivated user ${user.email}` : `User ${user.email} was already inactive`;
}

/** Flask-Security's reset_user_access: every session, token and second factor of the user dies. */
export async function resetAccess(datastore: UserDatastore, email: string): Promise<string> {
  const user = await findUserOrFail(datastore, email);
  await datastore.resetUserAccess(user);
  return `Reset access of ${user.email}: sessions, tokens and second factors revoked`;
}

/**
 * New password and new uniquifiers in one save: the user's sessions, auth
 * tokens, reset links and login links die with the old password.
 */
export async function changePassword(datastore: UserDatastore, email: string, passwordHash: string): Promise<string> {
  const user = await findUserOrFail(datastore, email);
  // An admin's password change is a revocation: auth tokens bound to fs_token_uniquifier die too.
  await datastore.setPassword(user, passwordHash);
  return `Changed the password of ${user.email}; their sessions, auth tokens and links are revoked`;
}

export async function findUserOrFail(datastore: UserDatastore, email: string): Promise<SecurityUser> {
  const user = await datastore.findUser({ email });
  if (!user) throw new CliError(`no user with email ${email}`);
  return user;
}
