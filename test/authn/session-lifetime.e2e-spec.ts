import request from 'supertest';
import { type AuthnApp, createAuthnApp, setCookiesOf } from '../support/authn-app.js';
import { ProtectedController } from './protected.controller.js';
import { TEST_PLATFORMS } from '../support/platform.js';

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const PASSWORD = 'correct horse battery';

  describe('session lifetime and deactivation (real PostgreSQL)', () => {
    let authn: AuthnApp;

    beforeAll(async () => {
      authn = await createAuthnApp({ controllers: [ProtectedController], options: { session: { absoluteMaxAge: '2 days' } } }, platform);
    });
    afterAll(() => authn?.close());

    it('ends a session at session.absoluteMaxAge, however active it is', async () => {
      const user = await authn.createUser('absolute@example.com', PASSWORD);
      const signed = await authn.login('absolute@example.com', PASSWORD);
      const me = () => request(authn.server).get('/p/session').set('Cookie', signed.cookie);
      expect((await me()).status).toBe(200);
      // Active a minute ago, its idle expiry a day away, but created longer ago than the absolute lifetime.
      await authn.dataSource.query(
        `UPDATE security_session SET created_at = now() - interval '2 days 1 minute', last_seen_at = now() - interval '1 minute',
                expires_at = now() + interval '1 day' WHERE user_id = $1`,
        [user.id],
      );
      expect((await me()).status).toBe(401);
      expect(await authn.dataSource.query('SELECT id FROM security_session WHERE user_id = $1', [user.id])).toEqual([]);
    });

    it('never slides the expiry, nor a "remember me" cookie, past the absolute end', async () => {
      const user = await authn.createUser('sliding@example.com', PASSWORD);
      const login = await request(authn.server)
        .post('/auth/login')
        .send({ email: 'sliding@example.com', password: PASSWORD, remember: true });
      const [sessionCookie] = setCookiesOf(login.headers['set-cookie']);
      expect(Number(/Max-Age=(\d+)/.exec(sessionCookie!)![1])).toBeLessThanOrEqual(2 * 86400);
      const cookie = sessionCookie!.split(';')[0]!;
      // Created a day and a half ago, last seen 2 minutes ago: the next request slides the expiry.
      await authn.dataSource.query(
        `UPDATE security_session SET created_at = now() - interval '36 hours', last_seen_at = now() - interval '2 minutes' WHERE user_id = $1`,
        [user.id],
      );
      const slid = await request(authn.server).get('/p/session').set('Cookie', cookie);
      expect(slid.status).toBe(200);
      const [row] = await authn.dataSource.query(
        `SELECT expires_at <= created_at + interval '2 days' AS capped, expires_at > now() + interval '11 hours' AS live
           FROM security_session WHERE user_id = $1`,
        [user.id],
      );
      expect(row).toEqual({ capped: true, live: true });
      const renewed = setCookiesOf(slid.headers['set-cookie']).find((each) => each.startsWith('nest_security_session='));
      expect(Number(/Max-Age=(\d+)/.exec(renewed!)![1])).toBeLessThanOrEqual(12 * 3600 + 5);
    });

    it('deactivating a user ends its sessions and auth tokens for good: reactivating brings none back', async () => {
      const user = await authn.createUser('deactivated@example.com', PASSWORD);
      const signed = await authn.login('deactivated@example.com', PASSWORD);
      const uniquifierBound = await authn.createUser('deactivated-bound@example.com', PASSWORD);
      await authn.datastore.setTokenUniquifier(uniquifierBound, null);
      const boundToken = authn.tokens.auth(uniquifierBound);
      const viaCookie = () => request(authn.server).get('/p/session').set('Cookie', signed.cookie);
      const viaToken = (token: string) => request(authn.server).get('/p/token').set('Authentication-Token', token);
      expect((await viaCookie()).status).toBe(200);
      expect((await viaToken(signed.token)).status).toBe(200);
      expect((await viaToken(boundToken)).status).toBe(200);

      for (const each of [user, uniquifierBound]) await authn.datastore.deactivateUser(each);
      expect((await viaCookie()).status).toBe(401);
      expect((await viaToken(signed.token)).status).toBe(401);
      for (const each of [user, uniquifierBound]) await authn.datastore.activateUser(each);

      expect((await viaCookie()).status).toBe(401);
      expect((await viaToken(signed.token)).status).toBe(401);
      expect((await viaToken(boundToken)).status).toBe(401);
      // The account itself works again.
      const again = await authn.login('deactivated@example.com', PASSWORD);
      expect((await request(authn.server).get('/p/session').set('Cookie', again.cookie)).status).toBe(200);
    });
  });

  describe('Secure cookies by default when appUrl is https', () => {
    const apps: AuthnApp[] = [];
    afterAll(() => Promise.all(apps.map((app) => app.close())));

    /** The Set-Cookie headers of a login and of a logout. */
    const cookiesOfLoginAndLogout = async (authn: AuthnApp): Promise<string[]> => {
      await authn.createUser('cookies@example.com', PASSWORD);
      const signed = await authn.login('cookies@example.com', PASSWORD);
      const logout = await request(authn.server).post('/auth/logout').set('Cookie', signed.cookie).set('X-XSRF-Token', signed.csrf);
      expect(logout.status).toBe(200);
      return [...signed.setCookie, ...setCookiesOf(logout.headers['set-cookie'])];
    };

    it.each([
      ['https://app.example.test', undefined, true],
      ['http://localhost:3000', undefined, false],
      ['https://app.example.test', false, false],
      ['http://localhost:3000', true, true],
    ])('appUrl %s, session.secure %s: Secure %s on the session and CSRF cookies', async (appUrl, secure, expected) => {
      const authn = await createAuthnApp({ options: { appUrl, ...(secure === undefined ? {} : { session: { secure } }) } }, platform);
      apps.push(authn);
      const cookies = await cookiesOfLoginAndLogout(authn);
      expect(cookies.length).toBeGreaterThanOrEqual(4);
      for (const cookie of cookies) expect({ cookie, secure: /;\s*Secure(;|$)/.test(cookie) }).toEqual({ cookie, secure: expected });
    });
  });
});
