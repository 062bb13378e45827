import { randomBytes } from 'node:crypto';
import { DuplicateValueError, RoleNotFoundError } from '../storage/datastore.errors.js';
import type { UserDatastore } from '../storage/user-datastore.js';
import { testGlobals } from './jest-globals.js';

/** The UserDatastore contract: lookups, uniqueness, roles and permissions, uniquifiers, partial saves. */
export function describeUserDatastoreContract(name: string, make: () => UserDatastore | Promise<UserDatastore>): void {
  const { describe, it, expect, beforeAll } = testGlobals();
  describe(`${name}: the UserDatastore contract`, () => {
    let users: UserDatastore;
    const email = () => `Someone.${randomBytes(5).toString('hex')}@Example.com`;

    beforeAll(async () => {
      users = await make();
    });

    it('creates a user with uniquifiers and finds it by each key, email and username case-insensitively', async () => {
      const address = email();
      const username = `user${randomBytes(4).toString('hex')}`;
      const user = await users.createUser({ email: address, username, password: 'hash' });
      expect(user).toMatchObject({ email: address, username, password: 'hash', active: true });
      expect(user.fsUniquifier).toMatch(/^[0-9a-f]{32}$/);
      expect(user.fsTokenUniquifier).toMatch(/^[0-9a-f]{32}$/);
      for (const lookup of [
        { id: user.id },
        { email: address.toUpperCase() },
        { username: username.toUpperCase() },
        { fsUniquifier: user.fsUniquifier },
      ]) {
        expect((await users.findUser(lookup))?.id).toBe(user.id);
      }
      expect((await users.findUserByIdentity(` ${address.toLowerCase()} `))?.id).toBe(user.id);
      expect((await users.findUserByIdentity(username))?.id).toBe(user.id);
      expect((await users.findUserByAuthTokenUid(user.fsTokenUniquifier!))?.id).toBe(user.id);
      expect(await users.findUser({ email: 'nobody@example.com' })).toBeNull();
      expect(await users.findUser({})).toBeNull();
    });

    it('refuses a taken email or username, in any case', async () => {
      const address = email();
      await users.createUser({ email: address, username: `dup${randomBytes(3).toString('hex')}`, password: null });
      await expect(users.createUser({ email: address.toLowerCase(), password: null })).rejects.toThrow(DuplicateValueError);
    });

    it('grants and revokes roles, which must exist, and edits permissions', async () => {
      const user = await users.createUser({ email: email(), password: null });
      const roleName = `editor-${randomBytes(3).toString('hex')}`;
      await expect(users.addRoleToUser(user, roleName)).rejects.toThrow(RoleNotFoundError);
      const role = await users.findOrCreateRole(roleName, { permissions: ['posts:edit'] });
      expect((await users.findOrCreateRole(roleName)).id).toBe(role.id);
      await expect(users.createRole({ name: roleName })).rejects.toThrow(DuplicateValueError);
      expect(await users.addRoleToUser(user, roleName)).toBe(true);
      expect(await users.addRoleToUser(user, roleName)).toBe(false);
      expect(await users.addPermissionsToRole(roleName, ['posts:publish'])).toBe(true);
      const loaded = await users.findUser({ id: user.id });
      expect(loaded?.roles.map((each) => [each.name, each.permissions])).toEqual([[roleName, ['posts:edit', 'posts:publish']]]);
      expect(await users.removePermissionsFromRole(roleName, ['posts:edit'])).toBe(true);
      expect(await users.removeRoleFromUser(loaded!, roleName)).toBe(true);
      expect((await users.findUser({ id: user.id }))?.roles).toEqual([]);
    });

    it('activates and deactivates, telling whether the flag changed', async () => {
      const user = await users.createUser({ email: email(), password: null });
      expect(await users.deactivateUser(user)).toBe(true);
      expect(await users.deactivateUser(user)).toBe(false);
      expect((await users.findUser({ id: user.id }))?.active).toBe(false);
      expect(await users.activateUser(user)).toBe(true);
    });

    it('deactivating rotates both uniquifiers, so reactivating brings no old session, link or token back', async () => {
      const user = await users.createUser({ email: email(), password: null });
      const { fsUniquifier, fsTokenUniquifier } = user;
      await users.deactivateUser(user);
      const stored = await users.findUser({ id: user.id });
      expect(stored?.fsUniquifier).not.toBe(fsUniquifier);
      expect(stored?.fsTokenUniquifier).not.toBe(fsTokenUniquifier);
      expect(user.fsUniquifier).toBe(stored?.fsUniquifier);
      await users.activateUser(user);
      expect(await users.findUser({ fsUniquifier })).toBeNull();
    });

    it('rotates uniquifiers; a null token uniquifier binds auth tokens to fs_uniquifier', async () => {
      const user = await users.createUser({ email: email(), password: null });
      const { fsUniquifier, fsTokenUniquifier } = user;
      await users.setUniquifier(user);
      expect(user.fsUniquifier).not.toBe(fsUniquifier);
      expect(await users.findUser({ fsUniquifier })).toBeNull();
      await users.setTokenUniquifier(user, null);
      expect(await users.findUserByAuthTokenUid(fsTokenUniquifier!)).toBeNull();
      expect((await users.findUserByAuthTokenUid(user.fsUniquifier))?.id).toBe(user.id);
    });

    it('saveUser writes what the caller changed, not stale fields over a change made elsewhere', async () => {
      const user = await users.createUser({ email: email(), password: null });
      const stale = (await users.findUser({ id: user.id }))!;
      await users.setUniquifier(user);
      stale.loginCount = 7;
      await users.saveUser(stale);
      const now = await users.findUser({ id: user.id });
      expect(now).toMatchObject({ loginCount: 7, fsUniquifier: user.fsUniquifier });
    });

    it('sets and clears the second factor and the recovery codes; reset_user_access forgets them', async () => {
      const user = await users.createUser({ email: email(), password: null });
      await users.tfSet(user, 'sms', '{"type":"totp","v":1,"key":"JBSWY3DPEHPK3PXP"}', '+15551234567');
      await users.mfSetRecoveryCodes(user, ['hash-a', 'hash-b']);
      expect(await users.findUser({ id: user.id })).toMatchObject({
        tfPrimaryMethod: 'sms',
        tfTotpSecret: '{"type":"totp","v":1,"key":"JBSWY3DPEHPK3PXP"}',
        tfPhoneNumber: '+15551234567',
        mfRecoveryCodes: ['hash-a', 'hash-b'],
      });
      await users.tfReset(user);
      await users.mfSetRecoveryCodes(user, []);
      const cleared = await users.findUser({ id: user.id });
      expect([cleared?.tfPrimaryMethod, cleared?.tfTotpSecret, cleared?.tfPhoneNumber, cleared?.mfRecoveryCodes]).toEqual([
        null,
        null,
        null,
        null,
      ]);
      await users.tfSet(user, 'authenticator', '{"type":"totp","v":1,"key":"JBSWY3DPEHPK3PXP"}');
      await users.resetUserAccess(user);
      expect((await users.findUser({ id: user.id }))?.tfTotpSecret ?? null).toBeNull();
    });

    it('deletes a user', async () => {
      const user = await users.createUser({ email: email(), password: null });
      await users.deleteUser(user);
      expect(await users.findUser({ id: user.id })).toBeNull();
    });
  });
}
