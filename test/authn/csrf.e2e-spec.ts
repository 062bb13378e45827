import request from 'supertest';
import { type AuthnApp, basic, cookiesOf, createAuthnApp, type SignedIn } from '../support/authn-app.js';
import { ProtectedController } from './protected.controller.js';
import { TEST_PLATFORMS } from '../support/platform.js';

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const PASSWORD = 'correct horse battery';

  describe('CSRF protection of cookie-authenticated requests (real PostgreSQL)', () => {
    let authn: AuthnApp;
    let signed: SignedIn;

    beforeAll(async () => {
      authn = await createAuthnApp({ controllers: [ProtectedController] }, platform);
      await authn.createUser('csrf@example.com', PASSWORD);
      signed = await authn.login('csrf@example.com', PASSWORD);
    });

    afterAll(() => authn?.close());

    it('a cookie POST without the token is refused with 400 CSRF_FAILED', async () => {
      const response = await request(authn.server).post('/p/write').set('Cookie', signed.cookie);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.any(String), code: 'CSRF_FAILED' });
    });

    it('a wrong token is refused; the token of another session too', async () => {
      const other = await authn.login('csrf@example.com', PASSWORD);
      for (const token of ['wrong', other.csrf, signed.csrf + 'x', 'x'.repeat(1000)]) {
        const response = await request(authn.server).post('/p/write').set('Cookie', signed.cookie).set('X-XSRF-Token', token);
        expect(response.status).toBe(400);
        expect(response.body.code).toBe('CSRF_FAILED');
      }
    });

    it('the X-XSRF-Token header (as the XSRF-TOKEN cookie holds it) or a csrf_token body field passes', async () => {
      const xsrfCookie = signed.setCookie.find((cookie) => cookie.startsWith('XSRF-TOKEN='))!;
      expect(xsrfCookie).not.toContain('HttpOnly');
      const fromCookie = xsrfCookie.split(';')[0].split('=')[1];
      expect(fromCookie).toBe(signed.csrf);
      const byHeader = await request(authn.server).post('/p/write').set('Cookie', signed.cookie).set('X-XSRF-Token', fromCookie);
      expect(byHeader.status).toBe(201);
      expect(byHeader.body).toEqual({ email: 'csrf@example.com', via: 'session' });
      const byBody = await request(authn.server).post('/p/write').set('Cookie', signed.cookie).send({ csrf_token: signed.csrf });
      expect(byBody.status).toBe(201);
    });

    it('token and Basic requests need no CSRF token, even with a session cookie along (token wins)', async () => {
      const byToken = await request(authn.server).post('/p/write').set('Authentication-Token', signed.token).set('Cookie', signed.cookie);
      expect(byToken.status).toBe(201);
      expect(byToken.body.via).toBe('token');
      const byBasic = await request(authn.server).post('/p/write').set('Authorization', basic('csrf@example.com', PASSWORD));
      expect(byBasic.status).toBe(201);
      expect(byBasic.body.via).toBe('basic');
    });

    it('GET requests need none', async () => {
      expect((await request(authn.server).get('/p/session').set('Cookie', signed.cookie)).status).toBe(200);
    });

    it('applies to the endpoints of the API: /verify, /tokens/revoke, /logout, and /login over a live session', async () => {
      const session = await authn.login('csrf@example.com', PASSWORD);
      for (const path of ['/auth/verify', '/auth/tokens/revoke', '/auth/logout']) {
        const body = path === '/auth/verify' ? { password: PASSWORD } : {};
        const response = await request(authn.server).post(path).set('Cookie', session.cookie).send(body);
        expect(response.status).toBe(400);
        expect(response.body.code).toBe('CSRF_FAILED');
      }
      const relogin = await request(authn.server)
        .post('/auth/login')
        .set('Cookie', session.cookie)
        .send({ email: 'csrf@example.com', password: PASSWORD });
      expect(relogin.status).toBe(400);
      expect(relogin.body.code).toBe('CSRF_FAILED');
      // Still signed in: nothing happened.
      expect((await request(authn.server).get('/auth/me').set('Cookie', session.cookie)).status).toBe(200);
      const logout = await request(authn.server).post('/auth/logout').set('Cookie', session.cookie).set('X-XSRF-Token', session.csrf);
      expect(logout.status).toBe(200);
    });

    it('GET /auth/csrf gives the session its token (and the cookie) again; a pre-session one without a session', async () => {
      const response = await request(authn.server).get('/auth/csrf').set('Cookie', signed.cookie);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ csrf_token: signed.csrf });
      expect(cookiesOf(response.headers['set-cookie'])).toContain(`XSRF-TOKEN=${signed.csrf}`);
      const anonymous = (await request(authn.server).get('/auth/csrf')).body;
      expect(anonymous).toEqual({ csrf_token: expect.any(String) });
      expect(anonymous.csrf_token).not.toBe(signed.csrf);
    });
  });

  describe('CSRF switched off', () => {
    let authn: AuthnApp;

    beforeAll(async () => {
      authn = await createAuthnApp({ controllers: [ProtectedController], options: { csrf: { enabled: false } } }, platform);
      await authn.createUser('nocsrf@example.com', PASSWORD);
    });

    afterAll(() => authn?.close());

    it('cookie POSTs pass without a token, and no XSRF cookie or csrf_token is handed out', async () => {
      const signed = await authn.login('nocsrf@example.com', PASSWORD);
      expect(signed.body.csrf_token).toBeUndefined();
      expect(signed.setCookie.some((cookie) => cookie.startsWith('XSRF-TOKEN='))).toBe(false);
      expect((await request(authn.server).post('/p/write').set('Cookie', signed.cookie)).status).toBe(201);
    });
  });
});
