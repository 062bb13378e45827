import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { AUTHN_PASSWORD_SALT, type AuthnApp, cookiesOf, createAuthnApp, setCookiesOf } from '../support/authn-app.js';
import { ProtectedController } from './protected.controller.js';
import { TEST_PLATFORMS } from '../support/platform.js';

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const PASSWORD = 'correct horse battery';

  describe('POST /auth/login, /logout, /me, /tokens/revoke (real PostgreSQL)', () => {
    let authn: AuthnApp;

    beforeAll(async () => {
      authn = await createAuthnApp(
        {
          controllers: [ProtectedController],
          options: { trackable: true, usernameEnable: true, confirmable: true, session: { secure: true } },
        },
        platform,
      );
    });

    afterAll(() => authn?.close());

    describe('a successful login', () => {
      it('answers the user, a CSRF token, the auth token when asked, and sets the cookies', async () => {
        const user = await authn.createUser('jane@example.com', PASSWORD, ['admin']);
        const response = await request(authn.server)
          .post('/auth/login?include_auth_token')
          .send({ email: 'Jane@Example.com', password: PASSWORD });
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          user: { id: user.id, email: 'jane@example.com', roles: ['admin'] },
          csrf_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
          authentication_token: expect.any(String),
        });
        const [sessionCookie, csrfCookie] = setCookiesOf(response.headers['set-cookie']);
        expect(sessionCookie).toMatch(/^nest_security_session=[A-Za-z0-9_-]{43}; Path=\/; SameSite=Lax; HttpOnly; Secure$/);
        expect(csrfCookie).toBe(`XSRF-TOKEN=${response.body.csrf_token}; Path=/; SameSite=Lax; Secure`);

        // The database keeps the SHA-256 of the cookie, never the cookie.
        const secret = sessionCookie.split(';')[0].split('=')[1];
        const rows = await authn.dataSource.query('SELECT id, user_id, remember, fs_uniquifier FROM security_session WHERE user_id = $1', [
          user.id,
        ]);
        expect(rows).toEqual([
          { id: createHash('sha256').update(secret).digest('hex'), user_id: user.id, remember: false, fs_uniquifier: user.fsUniquifier },
        ]);

        // Both credentials work.
        const cookie = cookiesOf(response.headers['set-cookie']);
        expect((await request(authn.server).get('/auth/me').set('Cookie', cookie)).status).toBe(200);
        const byToken = await request(authn.server).get('/auth/me').set('Authorization', `Bearer ${response.body.authentication_token}`);
        expect(byToken.status).toBe(200);
      });

      it('no auth token without ?include_auth_token', async () => {
        await authn.createUser('notoken@example.com', PASSWORD);
        const response = await request(authn.server).post('/auth/login').send({ email: 'notoken@example.com', password: PASSWORD });
        expect(response.status).toBe(200);
        expect(response.body.authentication_token).toBeUndefined();
      });

      it('"remember" makes a persistent cookie and a long-lived session, within the absolute lifetime (30 days)', async () => {
        await authn.createUser('remember@example.com', PASSWORD);
        const response = await request(authn.server)
          .post('/auth/login')
          .send({ email: 'remember@example.com', password: PASSWORD, remember: true });
        const [sessionCookie, csrfCookie] = setCookiesOf(response.headers['set-cookie']);
        // rememberMaxAge is 365 days, but no session outlives session.absoluteMaxAge.
        for (const cookie of [sessionCookie, csrfCookie]) {
          const maxAge = Number(/Max-Age=(\d+)/.exec(cookie!)![1]);
          expect(maxAge).toBeLessThanOrEqual(30 * 86400);
          expect(maxAge).toBeGreaterThan(30 * 86400 - 60);
        }
        const [row] = await authn.dataSource.query(
          `SELECT remember, expires_at > now() + interval '29 days' AND expires_at <= created_at + interval '30 days' AS long
             FROM security_session s JOIN "user" u ON u.id = s.user_id WHERE u.email = $1`,
          ['remember@example.com'],
        );
        expect(row).toEqual({ remember: true, long: true });
      });

      it('rotates the session: the session cookie sent along is destroyed', async () => {
        await authn.createUser('rotate@example.com', PASSWORD);
        const first = await authn.login('rotate@example.com', PASSWORD);
        const second = await request(authn.server)
          .post('/auth/login')
          .set('Cookie', first.cookie)
          .set('X-XSRF-Token', first.csrf)
          .send({ email: 'rotate@example.com', password: PASSWORD });
        expect(second.status).toBe(200);
        expect(cookiesOf(second.headers['set-cookie'])).not.toBe(first.cookie);
        expect((await request(authn.server).get('/auth/me').set('Cookie', first.cookie)).status).toBe(401);
        expect((await request(authn.server).get('/auth/me').set('Cookie', cookiesOf(second.headers['set-cookie']))).status).toBe(200);
      });

      it('updates the trackable fields and emits user.authenticated without secrets', async () => {
        const user = await authn.createUser('track@example.com', PASSWORD);
        authn.events.length = 0;
        await authn.login('track@example.com', PASSWORD);
        await authn.login('track@example.com', PASSWORD);
        const stored = await authn.datastore.findUser({ id: user.id });
        expect(stored).toMatchObject({
          loginCount: 2,
          currentLoginIp: expect.stringMatching(/127\.0\.0\.1/),
          lastLoginIp: expect.stringMatching(/127\.0\.0\.1/),
        });
        expect(stored!.currentLoginAt!.getTime()).toBeGreaterThanOrEqual(stored!.lastLoginAt!.getTime());
        expect(authn.events.filter((event) => event.name === 'user.authenticated')).toEqual([
          { name: 'user.authenticated', payload: { userId: user.id, via: 'password' } },
          { name: 'user.authenticated', payload: { userId: user.id, via: 'password' } },
        ]);
      });

      it('signs in by username when usernames are on', async () => {
        await authn.createUser('named@example.com', PASSWORD, [], { username: 'named' });
        const response = await request(authn.server).post('/auth/login').send({ username: 'Named', password: PASSWORD });
        expect(response.status).toBe(200);
        expect(response.body.user.email).toBe('named@example.com');
      });

      it('rehashes an outdated hash, without rotating the uniquifier', async () => {
        const bcrypt = new PasswordHasher({ passwordSalt: AUTHN_PASSWORD_SALT, scheme: 'bcrypt', bcryptRounds: 4 });
        const user = await authn.datastore.createUser({
          email: 'old@example.com',
          password: await bcrypt.hash(PASSWORD),
          confirmedAt: new Date(),
        });
        expect(user.password).toMatch(/^\$2[aby]\$/);
        await authn.login('old@example.com', PASSWORD);
        const stored = await authn.datastore.findUser({ id: user.id });
        expect(stored!.password).toMatch(/^\$argon2id\$/);
        expect(stored!.fsUniquifier).toBe(user.fsUniquifier);
        await authn.login('old@example.com', PASSWORD);
      });
    });

    describe('a failed login is one generic answer', () => {
      const failures: Array<[label: string, body: Record<string, unknown>]> = [
        ['unknown account', { email: 'nobody@example.com', password: PASSWORD }],
        ['wrong password', { email: 'generic@example.com', password: 'wrong password!' }],
        ['inactive user', { email: 'inactive@example.com', password: PASSWORD }],
        ['unconfirmed user', { email: 'unconfirmed@example.com', password: PASSWORD }],
        ['passwordless user', { email: 'nopassword@example.com', password: PASSWORD }],
        ['unknown username', { username: 'nobody', password: PASSWORD }],
      ];

      beforeAll(async () => {
        await authn.createUser('generic@example.com', PASSWORD);
        await authn.createUser('inactive@example.com', PASSWORD, [], { active: false });
        await authn.createUser('unconfirmed@example.com', PASSWORD, [], { confirmedAt: null });
        await authn.datastore.createUser({ email: 'nopassword@example.com', password: null, confirmedAt: new Date() });
      });

      it.each(failures)('%s: 400 INVALID_CREDENTIALS, no cookie, a password hash verified', async (_label, body) => {
        const verify = jest.spyOn(authn.hasher, 'verify');
        try {
          const response = await request(authn.server).post('/auth/login').send(body);
          expect(response.status).toBe(400);
          expect(response.body).toEqual({
            statusCode: 400,
            error: 'Bad Request',
            message: 'Invalid credentials',
            code: 'INVALID_CREDENTIALS',
          });
          expect(response.headers['set-cookie']).toBeUndefined();
          // Unknown accounts cost a hash too (against the dummy hash): same time, within noise.
          expect(verify).toHaveBeenCalledTimes(1);
        } finally {
          verify.mockRestore();
        }
      });
    });

    describe('malformed bodies are 400, never 500', () => {
      const bodies: Array<[label: string, body: string, field: string | null]> = [
        ['invalid JSON', '{"email": "a@b.c", "password": ', null],
        ['a JSON array', '[1,2,3]', null],
        ['JSON null', 'null', null],
        ['a number for the password', '{"email":"a@example.com","password":12345678}', 'password'],
        ['an object for the email', '{"email":{"$ne":null},"password":"x"}', 'email'],
        ['a string for remember', '{"email":"a@example.com","password":"12345678","remember":"yes"}', 'remember'],
        ['an unknown field', '{"email":"a@example.com","password":"12345678","admin":true}', 'admin'],
        // 60,000 characters: a field error; past 65,536 in all the body is refused whole (BODY_TOO_COMPLEX).
        ['a huge email', JSON.stringify({ email: `${'a'.repeat(60_000)}@example.com`, password: 'x' }), 'email'],
        ['a huge password', JSON.stringify({ email: 'a@example.com', password: 'p'.repeat(50_000) }), 'password'],
        ['no identity', '{"password":"12345678"}', 'email'],
        ['no password', '{"email":"a@example.com"}', 'password'],
        ['an empty body', '', null],
      ];

      it.each(bodies)('%s', async (_label, body, field) => {
        const response = await request(authn.server).post('/auth/login').set('Content-Type', 'application/json').send(body);
        expect(response.status).toBe(400);
        expect(response.body.statusCode).toBe(400);
        expect(typeof response.body.code).toBe('string');
        if (field) expect(Object.keys(response.body.errors ?? {})).toContain(field);
        expect(JSON.stringify(response.body)).not.toContain('ppppp');
      });

      it('POST /verify and /tokens/revoke validate their bodies too', async () => {
        await authn.createUser('bodies@example.com', PASSWORD);
        const { token } = await authn.login('bodies@example.com', PASSWORD);
        for (const [path, body] of [
          ['/auth/verify', { password: 42 }],
          ['/auth/verify', { password: PASSWORD, extra: 1 }],
          ['/auth/tokens/revoke', { anything: true }],
          ['/auth/logout', { csrf_token: ['x'] }],
        ] as const) {
          const response = await request(authn.server).post(path).set('Authentication-Token', token).send(body);
          expect(response.status).toBe(400);
          expect(response.body.code).toBe('VALIDATION_ERROR');
        }
      });
    });

    describe('logout', () => {
      it('destroys the session: replaying the old cookie gets 401; the cookies are cleared', async () => {
        await authn.createUser('logout@example.com', PASSWORD);
        const signed = await authn.login('logout@example.com', PASSWORD);
        const response = await request(authn.server).post('/auth/logout').set('Cookie', signed.cookie).set('X-XSRF-Token', signed.csrf);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({});
        const cleared = setCookiesOf(response.headers['set-cookie']);
        expect(cleared).toEqual([
          expect.stringMatching(/^nest_security_session=; .*Max-Age=0/),
          expect.stringMatching(/^XSRF-TOKEN=; .*Max-Age=0/),
        ]);
        expect((await request(authn.server).get('/auth/me').set('Cookie', signed.cookie)).status).toBe(401);
        const rows = await authn.dataSource.query(`SELECT 1 FROM security_session s JOIN "user" u ON u.id = s.user_id WHERE u.email = $1`, [
          'logout@example.com',
        ]);
        expect(rows).toHaveLength(0);
      });

      it('answers 200 without a session, or with a dead one', async () => {
        expect((await request(authn.server).post('/auth/logout')).status).toBe(200);
        const dead = `nest_security_session=${'A'.repeat(43)}`;
        expect((await request(authn.server).post('/auth/logout').set('Cookie', dead)).status).toBe(200);
      });
    });

    describe('POST /auth/tokens/revoke', () => {
      it('kills every auth token of the user; ?include_auth_token hands out a new one', async () => {
        await authn.createUser('revoke@example.com', PASSWORD);
        const first = await authn.login('revoke@example.com', PASSWORD);
        const second = await authn.login('revoke@example.com', PASSWORD);
        const response = await request(authn.server)
          .post('/auth/tokens/revoke?include_auth_token')
          .set('Authentication-Token', first.token);
        expect(response.status).toBe(200);
        expect(response.body.authentication_token).toEqual(expect.any(String));
        for (const token of [first.token, second.token]) {
          expect((await request(authn.server).get('/auth/me').set('Authentication-Token', token)).status).toBe(401);
        }
        expect((await request(authn.server).get('/auth/me').set('Authentication-Token', response.body.authentication_token)).status).toBe(
          200,
        );
        // Sessions are not tokens: they live on.
        expect((await request(authn.server).get('/auth/me').set('Cookie', second.cookie)).status).toBe(200);
      });
    });
  });
});
