import type { Type } from '@nestjs/common';
import { DuplicateValueError, RoleNotFoundError } from '../datastore.errors.js';
import { addingPermissions, cleanPermissions, removingPermissions } from '../permissions.js';
import { Role } from '../typeorm/entities/role.entity.js';
import type { SecurityUser } from '../typeorm/entities/security-user.entity.js';
import { User } from '../typeorm/entities/user.entity.js';
import { newUniquifier } from '../uniquifier.js';
import { type CreateRoleInput, type CreateUserInput, SECOND_FACTOR_PROPERTIES, UserDatastore, type UserLookup } from '../user-datastore.js';
import { MemoryUserChangeFeed } from './memory-user-change-feed.js';
import { refuseInProduction } from './refuse-production.js';

type UserRecord = Record<string, unknown> & { id: number; roleIds: number[] };

export interface MemoryUserDatastoreOptions {
  /** The class users are instances of. Default: the shipped User. */
  userEntity?: Type<SecurityUser>;
  /** Where every change is announced. Default: a feed of its own (`changes`). */
  changes?: MemoryUserChangeFeed;
}

/**
 * Users and roles in this process, with the TypeORM datastore's rules:
 * email and username unique case-insensitively, uniquifiers unique, roles
 * must exist. Callers get copies (changing one changes nothing until
 * saveUser), and every change is announced on `changes`, so the user cache
 * drops the user as it would on a database trigger.
 */
export class MemoryUserDatastore<U extends SecurityUser = SecurityUser> extends UserDatastore<U> {
  readonly changes: MemoryUserChangeFeed;
  private readonly userEntity: Type<SecurityUser>;
  private readonly users = new Map<number, UserRecord>();
  private readonly roles = new Map<number, Role>();
  /** What each handed-out copy held, so saveUser writes only what the caller changed. */
  private readonly loaded = new WeakMap<object, UserRecord>();
  private nextUserId = 1;
  private nextRoleId = 1;

  constructor({ userEntity = User, changes = new MemoryUserChangeFeed() }: MemoryUserDatastoreOptions = {}) {
    super();
    refuseInProduction('MemoryUserDatastore');
    this.userEntity = userEntity;
    this.changes = changes;
  }

  async findUser(lookup: UserLookup): Promise<U | null> {
    const keys = (['id', 'email', 'username', 'fsUniquifier', 'fsTokenUniquifier'] as const).filter((key) => lookup[key] !== undefined);
    if (keys.length === 0) return null;
    for (const record of this.users.values()) {
      if (keys.every((key) => matches(record, key, lookup[key]))) return this.toUser(record);
    }
    return null;
  }

  async findUserByIdentity(identity: string): Promise<U | null> {
    if (typeof identity !== 'string' || identity.trim() === '') return null;
    const value = identity.trim();
    // Someone's username could equal someone else's email: the email wins.
    return (await this.findUser({ email: value })) ?? (await this.findUser({ username: value }));
  }

  async createUser(input: CreateUserInput): Promise<U> {
    const { email, password = null, username = null, active = true, confirmedAt = null, roles = [], ...extra } = input;
    const now = new Date();
    const record: UserRecord = {
      loginCount: 0,
      ...structuredClone(extra),
      id: 0,
      email,
      username,
      password,
      active,
      confirmedAt,
      fsUniquifier: (extra.fsUniquifier as string | undefined) ?? newUniquifier(),
      fsTokenUniquifier: extra.fsTokenUniquifier === undefined ? newUniquifier() : extra.fsTokenUniquifier,
      createDatetime: now,
      updateDatetime: now,
      roleIds: this.resolveRoles(roles),
    };
    this.checkUnique(record);
    record.id = this.nextUserId++;
    this.users.set(record.id, record);
    this.changes.publish(record.id);
    return this.toUser(record);
  }

  async deleteUser(user: U): Promise<void> {
    if (this.users.delete(user.id)) this.changes.publish(user.id);
  }

