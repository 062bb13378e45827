import { jest } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import { UserCache } from '../../src/authn/cache/user-cache.js';
import { type AuthnApp, createAuthnApp } from '../support/authn-app.js';
import { ProtectedController } from './protected.controller.js';
import { TEST_PLATFORMS } from '../support/platform.js';

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const PASSWORD = 'correct horse battery';

  /** Polls until `check` holds (NOTIFY arrives asynchronously), for at most `ms`. */
  async function eventually(check: () => Promise<boolean>, ms = 3000): Promise<boolean> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (await check()) return true;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return check();
  }

  describe('the optional user cache, invalidated through LISTEN/NOTIFY (real PostgreSQL)', () => {
    let authn: AuthnApp;

    beforeAll(async () => {
      authn = await createAuthnApp({ controllers: [ProtectedController], options: { userCache: { enabled: true, ttl: 300 } } }, platform);
    });

    afterAll(() => authn?.close());

    const asToken = (path: string, token: string) => request(authn.server).get(path).set('Authentication-Token', token);

    it('turns on, and serves token users from memory: no query after the first request', async () => {
      expect(authn.app.get(UserCache).enabled).toBe(true);
      const user = await authn.createUser('cached@example.com', PASSWORD);
      const token = authn.tokens.auth(user);
      // Counted at the driver: every statement, whichever path sends it.
      const query = jest.spyOn(pg.Client.prototype, 'query');
      const find = jest.spyOn(authn.datastore, 'findUserByAuthTokenUid');
      try {
        expect((await asToken('/p/token', token)).status).toBe(200);
        expect(find).toHaveBeenCalled();
        find.mockClear();
        query.mockClear();
        for (let i = 0; i < 5; i++) expect((await asToken('/p/token', token)).status).toBe(200);
        expect(find).not.toHaveBeenCalled();
        expect(query).not.toHaveBeenCalled();
      } finally {
        find.mockRestore();
        query.mockRestore();
      }
    });

    it('still checks the signature and the expiry of every token (no cache hit for a bad one)', async () => {
      const user = await authn.createUser('cached-bad@example.com', PASSWORD);
      const token = authn.tokens.auth(user);
      expect((await asToken('/p/token', token)).status).toBe(200);
      expect((await asToken('/p/token', token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).status).toBe(401);
    });

    it('a change made elsewhere (plain SQL, as another process or the CLI) is heard at once', async () => {
      const user = await authn.createUser('rotated@example.com', PASSWORD);
      const token = authn.tokens.auth(user);
      expect((await asToken('/p/token', token)).status).toBe(200);
      await authn.dataSource.query(`UPDATE "user" SET fs_token_uniquifier = md5(random()::text) WHERE id = $1`, [user.id]);
      expect(await eventually(async () => (await asToken('/p/token', token)).status === 401)).toBe(true);
    });

    it('deactivation and role changes are heard too', async () => {
      const user = await authn.createUser('roles-cached@example.com', PASSWORD, ['admin']);
      const token = authn.tokens.auth(user);
      expect((await asToken('/p/admin', token)).status).toBe(200);
      await authn.dataSource.query(`DELETE FROM roles_users WHERE user_id = $1`, [user.id]);
      expect(await eventually(async () => (await asToken('/p/admin', token)).status === 403)).toBe(true);
      await authn.dataSource.query(`UPDATE "user" SET active = false WHERE id = $1`, [user.id]);
      expect(await eventually(async () => (await asToken('/p/token', token)).status === 401)).toBe(true);
    });

    it('a permission taken from a role is heard for every user', async () => {
      const user = await authn.createUser('perm-cached@example.com', PASSWORD, ['reporter']);
      const token = authn.tokens.auth(user);
      expect((await asToken('/p/reports', token)).status).toBe(200);
      await authn.dataSource.query(`UPDATE role SET permissions = NULL WHERE name = 'reporter'`);
      expect(await eventually(async () => (await asToken('/p/reports', token)).status === 403)).toBe(true);
    });

    it('POST /auth/tokens/revoke is immediate in this process', async () => {
      const user = await authn.createUser('revoke-cached@example.com', PASSWORD);
      const token = authn.tokens.auth(user);
      expect((await asToken('/p/token', token)).status).toBe(200);
      expect((await request(authn.server).post('/auth/tokens/revoke').set('Authentication-Token', token)).status).toBe(200);
      expect((await asToken('/p/token', token)).status).toBe(401);
    });

    it('refuses to turn on without the notify triggers', async () => {
      await authn.dataSource.query(`DROP TRIGGER nest_security_user_changed ON "user"`);
      try {
        const other = await createAuthnApp({ database: authn.database, options: { userCache: { enabled: true } } }, platform);
        try {
          expect(other.app.get(UserCache).enabled).toBe(false);
        } finally {
          await other.close();
        }
      } finally {
        await authn.dataSource.query(
          `CREATE TRIGGER nest_security_user_changed AFTER UPDATE OR DELETE ON "user" FOR EACH ROW EXECUTE FUNCTION nest_security_notify_user_changed('id')`,
        );
      }
    });
  });
});
