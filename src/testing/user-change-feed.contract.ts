import { randomBytes } from 'node:crypto';
import type { UserChangeFeed } from '../storage/user-change-feed.js';
import type { UserDatastore } from '../storage/user-datastore.js';
import { sleep, testGlobals } from './jest-globals.js';

export interface UserChangeFeedFixture {
  feed: UserChangeFeed;
  /** Changes made through it must be announced on the feed. */
  users: UserDatastore;
}

/** The UserChangeFeed contract: every change made through the datastore is heard. */
export function describeUserChangeFeedContract(name: string, make: () => UserChangeFeedFixture | Promise<UserChangeFeedFixture>): void {
  const { describe, it, expect, beforeAll, afterAll } = testGlobals();
  describe(`${name}: the UserChangeFeed contract`, () => {
    let users: UserDatastore;
    let unsubscribe: () => Promise<void>;
    const heard: string[] = [];
    let ups = 0;
    const waitFor = async (check: () => boolean) => {
      for (let i = 0; i < 150 && !check(); i++) await sleep(20);
      return check();
    };

    beforeAll(async () => {
      const fixture = await make();
      users = fixture.users;
      unsubscribe = await fixture.feed.subscribe({ changed: (payload) => heard.push(payload), up: () => ups++, down: () => undefined });
    });

    afterAll(() => unsubscribe?.());

    it('is up once subscribed', () => {
      expect(ups).toBeGreaterThanOrEqual(1);
    });

    it('announces a changed user by id, and a role change to everyone', async () => {
      const user = await users.createUser({ email: `${randomBytes(6).toString('hex')}@example.com`, password: null });
      heard.length = 0;
      await users.deactivateUser(user);
      expect(await waitFor(() => heard.includes(String(user.id)))).toBe(true);
      const role = await users.findOrCreateRole(`feed-${randomBytes(3).toString('hex')}`);
      await users.addRoleToUser(user, role);
      heard.length = 0;
      await users.addPermissionsToRole(role, ['feed:read']);
      expect(await waitFor(() => heard.includes('*') || heard.includes(String(user.id)))).toBe(true);
      heard.length = 0;
      await users.setUniquifier(user);
      expect(await waitFor(() => heard.includes(String(user.id)))).toBe(true);
    });
  });
}