  async saveUser(user: U): Promise<U> {
    const { roles, ...fields } = user as SecurityUser & Record<string, unknown>;
    const existing = user.id == null ? undefined : this.users.get(user.id);
    if (!existing) {
      const created = await this.createUser({ ...(fields as CreateUserInput), roles: roles ?? [] });
      Object.assign(user, created);
      return user;
    }
    const before = this.loaded.get(user);
    const patch: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      if (!before || fingerprint(before[key]) !== fingerprint(value)) patch[key] = structuredClone(value);
    }
    const roleIds = this.resolveRoles(roles ?? []);
    const roleIdsBefore = before?.roleIds ?? existing.roleIds;
    const added = roleIds.filter((id) => !roleIdsBefore.includes(id));
    const removed = roleIdsBefore.filter((id) => !roleIds.includes(id));
    const record: UserRecord = {
      ...existing,
      ...patch,
      id: existing.id,
      updateDatetime: new Date(),
      roleIds: [...existing.roleIds.filter((id) => !removed.includes(id)), ...added.filter((id) => !existing.roleIds.includes(id))],
    };
    this.checkUnique(record);
    this.users.set(record.id, record);
    this.changes.publish(record.id);
    user.updateDatetime = record.updateDatetime as Date;
    this.loaded.set(user, structuredClone({ ...record, roleIds }));
    return user;
  }

  activateUser(user: U): Promise<boolean> {
    return this.setActive(user, true);
  }

  /** Also rotates both uniquifiers: the account's sessions, links and auth tokens die for good, and reactivating it brings none back. */
  async deactivateUser(user: U): Promise<boolean> {
    const changed = await this.setActive(user, false);
    await this.setUniquifier(user);
    if (user.fsTokenUniquifier) await this.setTokenUniquifier(user);
    return changed;
  }

  async findRole(name: string): Promise<Role | null> {
    const role = this.roleNamed(name);
    return role ? copyRole(role) : null;
  }

  async createRole(input: CreateRoleInput): Promise<Role> {
    if (this.roleNamed(input.name)) throw new DuplicateValueError('role', 'a role with this name already exists');
    const permissions = cleanPermissions(input.permissions ?? []);
    const role = Object.assign(new Role(), {
      id: this.nextRoleId++,
      name: input.name,
      description: input.description ?? null,
      permissions: permissions.length > 0 ? permissions : null,
      updateDatetime: new Date(),
    });
    this.roles.set(role.id, role);
    return copyRole(role);
  }

  async findOrCreateRole(name: string, input: Omit<CreateRoleInput, 'name'> = {}): Promise<Role> {
    return (await this.findRole(name)) ?? this.createRole({ ...input, name });
  }

  async addRoleToUser(user: U, role: string | Role): Promise<boolean> {
    const [roleId] = this.resolveRoles([role]);
    const record = this.users.get(user.id);
    const added = !!record && !record.roleIds.includes(roleId);
    if (record && added) {
      record.roleIds = [...record.roleIds, roleId];
      this.changes.publish(user.id);
    }
    const before = this.loaded.get(user);
    if (before && !before.roleIds.includes(roleId)) before.roleIds = [...before.roleIds, roleId];
    user.roles = [...(user.roles ?? []).filter((each) => each.id !== roleId), copyRole(this.roles.get(roleId)!)];
    return added;
  }

  async removeRoleFromUser(user: U, role: string | Role): Promise<boolean> {
    const [roleId] = this.resolveRoles([role]);
    const record = this.users.get(user.id);
    const removed = !!record && record.roleIds.includes(roleId);
    if (record && removed) {
      record.roleIds = record.roleIds.filter((id) => id !== roleId);
      this.changes.publish(user.id);
    }
    const before = this.loaded.get(user);
    if (before) before.roleIds = before.roleIds.filter((id) => id !== roleId);
    user.roles = (user.roles ?? []).filter((each) => each.id !== roleId);
    return removed;
  }

  async addPermissionsToRole(role: string | Role, permissions: string[]): Promise<boolean> {
    return this.changePermissions(role, addingPermissions(permissions));
  }

  async removePermissionsFromRole(role: string | Role, permissions: string[]): Promise<boolean> {
    return this.changePermissions(role, removingPermissions(permissions));
  }

  async setUniquifier(user: U, uniquifier: string = newUniquifier()): Promise<void> {
    this.updateFields(user, { fsUniquifier: uniquifier });
  }

  async setTokenUniquifier(user: U, uniquifier?: string | null): Promise<void> {
    this.updateFields(user, { fsTokenUniquifier: uniquifier === undefined ? newUniquifier() : uniquifier });
  }

  async resetUserAccess(user: U): Promise<void> {
    const patch: Record<string, unknown> = { fsUniquifier: newUniquifier(), fsTokenUniquifier: newUniquifier() };
    for (const property of SECOND_FACTOR_PROPERTIES) if (property in user) patch[property] = null;
    this.updateFields(user, patch);
  }

  override async tfSet(user: U, method: string, totpSecret: string, phoneNumber: string | null = null): Promise<void> {
    this.updateFields(user, { tfPrimaryMethod: method, tfTotpSecret: totpSecret, tfPhoneNumber: phoneNumber });
  }

  override async tfReset(user: U): Promise<void> {
    this.updateFields(user, { tfPrimaryMethod: null, tfTotpSecret: null, tfPhoneNumber: null });
  }

  override async mfSetRecoveryCodes(user: U, codes: string[] | null): Promise<void> {
    this.updateFields(user, { mfRecoveryCodes: codes && codes.length > 0 ? [...codes] : null });
  }

  // --- internals ---

  /** Write these fields alone (a stale copy elsewhere is not written back), then reflect them on the object. */
  private updateFields(user: U, patch: Record<string, unknown>): void {
    const existing = this.users.get(user.id);
    if (existing) {
      const record = { ...existing, ...patch, updateDatetime: new Date() };
      this.checkUnique(record);
      this.users.set(record.id, record);
      this.changes.publish(record.id);
    }
    Object.assign(user, patch);
    const before = this.loaded.get(user);
    if (before) Object.assign(before, structuredClone(patch));
  }

  private async setActive(user: U, active: boolean): Promise<boolean> {
    const record = this.users.get(user.id);
    const changed = !!record && record.active !== active;
    if (record && changed) {
      record.active = active;
      this.changes.publish(user.id);
    }
    user.active = active;
    const before = this.loaded.get(user);
    if (before) before.active = active;
    return changed;
  }

  private changePermissions(role: string | Role, change: (current: string[]) => string[]): boolean {
    const name = typeof role === 'string' ? role : role.name;
    const stored = typeof role !== 'string' && role.id != null ? this.roles.get(role.id) : this.roleNamed(name);
    if (!stored) throw new RoleNotFoundError(name);
    const current = stored.permissions ?? [];
    const updated = change(current);
    if (updated.length === current.length && updated.every((permission, i) => permission === current[i])) return false;
    stored.permissions = updated.length > 0 ? updated : null;
    if (typeof role !== 'string') role.permissions = stored.permissions;
    // Every holder of the role changed.
    this.changes.publish('*');
    return true;
  }

  private roleNamed(name: string): Role | undefined {
    for (const role of this.roles.values()) if (role.name === name) return role;
    return undefined;
  }

  /** Role names (which must exist) and role objects, as role ids. */
  private resolveRoles(roles: Array<string | Role>): number[] {
    const ids = roles.map((role) => {
      const found =
        typeof role !== 'string' && role.id != null ? this.roles.get(role.id) : this.roleNamed(typeof role === 'string' ? role : role.name);
      if (!found) throw new RoleNotFoundError(typeof role === 'string' ? role : role.name);
      return found.id;
    });
    return [...new Set(ids)];
  }

  private checkUnique(record: UserRecord): void {
    for (const other of this.users.values()) {
      if (other.id === record.id) continue;
      if (lower(other.email) === lower(record.email)) throw new DuplicateValueError('email', 'a user with this email already exists');
      if (record.username != null && other.username != null && lower(other.username) === lower(record.username)) {
        throw new DuplicateValueError('username', 'a user with this username already exists');
      }
      if (other.fsUniquifier === record.fsUniquifier) throw new DuplicateValueError('fsUniquifier');
      if (record.fsTokenUniquifier != null && other.fsTokenUniquifier === record.fsTokenUniquifier)
        throw new DuplicateValueError('fsTokenUniquifier');
    }
  }

  private toUser(record: UserRecord): U {
    const { roleIds, ...fields } = record;
    const user = Object.assign(new this.userEntity(), structuredClone(fields)) as unknown as U;
    user.roles = roleIds
      .map((id) => this.roles.get(id))
      .filter((role): role is Role => !!role)
      .map(copyRole);
    this.loaded.set(user, structuredClone(record));
    return user;
  }
}

function matches(record: UserRecord, key: keyof UserLookup, value: unknown): boolean {
  if (key === 'email') return typeof value === 'string' && lower(record.email) === lower(value);
  if (key === 'username') return typeof value === 'string' && record.username != null && lower(record.username) === lower(value);
  return record[key] === value;
}

/** As the database compares: lower(), usernames NFKD. */
function lower(value: unknown): string {
  return String(value).normalize('NFKD').toLowerCase();
}

function fingerprint(value: unknown): string {
  if (value instanceof Date) return `date:${value.getTime()}`;
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

function copyRole(role: Role): Role {
  return Object.assign(new Role(), { ...role, permissions: role.permissions ? [...role.permissions] : null });
}
