import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuplicateValueError } from 'nest-security';
import {
  RefreshTrackerEntity,
  WebAuthnCredentialRow,
  SecurityAttempt,
  SecuritySession,
  securityEntities,
  TypeOrmUserDatastore,
  UsCode,
  UsedToken,
} from 'nest-security/typeorm';
import { createDemoDataSource } from './pglite-data-source.js';

describe("the demo's embedded PGlite database (createSecurityDataSource with typeorm-pglite's driver)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'nest-security-pglite-'));
  const pglitePath = join(dir, 'pglite');

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ships every entity', () => {
    expect(securityEntities()).toEqual(
      expect.arrayContaining([SecuritySession, SecurityAttempt, UsedToken, UsCode, RefreshTrackerEntity, WebAuthnCredentialRow]),
    );
    expect(securityEntities()).toHaveLength(8);
  });

  it('migrates a new directory, then stores and finds users like PostgreSQL does', async () => {
    const dataSource = await createDemoDataSource({ pglitePath }).initialize();
    try {
      expect((await dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
      // One embedded database per process: a second one is refused, not silently shared.
      expect(() => createDemoDataSource({ pglitePath: join(dir, 'other') })).toThrow('already open');

      const datastore = new TypeOrmUserDatastore(dataSource);
      await datastore.createRole({ name: 'admin', permissions: ['reports:read'] });
      const user = await datastore.createUser({ email: 'Jane@Example.com', roles: ['admin'] });
      expect((await datastore.findUser({ email: 'jane@EXAMPLE.com' }))?.id).toBe(user.id);
      await expect(datastore.createUser({ email: 'JANE@example.com' })).rejects.toEqual(expect.any(DuplicateValueError));
      await expect(datastore.createRole({ name: 'admin' })).rejects.toMatchObject({ field: 'role' });
      expect(await datastore.deactivateUser(user)).toBe(true);
      expect(await datastore.deactivateUser(user)).toBe(false);
      expect(await datastore.addRoleToUser(user, 'admin')).toBe(false);
      expect(await datastore.removeRoleFromUser(user, 'admin')).toBe(true);
      expect(await datastore.addPermissionsToRole('admin', ['reports:write'])).toBe(true);
    } finally {
      await dataSource.destroy();
    }
  });

  it('keeps the data in the directory across restarts, without migrating again', async () => {
    const dataSource = await createDemoDataSource({ pglitePath }).initialize();
    try {
      expect(await dataSource.showMigrations()).toBe(false);
      const user = await new TypeOrmUserDatastore(dataSource).findUser({ email: 'JANE@example.com' });
      expect(user).toMatchObject({ email: 'Jane@Example.com', active: false, roles: [] });
    } finally {
      await dataSource.destroy();
    }
  });
});
