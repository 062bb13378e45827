import { randomBytes } from 'node:crypto';
import type { NewWebAuthnCredential, WebAuthnCredentialStore } from '../storage/webauthn-credential-store.js';
import { testGlobals } from './jest-globals.js';

/**
 * The WebAuthnCredentialStore contract. `makeUser` returns the id of a user
 * the store may hold passkeys for (a database store's rows reference the user table).
 */
export function describeWebAuthnCredentialStoreContract(
  name: string,
  make: () => WebAuthnCredentialStore | Promise<WebAuthnCredentialStore>,
  makeUser: () => Promise<number> = (() => {
    let next = 1;
    return async () => next++;
  })(),
): void {
  const { describe, it, expect, beforeAll } = testGlobals();
  describe(`${name}: the WebAuthnCredentialStore contract`, () => {
    let store: WebAuthnCredentialStore;
    const credential = (userId: number, name: string): NewWebAuthnCredential => ({
      userId,
      name,
      credentialId: randomBytes(32),
      publicKey: randomBytes(77),
      signCount: 0,
      transports: ['internal', 'hybrid'],
      backupState: false,
      deviceType: 'singleDevice',
      extensions: '{"credProps":{"rk":true}}',
      usage: 'first',
    });

    beforeAll(async () => {
      store = await make();
    });

    it('stores a credential, found by its credential id and listed for its user', async () => {
      const userId = await makeUser();
      const input = credential(userId, 'laptop');
      const added = await store.add(input);
      expect(added).toMatchObject({ ...input, id: expect.any(Number) });
      expect(added!.createdAt).toBeInstanceOf(Date);
      expect(added!.lastUsedAt).toBeInstanceOf(Date);
      const found = await store.findByCredentialId(Buffer.from(input.credentialId));
      expect(found).toEqual(added);
      expect(found!.credentialId.equals(input.credentialId)).toBe(true);
      await store.add({ ...credential(userId, 'phone'), usage: 'secondary', transports: [] });
      const listed = await store.listForUser(userId);
      expect(listed.map((each) => [each.name, each.usage, each.transports])).toEqual([
        ['laptop', 'first', ['internal', 'hybrid']],
        ['phone', 'secondary', []],
      ]);
      expect(await store.findByCredentialId(randomBytes(32))).toBeNull();
      expect(await store.listForUser(await makeUser())).toEqual([]);
    });

    it('refuses a credential id already registered (to anyone) and a name the user already has', async () => {
      const [alice, bob] = [await makeUser(), await makeUser()];
      const first = credential(alice, 'key');
      expect(await store.add(first)).not.toBeNull();
      expect(await store.add({ ...credential(bob, 'other'), credentialId: Buffer.from(first.credentialId) })).toBeNull();
      expect(await store.add(credential(alice, 'key'))).toBeNull();
      expect(await store.add(credential(bob, 'key'))).not.toBeNull();
      expect(await store.listForUser(alice)).toHaveLength(1);
    });

    it('recordUse moves the counter only from the expected value; of 20 concurrent uses one wins', async () => {
      const userId = await makeUser();
      const added = (await store.add(credential(userId, 'key')))!;
      const usedAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 60_000);
      expect(await store.recordUse(added.id, 5, 6, usedAt)).toBe(false);
      expect(await store.recordUse(added.id, 0, 3, usedAt)).toBe(true);
      const after = (await store.findByCredentialId(added.credentialId))!;
      expect(after.signCount).toBe(3);
      expect(after.lastUsedAt.getTime()).toBe(usedAt.getTime());
      const results = await Promise.all(Array.from({ length: 20 }, () => store.recordUse(added.id, 3, 4, new Date())));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.findByCredentialId(added.credentialId))!.signCount).toBe(4);
    });

    it('remove deletes only the named credential of that user', async () => {
      const [alice, bob] = [await makeUser(), await makeUser()];
      await store.add(credential(alice, 'key'));
      await store.add(credential(bob, 'key'));
      expect(await store.remove(alice, 'nope')).toBe(false);
      expect(await store.remove(alice, 'key')).toBe(true);
      expect(await store.remove(alice, 'key')).toBe(false);
      expect(await store.listForUser(alice)).toEqual([]);
      expect(await store.listForUser(bob)).toHaveLength(1);
    });

    it('gives each user one lasting user handle, made on first use', async () => {
      const [alice, bob] = [await makeUser(), await makeUser()];
      const made = randomBytes(32).toString('base64url');
      expect(await store.userHandle(alice, () => made)).toBe(made);
      expect(await store.userHandle(alice, () => 'another')).toBe(made);
      const bobs = await store.userHandle(bob, () => randomBytes(32).toString('base64url'));
      expect(bobs).not.toBe(made);
    });
  });
}
