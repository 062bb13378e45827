import { readFileSync } from 'node:fs';
import request from 'supertest';
import { changePassword } from '../../src/cli/commands/users.js';
import { URLSafeSerializer, URLSafeTimedSerializer } from '../../src/core/signing/index.js';
import { AUTHN_SECRET_KEY, type AuthnApp, createAuthnApp } from '../support/authn-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';
import { ProtectedController } from './protected.controller.js';

const PASSWORD = 'correct horse battery';
/** How Python's itsdangerous reads them: `URLSafeSerializer(SECRET_KEY, salt="refresh-token-salt")`. */
const python = new URLSafeSerializer(AUTHN_SECRET_KEY, { salt: 'refresh-token-salt' });
const authPayload = (token: string) =>
  new URLSafeTimedSerializer(AUTHN_SECRET_KEY, { salt: 'remember-salt' }).loads(token) as { fs_paa: number; exp: number };
const payloadOf = (token: string) => python.loads(token) as Record<string, unknown>;

/** flask-refresh-tokens.json (scripts/make_refresh_token_fixtures.py): refresh tokens signed by Python's itsdangerous as 5.9 signs them. */
const flaskRefresh = JSON.parse(readFileSync(new URL('../fixtures/flask-refresh-tokens.json', import.meta.url), 'utf8')) as {
  secretKey: string;
  families: Array<{ email: string; fsUniquifier: string; family: string; gen: number; token: string; previousToken: string | null }>;
};

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  describe('refresh tokens (refreshTokens.enabled, real PostgreSQL)', () => {
    let authn: AuthnApp;
    let seq = 0;

    beforeAll(async () => {
      authn = await createAuthnApp(
        { controllers: [ProtectedController], options: { refreshTokens: { enabled: true }, changeable: true } },
        platform,
      );
    });

    afterAll(() => authn?.close());

    /** A new user, signed in with ?include_auth_token. */
    async function signedIn() {
      const email = `refresh${++seq}@example.com`;
      const user = await authn.createUser(email, PASSWORD);
      const login = await authn.login(email, PASSWORD);
      return { user, email, login, refreshToken: login.body.refresh_token as string };
    }
    const refresh = (token: unknown) => request(authn.server).post('/auth/refresh-token').send({ refresh_token: token });
    const me = (token: string) => request(authn.server).get('/auth/me').set('Authentication-Token', token);
    const familyRow = async (family: unknown) =>
      (await authn.dataSource.query('SELECT gen, revoked_at, user_id FROM fs_refresh WHERE refresh_family = $1', [family]))[0];

    it("login returns a refresh token with the auth token: Flask-Security's payload, untimed, tracked in fs_refresh", async () => {
      const { user, login, refreshToken } = await signedIn();
      expect(login.body).toEqual(expect.objectContaining({ authentication_token: expect.any(String), refresh_token: expect.any(String) }));
      // Untimed: payload.signature (the payload zlib-compressed, hence its leading '.'), no timestamp part.
      expect(refreshToken.replace(/^\./, '').split('.')).toHaveLength(2);
      const payload = payloadOf(refreshToken);
      expect(payload).toEqual({
        ver: '1',
        uid: user.fsTokenUniquifier || user.fsUniquifier,
        expires_at: expect.any(Number),
        last_used_at: expect.any(Number),
        name: 'default',
        family: expect.stringMatching(/^[0-9a-f]{32}$/),
        gen: 1,
      });
      expect(Object.keys(payload)).toEqual(['ver', 'uid', 'expires_at', 'last_used_at', 'name', 'family', 'gen']);
      // 90 days, as Flask-Security's REFRESH_TOKEN_MAX_AGE.
      expect((payload.expires_at as number) - (payload.last_used_at as number)).toBeCloseTo(90 * 86400, 0);
      expect(await familyRow(payload.family)).toEqual({ gen: 1, revoked_at: null, user_id: user.id });
      // The auth token beside it lives 15 minutes (tokenMaxAge's 5.9 default).
      const auth = authPayload(login.token);
      expect(auth.exp - auth.fs_paa).toBeGreaterThan(899);
      expect(auth.exp - auth.fs_paa).toBeLessThan(901);
    });

    it('no refresh token without ?include_auth_token', async () => {
      const email = `refresh${++seq}@example.com`;
      await authn.createUser(email, PASSWORD);
      const login = await authn.login(email, PASSWORD, '');
      expect(login.body.refresh_token).toBeUndefined();
      expect(login.body.authentication_token).toBeUndefined();
    });

    it('re-authentication (/verify) and /tokens/revoke hand out a refresh token of a new family beside the auth token', async () => {
      const { login, refreshToken } = await signedIn();
      const verified = await request(authn.server)
        .post('/auth/verify')
        .set('Authentication-Token', login.token)
        .send({ password: PASSWORD });
      expect(verified.status).toBe(200);
      expect(payloadOf(verified.body.refresh_token)).toEqual(expect.objectContaining({ gen: 1 }));
      expect(payloadOf(verified.body.refresh_token).family).not.toBe(payloadOf(refreshToken).family);
      const revoked = await request(authn.server)
        .post('/auth/tokens/revoke?include_auth_token')
        .set('Authentication-Token', login.token)
        .send({});
      expect(revoked.status).toBe(200);
      // Every earlier token of the user named the old token uniquifier: dead. The new one works.
      expect((await refresh(verified.body.refresh_token)).status).toBe(401);
      expect((await refresh(revoked.body.refresh_token)).status).toBe(200);
    });

    it('rotates: a new auth token and the next generation of the same family', async () => {
      const { user, login, refreshToken } = await signedIn();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const answer = await refresh(refreshToken);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        user: { id: user.id, email: user.email, roles: [] },
        authentication_token: expect.any(String),
        refresh_token: expect.any(String),
      });
      const next = payloadOf(answer.body.refresh_token);
      const first = payloadOf(refreshToken);
      expect(next).toEqual({ ...first, gen: 2, last_used_at: expect.any(Number) });
      expect(next.last_used_at as number).toBeGreaterThan(first.last_used_at as number);
      expect(await familyRow(first.family)).toEqual({ gen: 2, revoked_at: null, user_id: user.id });
      // The new auth token works; it carries the sign-in's time, not the refresh's (refreshing is not re-authenticating).
      expect((await me(answer.body.authentication_token)).status).toBe(200);
      expect(authPayload(answer.body.authentication_token).fs_paa).toBeCloseTo(authPayload(login.token).fs_paa, 0);
      // And the next one rotates again, still carrying the sign-in's time, an hour ago now.
      await authn.dataSource.query(`UPDATE fs_refresh SET create_datetime = now() - interval '1 hour' WHERE refresh_family = $1`, [
        first.family,
      ]);
      const third = await refresh(answer.body.refresh_token);
      expect(third.status).toBe(200);
      expect(payloadOf(third.body.refresh_token).gen).toBe(3);
      expect(Date.now() / 1000 - authPayload(third.body.authentication_token).fs_paa).toBeGreaterThan(3590);
    });

    it('a replayed old generation revokes the whole family: the newest token is refused too', async () => {
      const { user, refreshToken } = await signedIn();
      const rotated = await refresh(refreshToken);
      expect(rotated.status).toBe(200);
      const replay = await refresh(refreshToken);
      expect(replay.status).toBe(401);
      expect(replay.body).toEqual(expect.objectContaining({ statusCode: 401, code: 'REFRESH_TOKEN_REUSED' }));
      const newest = await refresh(rotated.body.refresh_token);
      expect(newest.status).toBe(401);
      expect(newest.body.code).toBe('REFRESH_TOKEN_INVALID');
      expect(newest.body.message).toBe('Refresh token is invalid (REVOKED)');
      const family = payloadOf(refreshToken).family;
      expect((await familyRow(family)).revoked_at).not.toBeNull();
      expect(authn.events).toContainEqual({ name: 'refresh_token.revoked', payload: { userId: user.id, family, reason: 'GEN_MISMATCH' } });
    });

    it('of 10 concurrent uses of one token exactly one rotates; the rest count as reuse', async () => {
      const { refreshToken } = await signedIn();
      // One listening server (supertest would otherwise open a port per request and serialise them).
      if (!authn.server.listening) await new Promise<void>((resolve) => authn.server.listen(0, '127.0.0.1', resolve));
      const answers = await Promise.all(Array.from({ length: 10 }, () => refresh(refreshToken)));
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
      expect(answers.filter((answer) => answer.status === 401 && answer.body.code === 'REFRESH_TOKEN_REUSED')).toHaveLength(9);
      const row = await familyRow(payloadOf(refreshToken).family);
      expect(row.gen).toBe(2);
      expect(row.revoked_at).not.toBeNull();
      const winner = answers.find((answer) => answer.status === 200)!;
      expect((await refresh(winner.body.refresh_token)).status).toBe(401);
    });

    it('of 8 uses that all passed the generation check before any wrote, exactly one rotates', async () => {
      const { refreshToken } = await signedIn();
      const family = payloadOf(refreshToken).family;
      if (!authn.server.listening) await new Promise<void>((resolve) => authn.server.listen(0, '127.0.0.1', resolve));
      // Hold the family's row, so that every request reads generation 1 and then waits at its UPDATE.
      const holder = authn.dataSource.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      try {
        await holder.query('SELECT 1 FROM fs_refresh WHERE refresh_family = $1 FOR UPDATE', [family]);
        const pending = Array.from({ length: 8 }, () => refresh(refreshToken).then((answer) => answer));
        // Until the first UPDATE waits on the row, then a little longer for the rest to line up behind it.
        for (let tries = 0; tries < 200; tries++) {
          const [row] = await holder.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
          );
          if (row.n > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
        await holder.commitTransaction();
        const answers = await Promise.all(pending);
        expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401, 401, 401, 401, 401, 401, 401]);
        expect(await familyRow(family)).toEqual(expect.objectContaining({ gen: 2, revoked_at: expect.any(Date) }));
      } finally {
        if (holder.isTransactionActive) await holder.rollbackTransaction();
        await holder.release();
      }
    });

    it('logout revokes the family of the refresh token given', async () => {
      const { refreshToken } = await signedIn();
      const logout = await request(authn.server).post('/auth/logout').send({ refresh_token: refreshToken });
      expect(logout.status).toBe(200);
      expect((await familyRow(payloadOf(refreshToken).family)).revoked_at).not.toBeNull();
      expect((await refresh(refreshToken)).body).toEqual(expect.objectContaining({ code: 'REFRESH_TOKEN_INVALID' }));
    });

    it('logout of a session revokes the family opened with it, and no other', async () => {
      const { email, login, refreshToken } = await signedIn();
      const elsewhere = (await authn.login(email, PASSWORD)).body.refresh_token as string;
      const logout = await request(authn.server).post('/auth/logout').set('Cookie', login.cookie).set('X-XSRF-Token', login.csrf).send({});
      expect(logout.status).toBe(200);
      expect((await refresh(refreshToken)).status).toBe(401);
      expect((await refresh(elsewhere)).status).toBe(200);
    });

    it('a password change (POST /change, or the CLI) kills every refresh token of the user', async () => {
      const { email, login, refreshToken } = await signedIn();
      const second = (await authn.login(email, PASSWORD)).body.refresh_token as string;
      const changed = await request(authn.server)
        .post('/auth/change?include_auth_token')
        .set('Authentication-Token', login.token)
        .send({ password: PASSWORD, new_password: 'a brand new passphrase' });
      expect(changed.status).toBe(200);
      for (const token of [refreshToken, second]) {
        const answer = await refresh(token);
        expect({ status: answer.status, message: answer.body.message }).toEqual({
          status: 401,
          message: 'Refresh token is invalid (USER)',
        });
      }
      // The change signed the caller in again: a new family, which the admin CLI's change then kills.
      const fresh = changed.body.refresh_token as string;
      expect(payloadOf(fresh).uid).not.toBe(payloadOf(refreshToken).uid);
      await changePassword(authn.datastore, email, await authn.hasher.hash('yet another passphrase'));
      expect((await refresh(fresh)).status).toBe(401);
    });

    it('an inactive user gets nothing from a refresh token', async () => {
      const { user, refreshToken } = await signedIn();
      await authn.datastore.deactivateUser(user);
      const answer = await refresh(refreshToken);
      expect(answer.status).toBe(401);
      expect(answer.body.code).toBe('REFRESH_TOKEN_INVALID');
      // Dead for good: reactivating does not bring it back.
      await authn.datastore.activateUser(user);
      expect((await refresh(refreshToken)).status).toBe(401);
    });

    it('refuses a family past its max age, or unused longer than its max idle', async () => {
      const aged = await signedIn();
      await authn.dataSource.query(`UPDATE fs_refresh SET expires_at = now() - interval '1 second' WHERE refresh_family = $1`, [
        payloadOf(aged.refreshToken).family,
      ]);
      expect((await refresh(aged.refreshToken)).body).toEqual(
        expect.objectContaining({ statusCode: 401, code: 'REFRESH_TOKEN_INVALID', message: 'Refresh token is invalid (EXPIRED)' }),
      );
      const idle = await signedIn();
      await authn.dataSource.query(`UPDATE fs_refresh SET last_used_at = now() - interval '8 days' WHERE refresh_family = $1`, [
        payloadOf(idle.refreshToken).family,
      ]);
      expect((await refresh(idle.refreshToken)).body.message).toBe('Refresh token is invalid (EXPIRED)');
    });

    it('refuses a token signed with another secret, or with another salt, or tampered with', async () => {
      const { refreshToken } = await signedIn();
      const payload = payloadOf(refreshToken);
      const foreign = new URLSafeSerializer('another-secret-key-0123456789abcdef', { salt: 'refresh-token-salt' }).dumps(payload);
      const otherSalt = new URLSafeSerializer(AUTHN_SECRET_KEY, { salt: 'remember-salt' }).dumps(payload);
      const [body, signature] = refreshToken.split('.');
      const tampered = `${python.dumps({ ...payload, gen: 2 }).split('.')[0]}.${signature}`;
      for (const token of [foreign, otherSalt, tampered, `${body}.`, 'garbage']) {
        const answer = await refresh(token);
        expect({ status: answer.status, message: answer.body.message }).toEqual({
          status: 401,
          message: 'Refresh token is invalid (INVALID)',
        });
      }
      // None of them touched the family.
      expect(await familyRow(payload.family)).toEqual(expect.objectContaining({ gen: 1, revoked_at: null }));
      expect((await refresh(refreshToken)).status).toBe(200);
    });

    it.each([
      ['no refresh_token', {}],
      ['a number', { refresh_token: 42 }],
      ['an object', { refresh_token: { $ne: 1 } }],
      ['null', { refresh_token: null }],
      ['an empty string', { refresh_token: '' }],
      ['5,000 characters', { refresh_token: 'x'.repeat(5000) }],
    ])('answers 400 for a body with %s', async (_label, body) => {
      const answer = await request(authn.server).post('/auth/refresh-token').send(body);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('VALIDATION_ERROR');
    });
  });

  describe('refresh tokens minted by Flask-Security (a migrated fs_refresh table)', () => {
    let authn: AuthnApp;

    beforeAll(async () => {
      authn = await createAuthnApp({ options: { secretKey: flaskRefresh.secretKey, refreshTokens: { enabled: true } } }, platform);
      for (const each of flaskRefresh.families) {
        // The rows of a Flask-Security database: its user (no token uniquifier) and the family at its generation.
        const user = await authn.datastore.createUser({
          email: each.email,
          password: null,
          fsUniquifier: each.fsUniquifier,
          fsTokenUniquifier: null,
        });
        await authn.dataSource.query(
          `INSERT INTO fs_refresh (refresh_family, gen, expires_at, last_used_at, name, user_id)
           VALUES ($1, $2, now() + interval '90 days', now(), 'default', $3)`,
          [each.family, each.gen, user.id],
        );
      }
    });

    afterAll(() => authn?.close());

    it('rotates a family opened by Flask-Security: its token is exchanged for the next generation', async () => {
      const [first] = flaskRefresh.families;
      const answer = await request(authn.server).post('/auth/refresh-token').send({ refresh_token: first.token });
      expect(answer.status).toBe(200);
      const next = new URLSafeSerializer(flaskRefresh.secretKey, { salt: 'refresh-token-salt' }).loads(answer.body.refresh_token);
      expect(next).toEqual(expect.objectContaining({ ver: '1', uid: first.fsUniquifier, family: first.family, gen: first.gen + 1 }));
      expect((await request(authn.server).get('/auth/me').set('Authentication-Token', answer.body.authentication_token)).status).toBe(200);
    });

    it('an older generation signed by Flask-Security revokes its family here too', async () => {
      const replayed = flaskRefresh.families.find((each) => each.previousToken)!;
      const answer = await request(authn.server).post('/auth/refresh-token').send({ refresh_token: replayed.previousToken });
      expect(answer.body.code).toBe('REFRESH_TOKEN_REUSED');
      expect((await request(authn.server).post('/auth/refresh-token').send({ refresh_token: replayed.token })).status).toBe(401);
    });
  });

  describe('refresh token limits', () => {
    let authn: AuthnApp;

    beforeAll(async () => {
      authn = await createAuthnApp({ options: { refreshTokens: { enabled: true }, limits: { perIp: { max: 3 } } } }, platform);
    });

    afterAll(() => authn?.close());

    it('counts refused refresh tokens per address: past limits.perIp, 429; good tokens are not counted', async () => {
      await authn.createUser('limits@example.com', PASSWORD);
      let token = (await authn.login('limits@example.com', PASSWORD)).body.refresh_token as string;
      // Five good exchanges: more than the limit, none of them counted.
      for (let i = 0; i < 5; i++) {
        const answer = await request(authn.server).post('/auth/refresh-token').send({ refresh_token: token });
        expect(answer.status).toBe(200);
        token = answer.body.refresh_token;
      }
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push(
          (
            await request(authn.server)
              .post('/auth/refresh-token')
              .send({ refresh_token: `bad${i}` })
          ).status,
        );
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const locked = await request(authn.server).post('/auth/refresh-token').send({ refresh_token: 'bad' });
      expect(locked.body.code).toBe('TOO_MANY_ATTEMPTS');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    });
  });

  describe('refresh tokens off (the default, as Flask-Security)', () => {
    let authn: AuthnApp;

    beforeAll(async () => {
      authn = await createAuthnApp({}, platform);
    });

    afterAll(() => authn?.close());

    it('login returns no refresh token, and POST /refresh-token answers 404', async () => {
      await authn.createUser('off@example.com', PASSWORD);
      const login = await authn.login('off@example.com', PASSWORD);
      expect(login.body.authentication_token).toEqual(expect.any(String));
      expect(login.body.refresh_token).toBeUndefined();
      const answer = await request(authn.server).post('/auth/refresh-token').send({ refresh_token: 'anything' });
      expect(answer.status).toBe(404);
      expect(answer.body.code).toBe('NOT_FOUND');
    });
  });
});
