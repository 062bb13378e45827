import { randomBytes } from 'node:crypto';
import type { RefreshTokenStore } from '../storage/refresh-token-store.js';
import { testGlobals } from './jest-globals.js';

/**
 * The RefreshTokenStore contract. `makeUser` returns the id of a user the
 * store may hold families for (a database store's rows reference the user table).
 */
export function describeRefreshTokenStoreContract(
  name: string,
  make: () => RefreshTokenStore | Promise<RefreshTokenStore>,
  makeUser: () => Promise<number> = (() => {
    let next = 1;
    return async () => next++;
  })(),
): void {
  const { describe, it, expect, beforeAll } = testGlobals();
  describe(`${name}: the RefreshTokenStore contract`, () => {
    let store: RefreshTokenStore;
    const family = () => randomBytes(16).toString('hex');
    // Whole seconds: every store keeps at least that precision.
    const inDays = (days: number) => new Date(Math.floor((Date.now() + days * 86_400_000) / 1000) * 1000);
    const newFamily = async (userId: number, expiresInDays = 90) =>
      store.create({ family: family(), userId, name: 'default', expiresAt: inDays(expiresInDays), lastUsedAt: inDays(0) });

    beforeAll(async () => {
      store = await make();
    });

    it('creates a family at generation 1, not revoked, and finds it as created', async () => {
      const userId = await makeUser();
      const createdAt = inDays(-1);
      const created = await store.create({
        family: family(),
        userId,
        name: 'phone',
        expiresAt: inDays(90),
        lastUsedAt: inDays(0),
        createdAt,
      });
      expect(created).toEqual({
        family: created.family,
        userId,
        name: 'phone',
        gen: 1,
        expiresAt: inDays(90),
        lastUsedAt: inDays(0),
        revokedAt: null,
        createdAt,
      });
      expect(await store.find(created.family)).toEqual(created);
      expect(await store.find(family())).toBeNull();
    });

    it('refuses a second family with the same id', async () => {
      const first = await newFamily(await makeUser());
      await expect(
        store.create({ family: first.family, userId: first.userId, name: 'again', expiresAt: inDays(1), lastUsedAt: inDays(0) }),
      ).rejects.toThrow();
    });

    it('rotates from the current generation only, one step at a time, moving lastUsedAt', async () => {
      const tracker = await newFamily(await makeUser());
      const usedAt = inDays(1);
      const rotated = await store.rotate(tracker.family, 1, usedAt);
      expect(rotated).toEqual({ ...tracker, gen: 2, lastUsedAt: usedAt });
      expect(await store.rotate(tracker.family, 1, inDays(2))).toBeNull();
      expect(await store.rotate(tracker.family, 3, inDays(2))).toBeNull();
      expect((await store.rotate(tracker.family, 2, inDays(2)))?.gen).toBe(3);
      expect((await store.find(tracker.family))?.gen).toBe(3);
      expect(await store.rotate(family(), 1, inDays(0))).toBeNull();
    });

    it('of 20 concurrent rotations from one generation exactly one wins', async () => {
      const tracker = await newFamily(await makeUser());
      const results = await Promise.all(Array.from({ length: 20 }, () => store.rotate(tracker.family, 1, inDays(0))));
      expect(results.filter((result) => result !== null)).toHaveLength(1);
      expect((await store.find(tracker.family))?.gen).toBe(2);
    });

    it('never rotates a revoked family; revoking keeps the first date', async () => {
      const tracker = await newFamily(await makeUser());
      const first = inDays(0);
      await store.revoke(tracker.family, first);
      await store.revoke(tracker.family, inDays(1));
      expect(await store.find(tracker.family)).toEqual({ ...tracker, revokedAt: first });
      expect(await store.rotate(tracker.family, 1, inDays(0))).toBeNull();
      await store.revoke(family(), inDays(0));
    });

    it("revokes every family of one user, and only that user's", async () => {
      const [userId, otherId] = [await makeUser(), await makeUser()];
      const mine = [await newFamily(userId), await newFamily(userId)];
      const theirs = await newFamily(otherId);
      // One instant for both sides: two calls of inDays(0) may fall either side of a second.
      const revokedAt = inDays(0);
      await store.revokeAllForUser(userId, revokedAt);
      for (const tracker of mine) expect((await store.find(tracker.family))?.revokedAt).toEqual(revokedAt);
      expect((await store.find(theirs.family))?.revokedAt).toBeNull();
    });

    it("deletes a user's expired or revoked families on request, and nothing else", async () => {
      const [userId, otherId] = [await makeUser(), await makeUser()];
      const live = await newFamily(userId);
      const expired = await newFamily(userId, -1);
      const revoked = await newFamily(userId);
      const othersExpired = await newFamily(otherId, -1);
      await store.revoke(revoked.family, inDays(0));

      await store.deleteStaleForUser(userId, {});
      expect(await store.find(expired.family)).not.toBeNull();
      await store.deleteStaleForUser(userId, { expiredBefore: inDays(0) });
      expect(await store.find(expired.family)).toBeNull();
      expect(await store.find(revoked.family)).not.toBeNull();
      await store.deleteStaleForUser(userId, { revoked: true });
      expect(await store.find(revoked.family)).toBeNull();
      expect(await store.find(live.family)).not.toBeNull();
      expect(await store.find(othersExpired.family)).not.toBeNull();
    });
  });
}
