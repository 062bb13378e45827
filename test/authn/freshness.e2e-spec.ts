import request from 'supertest';
import { type AuthnApp, basic, createAuthnApp } from '../support/authn-app.js';
import { ProtectedController } from './protected.controller.js';
import { TEST_PLATFORMS } from '../support/platform.js';

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const PASSWORD = 'correct horse battery';

  describe('freshness: @AuthRequired({ within }) and POST /auth/verify (real PostgreSQL)', () => {
    let authn: AuthnApp;

    beforeAll(async () => {
      authn = await createAuthnApp({ controllers: [ProtectedController], options: { freshnessGracePeriod: 0 } }, platform);
    });

    afterAll(() => authn?.close());

    it('a session signed in 10 minutes ago gets 401 REAUTH_REQUIRED on a 5-minute route; /verify makes it pass', async () => {
      const user = await authn.createUser('stale@example.com', PASSWORD);
      const signed = await authn.login('stale@example.com', PASSWORD);
      const fresh = () => request(authn.server).get('/p/fresh').set('Cookie', signed.cookie);
      expect((await fresh()).status).toBe(200);

      await authn.dataSource.query(
        `UPDATE security_session SET authenticated_at = now() - interval '10 minutes', data = '{}' WHERE user_id = $1`,
        [user.id],
      );
      const stale = await fresh();
      expect(stale.status).toBe(401);
      expect(stale.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String), code: 'REAUTH_REQUIRED' });
      // Routes without `within` do not care.
      expect((await request(authn.server).get('/p/session').set('Cookie', signed.cookie)).status).toBe(200);

      const wrong = await request(authn.server)
        .post('/auth/verify')
        .set('Cookie', signed.cookie)
        .set('X-XSRF-Token', signed.csrf)
        .send({ password: 'not it at all' });
      expect(wrong.status).toBe(400);
      expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
      expect((await fresh()).status).toBe(401);

      const verified = await request(authn.server)
        .post('/auth/verify')
        .set('Cookie', signed.cookie)
        .set('X-XSRF-Token', signed.csrf)
        .send({ password: PASSWORD });
      expect(verified.status).toBe(200);
      expect(verified.body).toEqual({
        user: { id: user.id, email: 'stale@example.com', roles: [] },
        authentication_token: expect.any(String),
      });
      expect((await fresh()).status).toBe(200);
    });

    it("token auth uses the token's fs_paa: an old one gets REAUTH_REQUIRED; /verify returns a fresh token", async () => {
      const user = await authn.createUser('stale-token@example.com', PASSWORD);
      const old = authn.tokens.auth(user, new Date(Date.now() - 10 * 60_000));
      expect((await request(authn.server).get('/p/fresh').set('Authentication-Token', old)).body.code).toBe('REAUTH_REQUIRED');
      const verified = await request(authn.server).post('/auth/verify').set('Authentication-Token', old).send({ password: PASSWORD });
      expect(verified.status).toBe(200);
      const response = await request(authn.server).get('/p/fresh').set('Authentication-Token', verified.body.authentication_token);
      expect(response.status).toBe(200);
    });

    it('Basic is always fresh', async () => {
      await authn.createUser('basic-fresh@example.com', PASSWORD);
      expect((await request(authn.server).get('/p/fresh').set('Authorization', basic('basic-fresh@example.com', PASSWORD))).status).toBe(
        200,
      );
    });
  });

  describe('freshness grace period', () => {
    let authn: AuthnApp;

    beforeAll(async () => {
      authn = await createAuthnApp({ controllers: [ProtectedController], options: { freshnessGracePeriod: '10 minutes' } }, platform);
    });

    afterAll(() => authn?.close());

    it('a session that passed the check stays fresh for the grace period, kept in the session row', async () => {
      const user = await authn.createUser('grace@example.com', PASSWORD);
      const signed = await authn.login('grace@example.com', PASSWORD);
      expect((await request(authn.server).get('/p/fresh').set('Cookie', signed.cookie)).status).toBe(200);
      const [row] = await authn.dataSource.query('SELECT data FROM security_session WHERE user_id = $1', [user.id]);
      expect(row.data.fs_gexp).toBeGreaterThan(Date.now() / 1000 + 9 * 60);
      await authn.dataSource.query(`UPDATE security_session SET authenticated_at = now() - interval '1 hour' WHERE user_id = $1`, [
        user.id,
      ]);
      expect((await request(authn.server).get('/p/fresh').set('Cookie', signed.cookie)).status).toBe(200);
      await authn.dataSource.query(`UPDATE security_session SET data = '{"fs_gexp": 1}' WHERE user_id = $1`, [user.id]);
      expect((await request(authn.server).get('/p/fresh').set('Cookie', signed.cookie)).status).toBe(401);
    });

    it('within 0: of two identical requests neither passes, and a refusal writes no grace period', async () => {
      const user = await authn.createUser('always@example.com', PASSWORD);
      const signed = await authn.login('always@example.com', PASSWORD);
      const always = () => request(authn.server).get('/p/fresh-always').set('Cookie', signed.cookie);
      expect((await always()).status).toBe(401);
      expect((await always()).body.code).toBe('REAUTH_REQUIRED');
      const [row] = await authn.dataSource.query('SELECT data FROM security_session WHERE user_id = $1', [user.id]);
      expect(row.data.fs_gexp).toBeUndefined();
      // A stale session refused by a 5-minute route gets no grace period either.
      await authn.dataSource.query(`UPDATE security_session SET authenticated_at = now() - interval '1 hour' WHERE user_id = $1`, [
        user.id,
      ]);
      expect((await request(authn.server).get('/p/fresh').set('Cookie', signed.cookie)).status).toBe(401);
      expect((await request(authn.server).get('/p/fresh').set('Cookie', signed.cookie)).status).toBe(401);
      expect((await always()).status).toBe(401);
    });

    it('within 0 passes inside a grace period that a passing check started', async () => {
      await authn.createUser('always-grace@example.com', PASSWORD);
      const signed = await authn.login('always-grace@example.com', PASSWORD);
      expect((await request(authn.server).get('/p/fresh').set('Cookie', signed.cookie)).status).toBe(200);
      expect((await request(authn.server).get('/p/fresh-always').set('Cookie', signed.cookie)).status).toBe(200);
    });
  });
});
