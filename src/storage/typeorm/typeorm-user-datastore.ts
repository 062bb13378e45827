import type { Type } from '@nestjs/common';
import { type DataSource, type DeepPartial, type EntityMetadata, type FindOptionsWhere, In, Raw, type Repository } from 'typeorm';
import { DuplicateValueError, RoleNotFoundError } from '../datastore.errors.js';
import { Role } from './entities/role.entity.js';
import type { SecurityUser } from './entities/security-user.entity.js';
import { User } from './entities/user.entity.js';
import { newUniquifier } from '../uniquifier.js';
import { addingPermissions, cleanPermissions, removingPermissions } from '../permissions.js';
import { BatchedLookup } from './batched-lookup.js';
import { groupBy } from './group-by.js';
import { PreparedQuery, type Row } from './prepared-query.js';
import { UserRows } from './user-rows.js';
import { checkUserEntityMapping } from './user-entity-mapping.js';
import { type CreateRoleInput, type CreateUserInput, SECOND_FACTOR_PROPERTIES, UserDatastore, type UserLookup } from '../user-datastore.js';

/**
 * The UserDatastore on TypeORM and PostgreSQL (or PGlite).
 *
 * Writes touch only what changed: methods that change one thing update those
 * columns alone, and `saveUser` writes only the columns that differ from what
 * was loaded, so a concurrent change elsewhere (the admin CLI rotating a
 * uniquifier, another instance recording a login) is not written back over.
 * A lookup is one query, roles included.
 */
export class TypeOrmUserDatastore<U extends SecurityUser = SecurityUser> extends UserDatastore<U> {
  protected readonly users: Repository<U>;
  protected readonly roles: Repository<Role>;
  /** Column values as last read from or written to the database, per loaded user. */
  private readonly loaded = new WeakMap<U, Map<string, string>>();
  /** The user's SELECT list and hydration, shared with the session store's join. */
  readonly rows: UserRows;
  private readonly byKey = new Map<UserKey, PreparedQuery>();
  private byAuthTokenUid?: BatchedLookup<Row>;
  /** The columns saveUser may write, picked once from the (fixed) entity metadata: remember() runs on every lookup. */
  private readonly patchableColumns: EntityMetadata['columns'];

  constructor(
    protected readonly dataSource: DataSource,
    userEntity: Type<SecurityUser> = User,
  ) {
    super();
    checkUserEntityMapping(dataSource, userEntity);
    this.users = dataSource.getRepository(userEntity) as unknown as Repository<U>;
    this.roles = dataSource.getRepository(Role);
    this.rows = new UserRows(dataSource, this.users.metadata);
    this.patchableColumns = this.users.metadata.columns.filter(
      (column) =>
        !column.relationMetadata &&
        !column.isPrimary &&
        !column.isGenerated &&
        !column.isCreateDate &&
        !column.isUpdateDate &&
        !column.isVersion &&
        !column.isVirtual,
    );
  }

  /**
   * A user hydrated from a row of {@link rows}' SELECT list (another store's
   * join), remembered as loaded so saveUser writes only what changes.
   */
  adopt(user: U): U {
    return this.remember(user);
  }

  async findUser(lookup: UserLookup): Promise<U | null> {
    const where: FindOptionsWhere<SecurityUser> = {};
    if (lookup.id !== undefined) {
      if (!Number.isSafeInteger(lookup.id)) return null;
      where.id = lookup.id;
    }
    for (const key of ['email', 'username', 'fsUniquifier', 'fsTokenUniquifier'] as const) {
      const value = lookup[key];
      if (value === undefined) continue;
      if (!isQueryableString(value)) return null;
      where[key] =
        key === 'email' || key === 'username'
          ? Raw((column) => `lower(${column}) = lower(:${key})`, { [key]: key === 'username' ? value.normalize('NFKD') : value })
          : value;
    }
    const keys = Object.keys(where);
    if (keys.length === 0) return null;
    if (keys.length === 1 && (keys[0] === 'id' || keys[0] === 'fsUniquifier' || keys[0] === 'fsTokenUniquifier')) {
      // Every authenticated request comes through here: the lean path.
      const key = keys[0] as 'id' | 'fsUniquifier' | 'fsTokenUniquifier';
      return this.findByKey(key, lookup[key] as string | number);
    }
    // find, not findOne: with eager roles, findOne's LIMIT makes TypeORM run two queries.
    const [user] = await this.users.find({ where: where as FindOptionsWhere<U> });
    return user ? this.remember(user) : null;
  }

