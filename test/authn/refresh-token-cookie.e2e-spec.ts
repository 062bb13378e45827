import request from 'supertest';
import { URLSafeSerializer } from '../../src/core/signing/index.js';
import { AUTHN_SECRET_KEY, type AuthnApp, cookiesOf, createAuthnApp, setCookiesOf } from '../support/authn-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';

const PASSWORD = 'correct horse battery';
const COOKIE = 'fs_refresh';
const payloadOf = (token: string) =>
  new URLSafeSerializer(AUTHN_SECRET_KEY, { salt: 'refresh-token-salt' }).loads(token) as Record<string, unknown>;

/** The refresh-token Set-Cookie of an answer, if any. */
const refreshSetCookie = (answer: { headers: Record<string, unknown> }) =>
  setCookiesOf(answer.headers['set-cookie'] as string[] | undefined).find((each) => each.startsWith(`${COOKIE}=`));
/** The token a browser keeps from that Set-Cookie. */
const tokenOf = (answer: { headers: Record<string, unknown> }) =>
  refreshSetCookie(answer)!
    .split(';')[0]!
    .slice(COOKIE.length + 1);

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  describe('refresh tokens in a cookie (refreshTokens.cookieName, real PostgreSQL)', () => {
    let authn: AuthnApp;
    let seq = 0;

    beforeAll(async () => {
      authn = await createAuthnApp(
        { options: { appUrl: 'https://app.example.test', refreshTokens: { enabled: true, cookieName: COOKIE } } },
        platform,
      );
    });
    afterAll(() => authn?.close());

    /** A new user signed in with ?include_auth_token: the session (cookie, CSRF token) and the refresh cookie's token. */
    async function signedIn() {
      const email = `cookie${++seq}@example.com`;
      const user = await authn.createUser(email, PASSWORD);
      const login = await request(authn.server).post('/auth/login?include_auth_token').send({ email, password: PASSWORD });
      expect(login.status).toBe(200);
      const session = cookiesOf(setCookiesOf(login.headers['set-cookie']).filter((each) => !each.startsWith(`${COOKIE}=`)));
      return { user, email, login, session, csrf: login.body.csrf_token as string, refreshToken: tokenOf(login) };
    }
    /** POST /refresh-token as the page would: JSON, the refresh cookie, the session's cookies and CSRF header. */
    const refresh = (token: string, s: { session: string; csrf: string }) =>
      request(authn.server)
        .post('/auth/refresh-token')
        .set('Cookie', `${s.session}; ${COOKIE}=${token}`)
        .set('X-XSRF-Token', s.csrf)
        .send({});
    const familyRow = async (family: unknown) =>
      (await authn.dataSource.query('SELECT gen, revoked_at FROM fs_refresh WHERE refresh_family = $1', [family]))[0];

    it('sign-in sets the cookie, HttpOnly, Secure (https appUrl), SameSite=Strict, on the refresh route only; the body has no refresh_token', async () => {
      const { login, refreshToken } = await signedIn();
      expect(login.body.authentication_token).toEqual(expect.any(String));
      expect(login.body).not.toHaveProperty('refresh_token');
      const attributes = refreshSetCookie(login)!.split('; ').slice(1);
      expect(attributes).toEqual(expect.arrayContaining(['Path=/auth/refresh-token', 'SameSite=Strict', 'HttpOnly', 'Secure']));
      // As long as the family may live: 90 days.
      const maxAge = Number(attributes.find((each) => each.startsWith('Max-Age='))!.slice('Max-Age='.length));
      expect(Math.abs(maxAge - 90 * 86400)).toBeLessThan(60);
      expect(await familyRow(payloadOf(refreshToken).family)).toEqual({ gen: 1, revoked_at: null });
    });

    it('rotates through the cookie: each answer sets the next generation, and its auth token works', async () => {
      const s = await signedIn();
      const second = await refresh(s.refreshToken, s);
      expect(second.status).toBe(200);
      expect(Object.keys(second.body).sort()).toEqual(['authentication_token', 'user']);
      expect(payloadOf(tokenOf(second))).toEqual(expect.objectContaining({ family: payloadOf(s.refreshToken).family, gen: 2 }));
      expect(refreshSetCookie(second)).toContain('Path=/auth/refresh-token');
      await request(authn.server).get('/auth/me').set('Authentication-Token', second.body.authentication_token).expect(200);
      const third = await refresh(tokenOf(second), s);
      expect(third.status).toBe(200);
      expect(payloadOf(tokenOf(third)).gen).toBe(3);
    });

    it('a replayed cookie revokes the family, the newest token too, and the answer deletes the cookie', async () => {
      const s = await signedIn();
      const rotated = await refresh(s.refreshToken, s);
      expect(rotated.status).toBe(200);
      const replay = await refresh(s.refreshToken, s);
      expect({ status: replay.status, code: replay.body.code }).toEqual({ status: 401, code: 'REFRESH_TOKEN_REUSED' });
      expect(refreshSetCookie(replay)).toMatch(/^fs_refresh=; Path=\/auth\/refresh-token; SameSite=Strict; Max-Age=0;/);
      const newest = await refresh(tokenOf(rotated), s);
      expect({ status: newest.status, message: newest.body.message }).toEqual({
        status: 401,
        message: 'Refresh token is invalid (REVOKED)',
      });
      expect((await familyRow(payloadOf(s.refreshToken).family)).revoked_at).not.toBeNull();
    });

    it('the cookie needs a CSRF token and a JSON body: other pages cannot spend it', async () => {
      const s = await signedIn();
      const bare = request(authn.server).post('/auth/refresh-token').set('Cookie', `${COOKIE}=${s.refreshToken}`);
      const withoutCsrf = await bare.send({});
      expect({ status: withoutCsrf.status, code: withoutCsrf.body.code }).toEqual({ status: 400, code: 'CSRF_FAILED' });
      const wrongCsrf = await refresh(s.refreshToken, { session: s.session, csrf: 'not-the-token' });
      expect(wrongCsrf.body.code).toBe('CSRF_FAILED');
      // What an HTML form can send: text/plain (a form-encoded body needs a CSRF token anyway).
      const plain = await request(authn.server)
        .post('/auth/refresh-token')
        .set('Cookie', `${s.session}; ${COOKIE}=${s.refreshToken}`)
        .set('X-XSRF-Token', s.csrf)
        .set('Content-Type', 'text/plain')
        .send('x=1');
      // Express leaves the body unparsed and the cookie check refuses it; Fastify parses text/plain to a string the DTO refuses.
      expect({ status: plain.status, code: plain.body.code }).toEqual(
        platform === 'express' ? { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' } : { status: 400, code: 'VALIDATION_ERROR' },
      );
      // None of them touched the family.
      expect(await familyRow(payloadOf(s.refreshToken).family)).toEqual({ gen: 1, revoked_at: null });
      // A page without a session (it expired) takes a pre-session token from GET /csrf.
      const csrf = await request(authn.server).get('/auth/csrf');
      const preSession = cookiesOf(setCookiesOf(csrf.headers['set-cookie']));
      const answer = await refresh(s.refreshToken, { session: preSession, csrf: csrf.body.csrf_token });
      expect(answer.status).toBe(200);
    });

    it('a refresh_token in the body is not read: the cookie is the token', async () => {
      const s = await signedIn();
      const answer = await request(authn.server).post('/auth/refresh-token').send({ refresh_token: s.refreshToken });
      expect({ status: answer.status, message: answer.body.message }).toEqual({
        status: 401,
        message: 'Refresh token is invalid (INVALID)',
      });
      expect(await familyRow(payloadOf(s.refreshToken).family)).toEqual({ gen: 1, revoked_at: null });
    });

    it("logout deletes the cookie (on its path) and revokes the session's family", async () => {
      const s = await signedIn();
      const logout = await request(authn.server).post('/auth/logout').set('Cookie', s.session).set('X-XSRF-Token', s.csrf).send({});
      expect(logout.status).toBe(200);
      expect(refreshSetCookie(logout)).toMatch(/^fs_refresh=; Path=\/auth\/refresh-token; SameSite=Strict; Max-Age=0;/);
      expect((await familyRow(payloadOf(s.refreshToken).family)).revoked_at).not.toBeNull();
    });

    it('logout revokes the family of a cookie it is sent (a cookiePath covering /logout), without a session', async () => {
      const s = await signedIn();
      const logout = await request(authn.server).post('/auth/logout').set('Cookie', `${COOKIE}=${s.refreshToken}`).send({});
      expect(logout.status).toBe(200);
      expect((await familyRow(payloadOf(s.refreshToken).family)).revoked_at).not.toBeNull();
    });

    it('re-authentication (/verify) hands its new family out in the cookie too', async () => {
      const s = await signedIn();
      const verified = await request(authn.server)
        .post('/auth/verify')
        .set('Authentication-Token', s.login.body.authentication_token)
        .send({ password: PASSWORD });
      expect(verified.status).toBe(200);
      expect(verified.body).not.toHaveProperty('refresh_token');
      expect(payloadOf(tokenOf(verified)).family).not.toBe(payloadOf(s.refreshToken).family);
    });
  });
});
