import { createHash, randomBytes } from 'node:crypto';
import type { NewSession, SessionStore } from '../storage/session-store.js';
import type { UserDatastore } from '../storage/user-datastore.js';
import { testGlobals } from './jest-globals.js';

export interface SessionStoreFixture {
  sessions: SessionStore;
  /** The datastore whose users the sessions belong to. */
  users: UserDatastore;
}

/** The SessionStore contract: live sessions only, each with its user, deletes seen at once. */
export function describeSessionStoreContract(name: string, make: () => SessionStoreFixture | Promise<SessionStoreFixture>): void {
  const { describe, it, expect, beforeAll } = testGlobals();
  describe(`${name}: the SessionStore contract`, () => {
    let sessions: SessionStore;
    let users: UserDatastore;
    // Whole seconds, so any store's timestamp precision keeps them exact.
    const at = (offsetMs: number) => new Date(Math.floor((Date.now() + offsetMs) / 1000) * 1000);
    const newUser = async (roles: string[] = []) =>
      users.createUser({ email: `${randomBytes(6).toString('hex')}@example.com`, password: null, roles });
    const newSession = (user: { id: number; fsUniquifier: string }, expiresInMs = 3600_000): NewSession => ({
      id: createHash('sha256').update(randomBytes(32)).digest('hex'),
      userId: user.id,
      fsUniquifier: user.fsUniquifier,
      lastSeenAt: at(0),
      expiresAt: at(expiresInMs),
      remember: false,
      authenticatedAt: at(0),
      csrfToken: randomBytes(32).toString('base64url'),
      data: {},
    });

    beforeAll(async () => {
      ({ sessions, users } = await make());
      await users.findOrCreateRole('contract-admin', { permissions: ['contract:read'] });
    });

    it('finds a live session with its user and roles', async () => {
      const user = await newUser(['contract-admin']);
      const created = await sessions.create(newSession(user));
      const found = await sessions.findWithUser(created.id);
      expect(found?.session).toMatchObject({ id: created.id, userId: user.id, fsUniquifier: user.fsUniquifier, remember: false, data: {} });
      expect(found?.session.expiresAt.getTime()).toBe(created.expiresAt.getTime());
      expect(found?.user).toMatchObject({ id: user.id, email: user.email, fsUniquifier: user.fsUniquifier, active: true });
      expect(found?.user.roles.map((role) => [role.name, role.permissions])).toEqual([['contract-admin', ['contract:read']]]);
      expect((await sessions.find(created.id))?.csrfToken).toBe(created.csrfToken);
    });

    it('never returns an expired or unknown session', async () => {
      const user = await newUser();
      const expired = await sessions.create(newSession(user, -1000));
      expect(await sessions.find(expired.id)).toBeNull();
      expect(await sessions.findWithUser(expired.id)).toBeNull();
      expect(await sessions.findWithUser('0'.repeat(64))).toBeNull();
    });

    it('updates the fields a session changes', async () => {
      const user = await newUser();
      const created = await sessions.create(newSession(user));
      const patch = { lastSeenAt: at(1000), expiresAt: at(7200_000), authenticatedAt: at(2000), data: { pending: 'tf', n: 1 } };
      await sessions.update(created.id, patch);
      const found = await sessions.find(created.id);
      expect(found).toMatchObject(patch);
    });

    it('deletes one session, all of a user, and the stale ones of a user', async () => {
      const [alice, bob] = [await newUser(), await newUser()];
      const [a1, a2, b1] = [
        await sessions.create(newSession(alice)),
        await sessions.create(newSession(alice)),
        await sessions.create(newSession(bob)),
      ];
      await sessions.delete(a1.id);
      expect(await sessions.find(a1.id)).toBeNull();
      expect(await sessions.find(a2.id)).not.toBeNull();
      await sessions.deleteAllForUser(alice.id);
      expect(await sessions.find(a2.id)).toBeNull();
      expect(await sessions.find(b1.id)).not.toBeNull();

      const old = await sessions.create({ ...newSession(bob), fsUniquifier: 'rotated-away' });
      await sessions.deleteStaleForUser(bob.id, bob.fsUniquifier);
      expect(await sessions.findWithUser(old.id)).toBeNull();
      expect(await sessions.find(b1.id)).not.toBeNull();
      await sessions.deleteExpired();
      expect(await sessions.find(b1.id)).not.toBeNull();
    });

    it('deleteExpired(limit) deletes at most limit expired sessions, never a live one, and says how many', async () => {
      const user = await newUser();
      const expired = [];
      for (let i = 0; i < 3; i++) expired.push(await sessions.create(newSession(user, -60_000)));
      const live = await sessions.create(newSession(user));
      const first = await sessions.deleteExpired(2);
      expect(first).toBe(2);
      const rest = await sessions.deleteExpired();
      // Other tests of the suite may have left expired sessions behind: at least ours went.
      expect(first + rest).toBeGreaterThanOrEqual(3);
      for (const session of expired) expect(await sessions.find(session.id)).toBeNull();
      expect(await sessions.find(live.id)).not.toBeNull();
    });

    it('keeps the user agent and address given at creation (null when left out)', async () => {
      const user = await newUser();
      const withDevice = await sessions.create({
        ...newSession(user),
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
        ip: '203.0.113.7',
      });
      const without = await sessions.create(newSession(user));
      expect(await sessions.find(withDevice.id)).toMatchObject({
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
        ip: '203.0.113.7',
      });
      expect((await sessions.findWithUser(withDevice.id))?.session).toMatchObject({
        userAgent: expect.stringContaining('Firefox'),
        ip: '203.0.113.7',
      });
      expect(await sessions.find(without.id)).toMatchObject({ userAgent: null, ip: null });
    });

    it("lists a user's live sessions only, the most recently seen first", async () => {
      const [alice, bob] = [await newUser(), await newUser()];
      const older = await sessions.create({ ...newSession(alice), lastSeenAt: at(-60_000) });
      const newer = await sessions.create(newSession(alice));
      await sessions.create(newSession(alice, -1000));
      await sessions.create(newSession(bob));
      const listed = await sessions.listForUser(alice.id);
      expect(listed.map((session) => session.id)).toEqual([newer.id, older.id]);
      expect(listed[0]).toMatchObject({ userId: alice.id, fsUniquifier: alice.fsUniquifier, createdAt: expect.any(Date) });
      expect(await sessions.listForUser(-1)).toEqual([]);
    });

    it("deletes every other session of a user, or all of them, and no one else's", async () => {
      const [alice, bob] = [await newUser(), await newUser()];
      const [keep, other1, other2, bobs] = [
        await sessions.create(newSession(alice)),
        await sessions.create(newSession(alice)),
        await sessions.create(newSession(alice)),
        await sessions.create(newSession(bob)),
      ];
      expect(await sessions.deleteOthersForUser(alice.id, keep.id)).toBe(2);
      expect(await sessions.find(other1.id)).toBeNull();
      expect(await sessions.find(other2.id)).toBeNull();
      expect(await sessions.find(keep.id)).not.toBeNull();
      expect(await sessions.find(bobs.id)).not.toBeNull();
      // Another user's session id as the one to keep keeps none of this user's.
      expect(await sessions.deleteOthersForUser(alice.id, bobs.id)).toBe(1);
      expect(await sessions.find(keep.id)).toBeNull();
      expect(await sessions.find(bobs.id)).not.toBeNull();
      expect(await sessions.deleteOthersForUser(bob.id, null)).toBe(1);
      expect(await sessions.find(bobs.id)).toBeNull();
    });

    it('hands out the user as now stored: a rotated uniquifier shows', async () => {
      const user = await newUser();
      const created = await sessions.create(newSession(user));
      await users.setUniquifier(user);
      const found = await sessions.findWithUser(created.id);
      expect(found?.user.fsUniquifier).toBe(user.fsUniquifier);
      expect(found?.session.fsUniquifier).not.toBe(user.fsUniquifier);
    });
  });
}