  /** One query on the hot path of token authentication (see UserDatastore). */
  override async findUserByAuthTokenUid(uid: string): Promise<U | null> {
    if (!isQueryableString(uid) || uid === '') return null;
    const rows = await this.authTokenLookup().load(uid);
    return rows.length === 1 ? this.remember(this.rows.hydrateWithRoles<U>(rows[0], '')) : null;
  }

  /**
   * The user of an auth token's uid, for every token-authenticated request:
   * concurrent lookups share one statement (BatchedLookup); a uid matching two
   * users (it cannot, the columns are unique) finds none.
   */
  private authTokenLookup(): BatchedLookup<Row> {
    if (!this.byAuthTokenUid) {
      const column = (property: string) => `u.${this.rows.column(property)}`;
      const tokenColumn = this.rows.column('fsTokenUniquifier').replace(/"/g, '');
      const uniquifierColumn = this.rows.column('fsUniquifier').replace(/"/g, '');
      const query = new PreparedQuery(
        this.dataSource,
        `SELECT ${this.rows.selectWithRoles('u', '')} FROM ${this.rows.table} u
         WHERE ${column('fsTokenUniquifier')} = ANY($1::text[])
            OR (${column('fsTokenUniquifier')} IS NULL AND ${column('fsUniquifier')} = ANY($1::text[]))`,
      );
      this.byAuthTokenUid = new BatchedLookup(async (uids) =>
        groupBy(await query.rows([uids]), (row) => String(row[tokenColumn] ?? row[uniquifierColumn])),
      );
    }
    return this.byAuthTokenUid;
  }

  /** A user by one column: one prepared statement, roles included. */
  private async findByKey(key: UserKey, value: string | number): Promise<U | null> {
    const rows = await this.keyQuery(key).rows([value]);
    return rows.length === 1 ? this.remember(this.rows.hydrateWithRoles<U>(rows[0], '')) : null;
  }

  private keyQuery(key: UserKey): PreparedQuery {
    let query = this.byKey.get(key);
    if (!query) {
      const column = (property: string) => `u.${this.rows.column(property)}`;
      const where = `${column(key)} = $1`;
      query = new PreparedQuery(
        this.dataSource,
        `SELECT ${this.rows.selectWithRoles('u', '')} FROM ${this.rows.table} u WHERE ${where} LIMIT 2`,
      );
      this.byKey.set(key, query);
    }
    return query;
  }

  async findUserByIdentity(identity: string): Promise<U | null> {
    if (!isQueryableString(identity) || identity.trim() === '') return null;
    const value = identity.trim();
    const users = await this.users.find({
      where: [
        { email: Raw((column) => `lower(${column}) = lower(:identity)`, { identity: value }) },
        { username: Raw((column) => `lower(${column}) = lower(:username)`, { username: value.normalize('NFKD') }) },
      ] as FindOptionsWhere<U>[],
    });
    // Someone's username could equal someone else's email: the email wins.
    const user = users.find((candidate) => candidate.email.toLowerCase() === value.toLowerCase()) ?? users[0];
    return user ? this.remember(user) : null;
  }

  async createUser(input: CreateUserInput): Promise<U> {
    const { email, password = null, username = null, active = true, confirmedAt = null, roles = [], ...extra } = input;
    const user = this.users.create({
      ...extra,
      email,
      username,
      password,
      active,
      confirmedAt,
      fsUniquifier: (extra.fsUniquifier as string | undefined) ?? newUniquifier(),
      fsTokenUniquifier: extra.fsTokenUniquifier === undefined ? newUniquifier() : extra.fsTokenUniquifier,
      roles: await this.resolveRoles(roles),
    } as DeepPartial<U>);
    const saved = await translateDuplicates(() => this.users.save(user), this.roles.metadata);
    return this.remember(saved);
  }

  async deleteUser(user: U): Promise<void> {
    await this.users.delete({ id: user.id } as FindOptionsWhere<U>);
    this.loaded.delete(user);
  }

  async saveUser(user: U): Promise<U> {
    const before = this.loaded.get(user);
    if (!before || user.id == null || !this.canPatch()) {
      const saved = await translateDuplicates(() => this.users.save(user), this.roles.metadata);
      return this.remember(saved);
    }
    const patch: Record<string, unknown> = {};
    for (const column of this.patchableColumns) {
      const value = column.getEntityValue(user);
      if (fingerprint(value) !== before.get(column.propertyName)) patch[column.propertyName] = value;
    }
    if (Object.keys(patch).length > 0) {
      await translateDuplicates(() => this.users.update({ id: user.id } as FindOptionsWhere<U>, patch as never), this.roles.metadata);
    }
    const roleIdsBefore: number[] = JSON.parse(before.get('roles') ?? '[]');
    const roleIdsNow = roleIds(user);
    const added = roleIdsNow.filter((id) => !roleIdsBefore.includes(id));
    const removed = roleIdsBefore.filter((id) => !roleIdsNow.includes(id));
    for (const id of added) await this.insertUserRole(user.id, id);
    for (const id of removed) await this.deleteUserRole(user.id, id);
    return this.remember(user);
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
    if (!isQueryableString(name)) return null;
    return this.roles.findOneBy({ name });
  }

  async createRole(input: CreateRoleInput): Promise<Role> {
    const permissions = cleanPermissions(input.permissions ?? []);
    const role = this.roles.create({
      name: input.name,
      description: input.description ?? null,
      permissions: permissions.length > 0 ? permissions : null,
    });
    return translateDuplicates(() => this.roles.save(role), this.roles.metadata);
  }

  async findOrCreateRole(name: string, input: Omit<CreateRoleInput, 'name'> = {}): Promise<Role> {
    const existing = await this.findRole(name);
    if (existing) return existing;
    try {
      return await this.createRole({ ...input, name });
    } catch (error) {
      // Another process created it in between: that one is ours too.
      const created = error instanceof DuplicateValueError ? await this.findRole(name) : null;
      if (created) return created;
      throw error;
    }
  }

  async addRoleToUser(user: U, role: string | Role): Promise<boolean> {
    const found = await this.resolveRole(role);
    const added = await this.insertUserRole(user.id, found.id);
    user.roles = [...(user.roles ?? []).filter((each) => each.id !== found.id), found];
    this.rememberRoles(user);
    return added;
  }

  async removeRoleFromUser(user: U, role: string | Role): Promise<boolean> {
    const found = await this.resolveRole(role);
    const removed = await this.deleteUserRole(user.id, found.id);
    user.roles = (user.roles ?? []).filter((each) => each.id !== found.id);
    this.rememberRoles(user);
    return removed;
  }

  async addPermissionsToRole(role: string | Role, permissions: string[]): Promise<boolean> {
    return this.changePermissions(role, addingPermissions(permissions));
  }

  async removePermissionsFromRole(role: string | Role, permissions: string[]): Promise<boolean> {
    return this.changePermissions(role, removingPermissions(permissions));
  }

  async setUniquifier(user: U, uniquifier: string = newUniquifier()): Promise<void> {
    await this.updateColumns(user, { fsUniquifier: uniquifier });
  }

  async setTokenUniquifier(user: U, uniquifier?: string | null): Promise<void> {
    await this.updateColumns(user, { fsTokenUniquifier: uniquifier === undefined ? newUniquifier() : uniquifier });
  }

  async resetUserAccess(user: U): Promise<void> {
    const patch: Record<string, unknown> = { fsUniquifier: newUniquifier(), fsTokenUniquifier: newUniquifier() };
    for (const property of SECOND_FACTOR_PROPERTIES) {
      if (this.users.metadata.findColumnWithPropertyName(property)) patch[property] = null;
    }
    await this.updateColumns(user, patch);
  }

  override async tfSet(user: U, method: string, totpSecret: string, phoneNumber: string | null = null): Promise<void> {
    await this.updateColumns(user, { tfPrimaryMethod: method, tfTotpSecret: totpSecret, tfPhoneNumber: phoneNumber });
  }

  override async tfReset(user: U): Promise<void> {
    await this.updateColumns(user, { tfPrimaryMethod: null, tfTotpSecret: null, tfPhoneNumber: null });
  }

  override async mfSetRecoveryCodes(user: U, codes: string[] | null): Promise<void> {
    await this.updateColumns(user, { mfRecoveryCodes: codes && codes.length > 0 ? codes : null });
  }

  // --- internals ---

  /** UPDATE only these columns (update_datetime follows), then reflect them on the object. */
  protected async updateColumns(user: U, patch: Record<string, unknown>): Promise<void> {
    await translateDuplicates(() => this.users.update({ id: user.id } as FindOptionsWhere<U>, patch as never), this.roles.metadata);
    Object.assign(user, patch);
    const before = this.loaded.get(user);
    if (before) for (const key of Object.keys(patch)) before.set(key, fingerprint(patch[key]));
  }

  /** Changed only when the row had the other value: the database decides, not a stale object. */
  private async setActive(user: U, active: boolean): Promise<boolean> {
    const result = await this.users
      .createQueryBuilder()
      .update()
      .set({ active } as never)
      .where('id = :id AND active = :previous', { id: user.id, previous: !active })
      .returning('id')
      .execute();
    user.active = active;
    this.loaded.get(user)?.set('active', fingerprint(active));
    return rowsOf(result.raw).length > 0;
  }

  /** Read-modify-write of the permission list under a row lock, so concurrent changes add up. */
  private async changePermissions(role: string | Role, change: (current: string[]) => string[]): Promise<boolean> {
    const name = typeof role === 'string' ? role : role.name;
    const where = typeof role !== 'string' && role.id != null ? { id: role.id } : { name };
    if (!isQueryableString(name)) throw new RoleNotFoundError(String(name));
    const next = await this.dataSource.transaction(async (manager) => {
      const roles = manager.getRepository(Role);
      const row = await roles.findOne({ where, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new RoleNotFoundError(name);
      const current = row.permissions ?? [];
      const updated = change(current);
      if (updated.length === current.length && updated.every((permission, i) => permission === current[i])) return null;
      await roles.update({ id: row.id }, { permissions: updated.length > 0 ? updated : null });
      return updated;
    });
    if (next === null) return false;
    if (typeof role !== 'string') role.permissions = next.length > 0 ? next : null;
    return true;
  }

  private async resolveRole(role: string | Role): Promise<Role> {
    const [found] = await this.resolveRoles([role]);
    return found;
  }

  /** Role names (which must exist) and role objects, as saved roles. */
  private async resolveRoles(roles: Array<string | Role>): Promise<Role[]> {
    const names = [...new Set(roles.map((role) => (typeof role === 'string' ? role : role.id == null ? role.name : null)))].filter(
      (name): name is string => name != null,
    );
    const found = names.length > 0 && names.every(isQueryableString) ? await this.roles.findBy({ name: In(names) }) : [];
    const byName = new Map(found.map((role) => [role.name, role]));
    const resolved = new Map<number, Role>();
    for (const role of roles) {
      const saved = typeof role !== 'string' && role.id != null ? role : byName.get(typeof role === 'string' ? role : role.name);
      if (!saved) throw new RoleNotFoundError(typeof role === 'string' ? role : role.name);
      resolved.set(saved.id, saved);
    }
    return [...resolved.values()];
  }

  private async insertUserRole(userId: number, roleId: number): Promise<boolean> {
    const { table, userColumn, roleColumn } = this.junction();
    const rows: unknown = await this.dataSource.query(
      `INSERT INTO ${table} (${userColumn}, ${roleColumn}) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1 AS "inserted"`,
      [userId, roleId],
    );
    return rowsOf(rows).length > 0;
  }

  private async deleteUserRole(userId: number, roleId: number): Promise<boolean> {
    const { table, userColumn, roleColumn } = this.junction();
    const rows: unknown = await this.dataSource.query(
      `DELETE FROM ${table} WHERE ${userColumn} = $1 AND ${roleColumn} = $2 RETURNING 1 AS "deleted"`,
      [userId, roleId],
    );
    return rowsOf(rows).length > 0;
  }

  private junctionCache?: { table: string; userColumn: string; roleColumn: string };

  private junction(): { table: string; userColumn: string; roleColumn: string } {
    if (this.junctionCache) return this.junctionCache;
    const relation = this.users.metadata.findRelationWithPropertyPath('roles');
    const junction = relation?.junctionEntityMetadata;
    if (!relation || !junction) throw new Error(`${this.users.metadata.name}.roles must be the many-to-many relation of SecurityUser`);
    const escape = (name: string) => this.dataSource.driver.escape(name);
    this.junctionCache = {
      table: junction.schema ? `${escape(junction.schema)}.${escape(junction.tableName)}` : escape(junction.tableName),
      userColumn: escape(relation.joinColumns[0].databaseName),
      roleColumn: escape(relation.inverseJoinColumns[0].databaseName),
    };
    return this.junctionCache;
  }

  /** saveUser can patch columns when the entity has no embeddeds and no owning relations besides roles. */
  private canPatch(): boolean {
    const metadata = this.users.metadata;
    return (
      metadata.embeddeds.length === 0 && metadata.relations.every((relation) => relation.propertyName === 'roles' || !relation.isOwning)
    );
  }

  /** Record what the database now holds for this user, for saveUser's diff. */
  private remember(user: U): U {
    const values = new Map<string, string>();
    for (const column of this.patchableColumns) values.set(column.propertyName, fingerprint(column.getEntityValue(user)));
    values.set('roles', JSON.stringify(roleIds(user)));
    this.loaded.set(user, values);
    return user;
  }

  private rememberRoles(user: U): void {
    this.loaded.get(user)?.set('roles', JSON.stringify(roleIds(user)));
  }
}

/** The columns a user is looked up by in one prepared statement. */
type UserKey = 'id' | 'fsUniquifier' | 'fsTokenUniquifier';

function roleIds(user: SecurityUser): number[] {
  return (user.roles ?? [])
    .map((role) => role.id)
    .filter((id) => id != null)
    .sort((a, b) => a - b);
}

function fingerprint(value: unknown): string {
  if (value instanceof Date) return `date:${value.getTime()}`;
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

/** PostgreSQL refuses NUL in text; such input simply matches nothing. */
function isQueryableString(value: unknown): value is string {
  return typeof value === 'string' && !value.includes('\0');
}

/** Rows of a raw query result: pg gives rows, or [rows, count] for UPDATE/DELETE; PGlite gives rows. */
function rowsOf(raw: unknown): unknown[] {
  if (!Array.isArray(raw)) return [];
  if (raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') return raw[0];
  return raw;
}

/** A unique violation (23505) becomes a DuplicateValueError naming the field; anything else passes through. */
async function translateDuplicates<T>(work: () => Promise<T>, roleMetadata: EntityMetadata): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw duplicateValueError(error, roleMetadata) ?? error;
  }
}

function duplicateValueError(error: unknown, roleMetadata: EntityMetadata): DuplicateValueError | undefined {
  const details = error as { code?: string; constraint?: string; detail?: string; table?: string; driverError?: { code?: string } };
  const code = details.code ?? details.driverError?.code;
  if (code !== '23505') return undefined;
  if (details.table === roleMetadata.tableName) return new DuplicateValueError('role', 'a role with this name already exists');
  const where = `${details.constraint ?? ''} ${details.detail ?? ''}`;
  if (/fs_token_uniquifier/.test(where)) return new DuplicateValueError('fsTokenUniquifier');
  if (/fs_uniquifier/.test(where)) return new DuplicateValueError('fsUniquifier');
  if (/email/.test(where)) return new DuplicateValueError('email', 'a user with this email already exists');
  if (/username/.test(where)) return new DuplicateValueError('username', 'a user with this username already exists');
  return undefined;
}
