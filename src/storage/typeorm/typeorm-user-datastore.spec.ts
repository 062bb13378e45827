import pg from 'pg';
import 'reflect-metadata';
import { jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDataSource, type TestDataSource } from '../../../test/support/database.js';
import { DuplicateValueError, RoleNotFoundError } from '../datastore.errors.js';
import { User } from './entities/user.entity.js';
import { TypeOrmUserDatastore } from './typeorm-user-datastore.js';

const HEX32 = /^[0-9a-f]{32}$/;

describe('TypeOrmUserDatastore (real PostgreSQL)', () => {
  let database: TestDataSource;
  let dataSource: DataSource;
  let datastore: TypeOrmUserDatastore;

  beforeAll(async () => {
    database = await createTestDataSource();
    dataSource = database.dataSource;
    datastore = new TypeOrmUserDatastore(dataSource, User);
  });

  afterAll(async () => {
    await database?.drop();
  });

  beforeEach(async () => {
    await dataSource.query('TRUNCATE "roles_users", "security_session", "user", "role" RESTART IDENTITY CASCADE');
  });

  const row = async (id: number) => (await dataSource.query('SELECT * FROM "user" WHERE id = $1', [id]))[0];
  const count = async (table: string) => Number((await dataSource.query(`SELECT count(*) AS n FROM "${table}"`))[0].n);
  const roleNamesInDb = async (userId: number) =>
    (
      await dataSource.query('SELECT r.name FROM roles_users ru JOIN role r ON r.id = ru.role_id WHERE ru.user_id = $1 ORDER BY r.name', [
        userId,
      ])
    ).map((r: { name: string }) => r.name);
  /** Queries sent while `work` runs. */
  // Counted where every statement leaves for the server, whichever path sent it.
  const queriesDuring = async (work: () => Promise<unknown>): Promise<string[]> => {
    const spy = jest.spyOn(pg.Client.prototype, 'query');
    try {
      await work();
      // node-postgres takes SQL text or a { text } query config.
      return spy.mock.calls.map(([query]) => (typeof query === 'string' ? query : String((query as { text?: unknown }).text)));
    } finally {
      spy.mockRestore();
    }
  };

  describe('createUser', () => {
    it('stores the user with fresh 32-hex uniquifiers and Flask-Security defaults', async () => {
      const user = await datastore.createUser({ email: 'Jane@Example.com', password: '$argon2id$fake' });
      expect(user.id).toEqual(expect.any(Number));
      expect(user.fsUniquifier).toMatch(HEX32);
      expect(user.fsTokenUniquifier).toMatch(HEX32);
      expect(user.fsTokenUniquifier).not.toBe(user.fsUniquifier);
      expect(user).toMatchObject({ email: 'Jane@Example.com', active: true, confirmedAt: null, username: null, loginCount: 0, roles: [] });
      expect(await row(user.id)).toMatchObject({
        email: 'Jane@Example.com',
        password: '$argon2id$fake',
        active: true,
        fs_uniquifier: user.fsUniquifier,
        fs_token_uniquifier: user.fsTokenUniquifier,
      });
    });

    it('takes role names and role objects', async () => {
      const admin = await datastore.createRole({ name: 'admin' });
      await datastore.createRole({ name: 'editor' });
      const user = await datastore.createUser({ email: 'a@example.com', roles: [admin, 'editor', 'admin'] });
      expect(user.roles.map((role) => role.name).sort()).toEqual(['admin', 'editor']);
      expect(await roleNamesInDb(user.id)).toEqual(['admin', 'editor']);
    });

    it('refuses an unknown role name and writes nothing', async () => {
      await expect(datastore.createUser({ email: 'a@example.com', roles: ['nope'] })).rejects.toEqual(new RoleNotFoundError('nope'));
      expect(await count('user')).toBe(0);
    });

    it('refuses an email taken in any case with DuplicateValueError("email"), not a driver error', async () => {
      await datastore.createUser({ email: 'jane@example.com' });
      const error = await datastore.createUser({ email: 'JANE@EXAMPLE.COM' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DuplicateValueError);
      expect(error).toMatchObject({ field: 'email' });
      expect((error as Error).message).not.toContain('jane');
      expect(await count('user')).toBe(1);
    });

    it('refuses a username taken in any case with DuplicateValueError("username")', async () => {
      await datastore.createUser({ email: 'a@example.com', username: 'jane' });
      await expect(datastore.createUser({ email: 'b@example.com', username: 'Jane' })).rejects.toMatchObject({
        name: 'DuplicateValueError',
        field: 'username',
      });
    });

    it('keeps a given uniquifier, and may leave the token uniquifier null', async () => {
      const user = await datastore.createUser({ email: 'a@example.com', fsUniquifier: 'f'.repeat(32), fsTokenUniquifier: null });
      expect(await row(user.id)).toMatchObject({ fs_uniquifier: 'f'.repeat(32), fs_token_uniquifier: null });
    });
  });

  describe('findUser and findUserByIdentity', () => {
    it('finds by id, email and username case-insensitively, and by either uniquifier', async () => {
      await datastore.createRole({ name: 'admin', permissions: ['reports:read'] });
      const user = await datastore.createUser({ email: 'Jane@Example.com', username: 'jane', roles: ['admin'] });
      for (const lookup of [
        { id: user.id },
        { email: 'jane@example.com' },
        { email: 'JANE@EXAMPLE.COM' },
        { username: 'JaNe' },
        { fsUniquifier: user.fsUniquifier },
        { fsTokenUniquifier: user.fsTokenUniquifier! },
        { id: user.id, email: 'jane@example.com' },
      ]) {
        const found = await datastore.findUser(lookup);
        expect({ lookup, id: found?.id, roles: found?.roles.map((role) => [role.name, role.permissions]) }).toEqual({
          lookup,
          id: user.id,
          roles: [['admin', ['reports:read']]],
        });
      }
    });

    it('finds nothing for a miss, an empty lookup, or junk (never a database error)', async () => {
      const user = await datastore.createUser({ email: 'jane@example.com' });
      for (const lookup of [
        {},
        { email: 'nobody@example.com' },
        { id: user.id, email: 'other@example.com' },
        { id: Number.NaN },
        { id: 1.5 },
        { email: 'jane\0@example.com' },
        { fsUniquifier: 'x'.repeat(10_000) },
        { email: 42 as unknown as string },
      ]) {
        expect(await datastore.findUser(lookup)).toBeNull();
      }
    });

    it('loads a user and its roles in one query', async () => {
      await datastore.createRole({ name: 'admin', permissions: ['reports:read', 'users:write'] });
      await datastore.createRole({ name: 'editor' });
      const user = await datastore.createUser({ email: 'jane@example.com', roles: ['admin', 'editor'] });
      for (const lookup of [
        { fsUniquifier: user.fsUniquifier },
        { fsTokenUniquifier: user.fsTokenUniquifier! },
        { id: user.id },
        { email: 'JANE@example.com' },
      ]) {
        let found: Awaited<ReturnType<typeof datastore.findUser>> = null;
        const queries = await queriesDuring(async () => (found = await datastore.findUser(lookup)));
        expect(queries).toHaveLength(1);
        expect(found!.id).toBe(user.id);
        expect(found!.createDatetime).toBeInstanceOf(Date);
        expect(found!.roles.map((role) => [role.name, role.permissions])).toEqual([
          ['admin', ['reports:read', 'users:write']],
          ['editor', null],
        ]);
        expect(found!.roles[0].updateDatetime).toBeInstanceOf(Date);
      }
    });

    it('finds by identity: the email or the username, the email winning a clash', async () => {
      const jane = await datastore.createUser({ email: 'jane@example.com', username: 'jane' });
      const clash = await datastore.createUser({ email: 'other@example.com', username: 'jane@example.com' });
      expect((await datastore.findUserByIdentity(' JANE@example.com '))?.id).toBe(jane.id);
      expect((await datastore.findUserByIdentity('Jane'))?.id).toBe(jane.id);
      expect(clash.id).not.toBe(jane.id);
      expect(await datastore.findUserByIdentity('nobody')).toBeNull();
      expect(await datastore.findUserByIdentity('')).toBeNull();
    });
  });

  describe('saveUser', () => {
    it('writes only the columns that changed, so a concurrent rotation is not undone', async () => {
      const created = await datastore.createUser({ email: 'jane@example.com' });
      const stale = (await datastore.findUser({ id: created.id }))!;
      const other = (await datastore.findUser({ id: created.id }))!;
      await datastore.setUniquifier(other); // e.g. the admin CLI revoking access meanwhile

      stale.loginCount = 5;
      stale.lastLoginIp = '192.0.2.1';
      const queries = await queriesDuring(() => datastore.saveUser(stale));
      expect(queries.filter((query) => query.startsWith('UPDATE'))).toHaveLength(1);
      expect(await row(created.id)).toMatchObject({ login_count: 5, last_login_ip: '192.0.2.1', fs_uniquifier: other.fsUniquifier });
    });

    it('sends nothing when nothing changed', async () => {
      const user = await datastore.createUser({ email: 'jane@example.com' });
      expect(await queriesDuring(() => datastore.saveUser(user))).toEqual([]);
    });

    it('persists role changes made on the object', async () => {
      const admin = await datastore.createRole({ name: 'admin' });
      const editor = await datastore.createRole({ name: 'editor' });
      const user = await datastore.createUser({ email: 'jane@example.com', roles: ['admin'] });
      user.roles = [editor];
      await datastore.saveUser(user);
      expect(await roleNamesInDb(user.id)).toEqual(['editor']);
      user.roles.push(admin);
      await datastore.saveUser(user);
      expect(await roleNamesInDb(user.id)).toEqual(['admin', 'editor']);
    });

    it('saves a user it did not load, and reports a taken email as DuplicateValueError', async () => {
      const user = await datastore.createUser({ email: 'jane@example.com' });
      await datastore.createUser({ email: 'john@example.com' });
      const copy = Object.assign(new User(), { ...user, email: 'Changed@example.com' });
      await datastore.saveUser(copy);
      expect((await row(user.id)).email).toBe('Changed@example.com');

      user.email = 'JOHN@example.com';
      await expect(datastore.saveUser(user)).rejects.toMatchObject({ name: 'DuplicateValueError', field: 'email' });
    });
  });

  it('activates and deactivates, true only when the flag changed', async () => {
    const user = await datastore.createUser({ email: 'jane@example.com' });
    expect(await datastore.activateUser(user)).toBe(false);
    expect(await datastore.deactivateUser(user)).toBe(true);
    expect(user.active).toBe(false);
    expect((await row(user.id)).active).toBe(false);
    expect(await datastore.deactivateUser(user)).toBe(false);
    expect(await datastore.activateUser(user)).toBe(true);
    expect((await row(user.id)).active).toBe(true);
  });

  it('deletes a user, its role links and its sessions, keeping the roles', async () => {
    await datastore.createRole({ name: 'admin' });
    const user = await datastore.createUser({ email: 'jane@example.com', roles: ['admin'] });
    await dataSource.query(
      `INSERT INTO security_session (id, user_id, fs_uniquifier, expires_at) VALUES ($1, $2, $3, now() + interval '1 day')`,
      ['a'.repeat(64), user.id, user.fsUniquifier],
    );
    await datastore.deleteUser(user);
    expect([await count('user'), await count('roles_users'), await count('security_session'), await count('role')]).toEqual([0, 0, 0, 1]);
  });

  describe('roles', () => {
    it('creates roles, refusing a taken name with DuplicateValueError("role")', async () => {
      const role = await datastore.createRole({ name: 'admin', description: 'Administrators', permissions: ['a', ' b ', 'a', ''] });
      expect(role).toMatchObject({ id: expect.any(Number), name: 'admin', description: 'Administrators', permissions: ['a', 'b'] });
      expect((await dataSource.query('SELECT permissions FROM role'))[0].permissions).toBe('a,b');
      await expect(datastore.createRole({ name: 'admin' })).rejects.toMatchObject({ name: 'DuplicateValueError', field: 'role' });
      expect(await datastore.findRole('admin')).toMatchObject({ id: role.id });
      expect(await datastore.findRole('Admin')).toBeNull(); // role names are exact, as in Flask-Security
      expect(await datastore.createRole({ name: 'empty' })).toMatchObject({ permissions: null });
    });

    it('finds or creates a role, once even when asked concurrently', async () => {
      const roles = await Promise.all(Array.from({ length: 5 }, () => datastore.findOrCreateRole('editor', { permissions: ['x'] })));
      expect(new Set(roles.map((role) => role.id)).size).toBe(1);
      expect(await count('role')).toBe(1);
      expect((await datastore.findOrCreateRole('editor')).id).toBe(roles[0].id);
    });

    it('adds and removes a role, true only when membership changed', async () => {
      const admin = await datastore.createRole({ name: 'admin' });
      const user = await datastore.createUser({ email: 'jane@example.com' });
      expect(await datastore.addRoleToUser(user, 'admin')).toBe(true);
      expect(await datastore.addRoleToUser(user, admin)).toBe(false);
      expect(user.roles.map((role) => role.name)).toEqual(['admin']);
      expect(await roleNamesInDb(user.id)).toEqual(['admin']);
      expect(await datastore.removeRoleFromUser(user, 'admin')).toBe(true);
      expect(await datastore.removeRoleFromUser(user, admin)).toBe(false);
      expect(user.roles).toEqual([]);
      expect(await roleNamesInDb(user.id)).toEqual([]);
      await expect(datastore.addRoleToUser(user, 'nope')).rejects.toBeInstanceOf(RoleNotFoundError);
      await expect(datastore.removeRoleFromUser(user, 'nope')).rejects.toBeInstanceOf(RoleNotFoundError);
      // The object stays in step with the database, so a later saveUser does not undo anything.
      await datastore.addRoleToUser(user, 'admin');
      await datastore.saveUser(user);
      expect(await roleNamesInDb(user.id)).toEqual(['admin']);
    });

    it('adds and removes permissions, true only when the set changed', async () => {
      const role = await datastore.createRole({ name: 'editor', permissions: ['read'] });
      expect(await datastore.addPermissionsToRole('editor', ['write', 'read'])).toBe(true);
      expect(await datastore.addPermissionsToRole(role, ['write'])).toBe(false);
      expect((await datastore.findRole('editor'))?.permissions).toEqual(['read', 'write']);
      expect(await datastore.removePermissionsFromRole(role, ['read', 'nope'])).toBe(true);
      expect(role.permissions).toEqual(['write']);
      expect(await datastore.removePermissionsFromRole('editor', ['read'])).toBe(false);
      expect(await datastore.removePermissionsFromRole('editor', ['write'])).toBe(true);
      expect((await datastore.findRole('editor'))?.permissions).toBeNull();
      await expect(datastore.addPermissionsToRole('nope', ['x'])).rejects.toBeInstanceOf(RoleNotFoundError);
      await expect(datastore.addPermissionsToRole('editor', ['a,b'])).rejects.toThrow('cannot contain a comma');
    });

    it('keeps every permission added concurrently', async () => {
      await datastore.createRole({ name: 'editor' });
      const names = Array.from({ length: 8 }, (_, i) => `p${i}`);
      await Promise.all(names.map((name) => datastore.addPermissionsToRole('editor', [name])));
      expect((await datastore.findRole('editor'))?.permissions?.slice().sort()).toEqual(names);
    });
  });

  describe('uniquifiers', () => {
    it('rotates fs_uniquifier, updating that column alone', async () => {
      const user = await datastore.createUser({ email: 'jane@example.com' });
      const old = user.fsUniquifier;
      await dataSource.query('UPDATE "user" SET login_count = 7 WHERE id = $1', [user.id]); // changed elsewhere
      const queries = await queriesDuring(() => datastore.setUniquifier(user));
      expect(queries).toHaveLength(1);
      expect(queries[0]).toMatch(/^UPDATE "user" SET "fs_uniquifier" = \$1, "update_datetime" = CURRENT_TIMESTAMP WHERE/);
      expect(user.fsUniquifier).toMatch(HEX32);
      expect(user.fsUniquifier).not.toBe(old);
      expect(await row(user.id)).toMatchObject({ fs_uniquifier: user.fsUniquifier, login_count: 7 });
      expect(await datastore.findUser({ fsUniquifier: old })).toBeNull();
    });

    it('sets a given fs_uniquifier, refusing one in use with DuplicateValueError', async () => {
      const jane = await datastore.createUser({ email: 'jane@example.com' });
      const john = await datastore.createUser({ email: 'john@example.com' });
      await datastore.setUniquifier(jane, 'a'.repeat(32));
      expect((await row(jane.id)).fs_uniquifier).toBe('a'.repeat(32));
      await expect(datastore.setUniquifier(john, 'a'.repeat(32))).rejects.toMatchObject({
        name: 'DuplicateValueError',
        field: 'fsUniquifier',
      });
    });

    it('rotates, sets and clears fs_token_uniquifier', async () => {
      const user = await datastore.createUser({ email: 'jane@example.com' });
      const old = user.fsTokenUniquifier;
      await datastore.setTokenUniquifier(user);
      expect(user.fsTokenUniquifier).toMatch(HEX32);
      expect(user.fsTokenUniquifier).not.toBe(old);
      expect((await row(user.id)).fs_token_uniquifier).toBe(user.fsTokenUniquifier);
      await datastore.setTokenUniquifier(user, null);
      expect(user.fsTokenUniquifier).toBeNull();
      expect((await row(user.id)).fs_token_uniquifier).toBeNull();
      await datastore.setTokenUniquifier(user, 'b'.repeat(32));
      expect((await row(user.id)).fs_token_uniquifier).toBe('b'.repeat(32));
    });

    it('sets a password in one UPDATE, rotating fs_uniquifier and, unless kept, fs_token_uniquifier', async () => {
      const user = await datastore.createUser({ email: 'jane@example.com', password: '$argon2id$old' });
      const before = { fs: user.fsUniquifier, token: user.fsTokenUniquifier };
      await dataSource.query('UPDATE "user" SET login_count = 7 WHERE id = $1', [user.id]); // changed elsewhere
      const queries = await queriesDuring(() => datastore.setPassword(user, '$argon2id$new'));
      expect(queries.filter((query) => query.startsWith('UPDATE'))).toHaveLength(1);
      const after = await row(user.id);
      expect(after).toMatchObject({
        password: '$argon2id$new',
        login_count: 7,
        fs_uniquifier: user.fsUniquifier,
        fs_token_uniquifier: user.fsTokenUniquifier,
      });
      expect(after.fs_uniquifier).toMatch(HEX32);
      expect(after.fs_uniquifier).not.toBe(before.fs);
      expect(after.fs_token_uniquifier).toMatch(HEX32);
      expect(after.fs_token_uniquifier).not.toBe(before.token);

      await datastore.setPassword(user, '$argon2id$kept', { keepAuthTokens: true });
      expect(await row(user.id)).toMatchObject({ password: '$argon2id$kept', fs_token_uniquifier: after.fs_token_uniquifier });
      expect((await row(user.id)).fs_uniquifier).not.toBe(after.fs_uniquifier);

      // Tokens bound to fs_uniquifier die with it: no token uniquifier is made up.
      const bound = await datastore.createUser({ email: 'john@example.com', fsTokenUniquifier: null });
      await datastore.setPassword(bound, '$argon2id$new');
      expect(await row(bound.id)).toMatchObject({ password: '$argon2id$new', fs_token_uniquifier: null });
    });

    it('resets access: both uniquifiers rotate and unified sign-in methods are forgotten', async () => {
      const user = await datastore.createUser({ email: 'jane@example.com', usMethods: ['email'] });
      expect((await row(user.id)).us_methods).toBe('email');
      const before = { fs: user.fsUniquifier, token: user.fsTokenUniquifier };
      await datastore.resetUserAccess(user);
      const after = await row(user.id);
      expect(after.fs_uniquifier).toMatch(HEX32);
      expect(after.fs_token_uniquifier).toMatch(HEX32);
      expect(after.fs_uniquifier).not.toBe(before.fs);
      expect(after.fs_token_uniquifier).not.toBe(before.token);
      expect(after.us_methods).toBeNull();
      expect(user).toMatchObject({ fsUniquifier: after.fs_uniquifier, fsTokenUniquifier: after.fs_token_uniquifier, usMethods: null });
    });
  });

  describe("the hot lookup, a named prepared statement on TypeORM's pool", () => {
    /** Server processes serving this database, other than the one asking. */
    const backends = async (): Promise<number[]> =>
      (await dataSource.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).map(
        (row: { pid: number }) => row.pid,
      );

    it('answers many concurrent lookups each with its own user', async () => {
      await datastore.createRole({ name: 'admin', permissions: ['reports:read'] });
      const users: User[] = [];
      for (let i = 0; i < 40; i++)
        users.push(await datastore.createUser({ email: `p${i}@example.com`, password: null, roles: i % 3 === 0 ? ['admin'] : [] }));
      const found = await Promise.all(
        Array.from({ length: 400 }, (_, i) => {
          const user = users[(i * 7) % users.length];
          return i % 2 === 0
            ? datastore.findUserByAuthTokenUid(user.fsTokenUniquifier!)
            : datastore.findUser({ fsUniquifier: user.fsUniquifier });
        }),
      );
      found.forEach((user, i) => {
        const expected = users[(i * 7) % users.length];
        expect({ email: user?.email, roles: user?.roles.map((role) => role.name) }).toEqual({
          email: expected.email,
          roles: expected.roles.map((role) => role.name),
        });
      });
      // Misses and hits mixed in one burst keep their answers apart.
      const mixed = await Promise.all([
        datastore.findUserByAuthTokenUid('0'.repeat(32)),
        datastore.findUserByAuthTokenUid(users[1].fsTokenUniquifier!),
        datastore.findUserByAuthTokenUid('f'.repeat(32)),
      ]);
      expect(mixed.map((user) => user?.email ?? null)).toEqual([null, users[1].email, null]);
    });

    it('reconnects after the server drops the connection, failing only what was in flight', async () => {
      const user = await datastore.createUser({ email: 'reconnect@example.com', password: null });
      expect((await datastore.findUserByAuthTokenUid(user.fsTokenUniquifier!))?.email).toBe('reconnect@example.com');
      // Kill every other server process of this database: pooled connections among them.
      for (const pid of await backends()) await dataSource.query('SELECT pg_terminate_backend($1)', [pid]);
      let found = null;
      for (let attempt = 0; attempt < 5 && !found; attempt++) {
        found = await datastore.findUserByAuthTokenUid(user.fsTokenUniquifier!).catch(() => null);
      }
      expect(found?.email).toBe('reconnect@example.com');
    });

    it('prepares its statement anew when the table changes under it (a migration run by another process)', async () => {
      const user = await datastore.createUser({ email: 'migrated@example.com', password: null });
      const lookUp = () => datastore.findUserByAuthTokenUid(user.fsTokenUniquifier!);
      expect((await lookUp())?.email).toBe('migrated@example.com');
      // A selected column changes type: every connection's plan of the statement is stale.
      await dataSource.query('ALTER TABLE "user" ALTER COLUMN "email" TYPE text');
      try {
        const found = await Promise.all(Array.from({ length: 10 }, lookUp));
        expect(found.map((u) => u?.email)).toEqual(Array(10).fill('migrated@example.com'));
      } finally {
        await dataSource.query('ALTER TABLE "user" ALTER COLUMN "email" TYPE varchar(255)');
      }
      expect((await lookUp())?.email).toBe('migrated@example.com');
    });
  });
});
