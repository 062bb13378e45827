import request from 'supertest';
import { URLSafeTimedSerializer } from '../../src/core/signing/index.js';
import { UserCache } from '../../src/authn/cache/user-cache.js';
import { AUTHN_SECRET_KEY, type AuthnApp, createAuthnApp } from '../support/authn-app.js';
import { ProtectedController } from './protected.controller.js';
import { TEST_PLATFORMS } from '../support/platform.js';

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const PASSWORD = 'correct horse battery';

  describe('credentials that must be refused (real PostgreSQL)', () => {
    let authn: AuthnApp;

    beforeAll(async () => {
      authn = await createAuthnApp({ controllers: [ProtectedController], options: { tokenMaxAge: '1 hours' } }, platform);
    });

    afterAll(() => authn?.close());

    const me = (headers: Record<string, string>) => request(authn.server).get('/p/any').set(headers);

    describe('auth tokens', () => {
      it('a tampered token is 401', async () => {
        await authn.createUser('tamper@example.com', PASSWORD);
        const { token } = await authn.login('tamper@example.com', PASSWORD);
        expect((await me({ 'Authentication-Token': token })).status).toBe(200);
        const flipped = token.slice(0, -2) + (token.at(-2) === 'A' ? 'B' : 'A') + token.at(-1);
        for (const bad of [flipped, token + 'x', token.slice(1), 'x'.repeat(5000), 'not-a-token', '']) {
          const response = await me({ 'Authentication-Token': bad });
          expect(response.status).toBe(401);
          expect(response.body.code).toBe('UNAUTHENTICATED');
        }
        expect((await me({ Authorization: `Bearer ${flipped}` })).status).toBe(401);
      });

      it('a token signed with another key is 401', async () => {
        const user = await authn.createUser('foreign@example.com', PASSWORD);
        const foreign = new URLSafeTimedSerializer('some-other-secret-key-entirely-0123456789', { salt: 'remember-salt' });
        const token = foreign.dumps({ ver: '5', uid: user.fsTokenUniquifier, fs_paa: Date.now() / 1000, exp: 0 });
        expect((await me({ 'Authentication-Token': token })).status).toBe(401);
        // The same payload with our key is fine.
        const ours = new URLSafeTimedSerializer(AUTHN_SECRET_KEY, { salt: 'remember-salt' });
        expect(
          (await me({ 'Authentication-Token': ours.dumps({ ver: '5', uid: user.fsTokenUniquifier, fs_paa: 0, exp: 0 }) })).status,
        ).toBe(200);
        // And a v4 list token.
        expect((await me({ 'Authentication-Token': ours.dumps([user.fsTokenUniquifier]) })).status).toBe(200);
      });

      it('a token past its exp, or older than tokenMaxAge, is 401', async () => {
        const user = await authn.createUser('expired@example.com', PASSWORD);
        const now = Date.now() / 1000;
        const ours = new URLSafeTimedSerializer(AUTHN_SECRET_KEY, { salt: 'remember-salt' });
        const pastExp = ours.dumps({ ver: '5', uid: user.fsTokenUniquifier, fs_paa: now, exp: Math.floor(now) - 1 });
        expect((await me({ 'Authentication-Token': pastExp })).status).toBe(401);
        const old = new URLSafeTimedSerializer(AUTHN_SECRET_KEY, { salt: 'remember-salt', now: () => now - 2 * 3600 });
        const tooOld = old.dumps({ ver: '5', uid: user.fsTokenUniquifier, fs_paa: now, exp: 0 });
        expect((await me({ 'Authentication-Token': tooOld })).status).toBe(401);
      });

      it("an inactive user's token is 401; deactivateUser kills it for good", async () => {
        const user = await authn.createUser('deactivated@example.com', PASSWORD);
        const { token } = await authn.login('deactivated@example.com', PASSWORD);
        // The flag alone (a plain save) refuses the token while it is off.
        await authn.datastore.saveUser(Object.assign(user, { active: false }));
        expect((await me({ 'Authentication-Token': token })).status).toBe(401);
        await authn.datastore.saveUser(Object.assign(user, { active: true }));
        expect((await me({ 'Authentication-Token': token })).status).toBe(200);
        // deactivateUser also rotates the uniquifiers: reactivating brings the token back no more.
        await authn.datastore.deactivateUser(user);
        expect((await me({ 'Authentication-Token': token })).status).toBe(401);
        await authn.datastore.activateUser(user);
        expect((await me({ 'Authentication-Token': token })).status).toBe(401);
      });
    });

    describe('a password change (uniquifier rotation)', () => {
      it('kills every session and fs_uniquifier-bound token at once; fs_token_uniquifier-bound tokens survive', async () => {
        const bound = await authn.createUser('rotate@example.com', PASSWORD, [], { fsTokenUniquifier: null });
        const separate = await authn.createUser('separate@example.com', PASSWORD);
        const boundA = await authn.login('rotate@example.com', PASSWORD);
        const boundB = await authn.login('rotate@example.com', PASSWORD);
        const separateA = await authn.login('separate@example.com', PASSWORD);
        for (const signed of [boundA, boundB, separateA]) {
          expect((await me({ Cookie: signed.cookie })).status).toBe(200);
          expect((await me({ 'Authentication-Token': signed.token })).status).toBe(200);
        }

        await authn.datastore.setUniquifier(bound);
        await authn.datastore.setUniquifier(separate);

        for (const signed of [boundA, boundB, separateA]) {
          expect((await me({ Cookie: signed.cookie })).status).toBe(401);
        }
        expect((await me({ 'Authentication-Token': boundA.token })).status).toBe(401);
        expect((await me({ 'Authentication-Token': boundB.token })).status).toBe(401);
        // Bound to fs_token_uniquifier: survives, as Flask-Security.
        expect((await me({ 'Authentication-Token': separateA.token })).status).toBe(200);
        // The dead sessions' rows are gone.
        const rows = await authn.dataSource.query('SELECT 1 FROM security_session WHERE user_id = ANY($1)', [[bound.id, separate.id]]);
        expect(rows).toHaveLength(0);
      });

      it('a rotation made by another process (plain SQL) is seen by the next request', async () => {
        const user = await authn.createUser('elsewhere@example.com', PASSWORD);
        const signed = await authn.login('elsewhere@example.com', PASSWORD);
        await authn.dataSource.query(
          `UPDATE "user" SET fs_uniquifier = md5(random()::text), fs_token_uniquifier = md5(random()::text) WHERE id = $1`,
          [user.id],
        );
        expect((await me({ Cookie: signed.cookie })).status).toBe(401);
        expect((await me({ 'Authentication-Token': signed.token })).status).toBe(401);
      });
    });

    describe('sessions', () => {
      it('an expired session is 401; a garbage or unknown cookie is 401', async () => {
        const user = await authn.createUser('session-expiry@example.com', PASSWORD);
        const signed = await authn.login('session-expiry@example.com', PASSWORD);
        await authn.dataSource.query(`UPDATE security_session SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
        expect((await me({ Cookie: signed.cookie })).status).toBe(401);
        for (const cookie of [
          'nest_security_session=short',
          `nest_security_session=${'B'.repeat(43)}`,
          `nest_security_session=${'%'.repeat(43)}`,
        ]) {
          expect((await me({ Cookie: cookie })).status).toBe(401);
        }
      });

      it("an inactive user's session is 401", async () => {
        const user = await authn.createUser('session-inactive@example.com', PASSWORD);
        const signed = await authn.login('session-inactive@example.com', PASSWORD);
        await authn.datastore.deactivateUser(user);
        expect((await me({ Cookie: signed.cookie })).status).toBe(401);
      });

      it('slides: last_seen_at and the expiry move at most once a minute', async () => {
        const user = await authn.createUser('slide@example.com', PASSWORD);
        const signed = await authn.login('slide@example.com', PASSWORD);
        const read = async () =>
          (await authn.dataSource.query('SELECT last_seen_at, expires_at FROM security_session WHERE user_id = $1', [user.id]))[0] as {
            last_seen_at: Date;
            expires_at: Date;
          };
        const before = await read();
        await me({ Cookie: signed.cookie });
        expect(await read()).toEqual(before);
        await authn.dataSource.query(
          `UPDATE security_session SET last_seen_at = last_seen_at - interval '2 minutes', expires_at = expires_at - interval '2 minutes' WHERE user_id = $1`,
          [user.id],
        );
        const slid = await me({ Cookie: signed.cookie });
        const after = await read();
        expect(after.last_seen_at.getTime()).toBeGreaterThanOrEqual(before.last_seen_at.getTime());
        expect(after.expires_at.getTime()).toBeGreaterThanOrEqual(before.expires_at.getTime());
        // A browser-session cookie is not rewritten by the slide.
        expect(slid.headers['set-cookie']).toBeUndefined();
      });

      it('a "remember me" session gets its persistent cookies renewed when it slides, not before', async () => {
        const user = await authn.createUser('slide-remember@example.com', PASSWORD);
        const login = await request(authn.server)
          .post('/auth/login')
          .send({ email: 'slide-remember@example.com', password: PASSWORD, remember: true })
          .expect(200);
        const cookie = (login.headers['set-cookie'] as unknown as string[]).map((each) => each.split(';')[0]).join('; ');
        expect((await me({ Cookie: cookie }).expect(200)).headers['set-cookie']).toBeUndefined();
        await authn.dataSource.query(`UPDATE security_session SET last_seen_at = last_seen_at - interval '2 minutes' WHERE user_id = $1`, [
          user.id,
        ]);
        const slid = await me({ Cookie: cookie }).expect(200);
        const renewed = slid.headers['set-cookie'] as unknown as string[];
        const session = renewed.find((each) => each.startsWith(`${cookie.split('=')[0]}=`));
        expect(session).toBeDefined();
        expect(session!.split(';')[0]).toBe(cookie.split('; ')[0]);
        expect(session).toMatch(/Max-Age=\d+/);
      });
    });

    it('the user cache is off by default', () => {
      expect(authn.app.get(UserCache).enabled).toBe(false);
    });
  });
});
