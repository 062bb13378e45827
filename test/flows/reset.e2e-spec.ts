import request from 'supertest';
import { URLSafeTimedSerializer } from '../../src/core/signing/index.js';
import { hashData, PasswordHasher } from '../../src/core/passwords/index.js';
import type { SecurityUser } from '../../src/storage/typeorm/entities/security-user.entity.js';
import { TokenFactory } from '../../src/tokens/token.factory.js';
import { extractLink, extractToken } from '../support/smtp-sink.js';
import { cookiesOf, createFlowsApp, FLOWS_SECRET_KEY, type FlowsApp } from '../support/flows-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const OLD_PASSWORD = 'the old passphrase';
  const NEW_PASSWORD = 'a brand new passphrase';

  describe('password reset (real PostgreSQL, real SMTP)', () => {
    let flows: FlowsApp;
    let seq = 0;

    beforeAll(async () => {
      flows = await createFlowsApp({ redirects: { resetView: '/reset-password' } }, platform);
    });
    afterAll(() => flows?.close());
    beforeEach(() => {
      flows.sink.clear();
      flows.events.length = 0;
    });

    /** A confirmed user with OLD_PASSWORD. */
    const makeUser = async (email = `reset${++seq}@example.com`): Promise<SecurityUser> => {
      const password = await flows.app.get(PasswordHasher).hash(OLD_PASSWORD);
      return flows.datastore.createUser({ email, password, confirmedAt: new Date() });
    };

    const login = (email: string, password: string) =>
      request(flows.server).post('/auth/login?include_auth_token').send({ email, password });

    /** POST /reset and the token of the mail it sends. */
    const requestReset = async (email: string): Promise<string> => {
      await request(flows.server).post('/auth/reset').send({ email }).expect(200);
      const mail = await flows.sink.waitFor((m) => m.to.includes(email) && m.subject === 'Password reset instructions');
      expect(extractLink(mail, '/auth/reset/').startsWith('https://app.example.test/auth/reset/')).toBe(true);
      return extractToken(mail, '/auth/reset/');
    };

    it('is for callers not signed in: a signed-in caller gets 400 ANONYMOUS_REQUIRED and the link stays good', async () => {
      const user = await makeUser();
      const token = await requestReset(user.email);
      const signedIn = await login(user.email, OLD_PASSWORD);
      const auth = { 'Authentication-Token': signedIn.body.authentication_token as string };
      for (const call of [
        request(flows.server).post('/auth/reset').set(auth).send({ email: user.email }),
        request(flows.server).get(`/auth/reset/${token}`).set(auth),
        request(flows.server).post(`/auth/reset/${token}`).set(auth).send({ password: NEW_PASSWORD }),
      ]) {
        const answer = await call;
        expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 400, code: 'ANONYMOUS_REQUIRED' });
      }
      // A bad token counts as no credentials at all.
      await request(flows.server).post('/auth/reset').set('Authentication-Token', 'junk').send({ email: user.email }).expect(200);
      await request(flows.server).post(`/auth/reset/${token}`).send({ password: NEW_PASSWORD }).expect(200);
    });

    it('resets end to end, without signing in: old password, old sessions and old tokens die; the new password works', async () => {
      const user = await makeUser();
      const before = await login(user.email, OLD_PASSWORD);
      expect(before.status).toBe(200);
      const oldCookie = cookiesOf(before.headers['set-cookie']);
      const oldToken: string = before.body.authentication_token;
      await request(flows.server).get('/auth/me').set('Cookie', oldCookie).expect(200);
      // Uniquifier-bound auth token (Flask-Security models without fs_token_uniquifier).
      await flows.datastore.setTokenUniquifier(user, null);
      const boundToken = flows.app.get(TokenFactory).auth(user);
      await request(flows.server).get('/auth/me').set('Authentication-Token', boundToken).expect(200);

      const token = await requestReset(user.email);
      const check = await request(flows.server).get(`/auth/reset/${token}`);
      expect(check.status).toBe(200);
      expect(check.body).toMatchObject({ code: 'RESET_TOKEN_VALID', email: user.email });

      const reset = await request(flows.server).post(`/auth/reset/${token}?include_auth_token`).send({ password: NEW_PASSWORD });
      expect(reset.status).toBe(200);
      // Flask-Security 5.3+: a captured link must not yield a session (autoLoginAfterReset restores it).
      expect(reset.body).toEqual({ message: expect.any(String) });
      expect(reset.headers['set-cookie']).toBeUndefined();

      const stale = await login(user.email, OLD_PASSWORD);
      expect(stale.status).not.toBe(200);
      expect(stale.body.code).toBe('INVALID_CREDENTIALS');
      expect((await login(user.email, NEW_PASSWORD)).status).toBe(200);
      expect((await request(flows.server).get('/auth/me').set('Cookie', oldCookie)).status).toBe(401);
      expect((await request(flows.server).get('/auth/me').set('Authentication-Token', boundToken)).status).toBe(401);
      // The login's auth token (bound to fs_token_uniquifier) dies too: keepAuthTokensOnPasswordChange is off.
      expect((await request(flows.server).get('/auth/me').set('Authentication-Token', oldToken)).status).toBe(401);

      // The link is spent.
      const reuse = await request(flows.server).post(`/auth/reset/${token}`).send({ password: 'yet another passphrase' });
      expect(reuse.status).toBe(400);
      expect(reuse.body.code).toBe('INVALID_TOKEN');
      expect((await request(flows.server).get(`/auth/reset/${token}`)).body.code).toBe('INVALID_TOKEN');

      const notice = await flows.sink.waitFor((m) => m.to.includes(user.email) && m.subject === 'Your password has been reset');
      expect(notice.text).not.toContain(NEW_PASSWORD);
      expect(flows.events.map((event) => event.name)).toEqual(expect.arrayContaining(['reset.instructions_sent', 'password.reset']));
      expect(flows.events.filter((event) => event.name === 'user.authenticated').map((event) => event.payload)).not.toContainEqual(
        expect.objectContaining({ via: 'reset' }),
      );
      for (const event of flows.events.filter((each) => each.name !== 'user.authenticated')) {
        expect(Object.keys(event.payload as object).sort()).toEqual(['email', 'userId']);
        expect(JSON.stringify(event.payload)).not.toContain(token);
      }
    });

    it('of 10 concurrent uses of one link, exactly one succeeds', async () => {
      const user = await makeUser();
      const token = await requestReset(user.email);
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          request(flows.server)
            .post(`/auth/reset/${token}`)
            .send({ password: `concurrent passphrase ${i}` }),
        ),
      );
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 400)).toHaveLength(9);
      expect(answers.every((answer) => answer.status === 200 || answer.body.code === 'INVALID_TOKEN')).toBe(true);
      const winner = answers.findIndex((answer) => answer.status === 200);
      expect((await login(user.email, `concurrent passphrase ${winner}`)).status).toBe(200);
    });

    it('counts a re-encoded copy of a link as the same link, even used concurrently', async () => {
      const user = await makeUser();
      const token = await requestReset(user.email);
      // Same bytes, different text: the signature's last base64 character carries unused bits.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const twin = token.slice(0, -1) + alphabet[alphabet.indexOf(token.at(-1)!) ^ 1];
      expect(twin).not.toBe(token);
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          request(flows.server)
            .post(`/auth/reset/${i % 2 ? twin : token}`)
            .send({ password: `twin passphrase ${i}` }),
        ),
      );
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    });

    it('does not spend the link on a rejected password', async () => {
      const user = await makeUser();
      const token = await requestReset(user.email);
      const short = await request(flows.server).post(`/auth/reset/${token}`).send({ password: 'short' });
      expect(short.status).toBe(400);
      expect(short.body).toMatchObject({ code: 'VALIDATION_ERROR', errors: { password: [expect.any(String)] } });
      const mismatch = await request(flows.server)
        .post(`/auth/reset/${token}`)
        .send({ password: NEW_PASSWORD, password_confirm: 'nope nope nope' });
      expect(mismatch.body.errors).toHaveProperty('password_confirm');
      await request(flows.server).post(`/auth/reset/${token}`).send({ password: NEW_PASSWORD, password_confirm: NEW_PASSWORD }).expect(200);
    });

    it('answers identically for known, unknown, unconfirmed and disabled addresses; mails only the known one', async () => {
      const known = await makeUser();
      const disabled = await makeUser();
      await flows.datastore.deactivateUser(disabled);
      const unconfirmed = await flows.datastore.createUser({ email: `unconfirmed${++seq}@example.com`, password: null });

      const emails = [known.email, 'nobody.here@example.com', unconfirmed.email, disabled.email];
      const answers = [];
      for (const email of emails) answers.push(await request(flows.server).post('/auth/reset').send({ email }));
      const normalised = answers.map((answer, i) => ({
        status: answer.status,
        body: JSON.stringify(answer.body).replace(emails[i], '<email>'),
        headers: Object.keys(answer.headers).sort(),
      }));
      for (const other of normalised.slice(1)) expect(other).toEqual(normalised[0]);

      await flows.sink.waitFor((m) => m.to.includes(known.email));
      await flows.settleMail();
      expect(flows.sink.messages.map((m) => m.to[0]).filter((to) => emails.includes(to))).toEqual([known.email]);
    });

    it('takes about as long for an unknown address as for a known one', async () => {
      const user = await makeUser();
      const time = async (email: string) => {
        const started = process.hrtime.bigint();
        await request(flows.server).post('/auth/reset').send({ email }).expect(200);
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 8; i++) {
        known.push(await time(user.email));
        unknown.push(await time(`ghost${i}@example.com`));
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
      expect(Math.abs(median(known) - median(unknown))).toBeLessThan(Math.max(25, median(known) * 0.6));
    });

    it('says a link expired and mails nothing (Flask-Security 5.3+); links last 1 day', async () => {
      const user = await makeUser();
      const signedAt = (secondsAgo: number) =>
        new URLSafeTimedSerializer(FLOWS_SECRET_KEY, { salt: 'reset-salt', now: () => Math.floor(Date.now() / 1000) - secondsAgo }).dumps([
          user.fsUniquifier,
          hashData(user.password!),
        ]);
      const old = signedAt(86400 + 60);
      for (const answer of [
        await request(flows.server).get(`/auth/reset/${old}`),
        await request(flows.server).post(`/auth/reset/${old}`).send({ password: NEW_PASSWORD }),
      ]) {
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({ code: 'EXPIRED_TOKEN', resent: false });
        expect(answer.body.message).toMatch(/expired/);
        expect(answer.body.message).not.toContain(user.email);
      }
      await flows.settleMail();
      expect(flows.sink.messages.filter((m) => m.to.includes(user.email))).toEqual([]);
      // Within the day the link still works.
      await request(flows.server)
        .post(`/auth/reset/${signedAt(86400 - 60)}`)
        .send({ password: NEW_PASSWORD })
        .expect(200);
    });

    it("does not change a deactivated account's password, nor after it is reactivated", async () => {
      const user = await makeUser();
      const token = await requestReset(user.email);
      await flows.datastore.deactivateUser(user);
      const refused = await request(flows.server).post(`/auth/reset/${token}`).send({ password: NEW_PASSWORD });
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 400, code: 'INVALID_TOKEN' });
      expect((await request(flows.server).get(`/auth/reset/${token}`)).body.code).toBe('INVALID_TOKEN');
      await flows.datastore.activateUser(user);
      const after = await request(flows.server).post(`/auth/reset/${token}`).send({ password: NEW_PASSWORD });
      expect(after.body.code).toBe('INVALID_TOKEN');
      expect((await login(user.email, OLD_PASSWORD)).status).toBe(200);

      // An account made inactive by a plain save (no rotation): its link is refused too.
      const second = await makeUser();
      const secondToken = await requestReset(second.email);
      await flows.datastore.saveUser(Object.assign(second, { active: false }));
      const plain = await request(flows.server).post(`/auth/reset/${secondToken}`).send({ password: NEW_PASSWORD });
      expect(plain.body.code).toBe('INVALID_TOKEN');
      await flows.datastore.saveUser(Object.assign(second, { active: true }));
      expect((await login(second.email, OLD_PASSWORD)).status).toBe(200);
    });

    it('kills a reset link mailed to the old address once the email changes; the session of the change lives on', async () => {
      const user = await makeUser();
      const token = await requestReset(user.email);
      const signedIn = await login(user.email, OLD_PASSWORD);
      const cookie = cookiesOf(signedIn.headers['set-cookie']);
      const csrf = signedIn.body.csrf_token as string;
      const other = await login(user.email, OLD_PASSWORD);
      const otherCookie = cookiesOf(other.headers['set-cookie']);
      const newEmail = `moved${++seq}@example.com`;
      await request(flows.server)
        .post('/auth/change-email')
        .set('Cookie', cookie)
        .set('X-XSRF-Token', csrf)
        .send({ email: newEmail })
        .expect(200);
      const changeMail = await flows.sink.waitFor((m) => m.to.includes(newEmail));
      const changed = await request(flows.server)
        .get(`/auth/change-email/${extractToken(changeMail, '/auth/change-email/')}`)
        .set('Cookie', cookie);
      expect(changed.status).toBe(200);
      expect(changed.body.code).toBe('CHANGE_EMAIL_CONFIRMED');

      const answer = await request(flows.server).post(`/auth/reset/${token}`).send({ password: NEW_PASSWORD });
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 400, code: 'INVALID_TOKEN' });
      expect((await login(newEmail, OLD_PASSWORD)).status).toBe(200);
      // The browser that followed the change link keeps a session (renewed), another one does not.
      const kept = await request(flows.server).get('/auth/me').set('Cookie', cookiesOf(changed.headers['set-cookie']));
      expect(kept.status).toBe(200);
      expect(kept.body.user.email).toBe(newEmail);
      expect((await request(flows.server).get('/auth/me').set('Cookie', otherCookie)).status).toBe(401);
    });

    it('kills an older link when the password changes', async () => {
      const user = await makeUser();
      const first = await requestReset(user.email);
      flows.sink.clear();
      const second = await requestReset(user.email);
      await request(flows.server).post(`/auth/reset/${second}`).send({ password: NEW_PASSWORD }).expect(200);
      const answer = await request(flows.server).post(`/auth/reset/${first}`).send({ password: 'another good one' });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('INVALID_TOKEN');
    });
  });

  describe('password reset with the 5.1.2 behaviour restored (autoLoginAfterReset, resendExpiredLinks)', () => {
    let flows: FlowsApp;
    beforeAll(async () => {
      flows = await createFlowsApp({ autoLoginAfterReset: true, resendExpiredLinks: true, resetPasswordWithin: '5 days' }, platform);
    });
    afterAll(() => flows?.close());

    const makeUser = async (email: string): Promise<SecurityUser> => {
      const password = await flows.app.get(PasswordHasher).hash(OLD_PASSWORD);
      return flows.datastore.createUser({ email, password, confirmedAt: new Date() });
    };

    it('signs the user in after the reset, with the auth token when asked', async () => {
      const user = await makeUser('auto.reset@example.com');
      await request(flows.server).post('/auth/reset').send({ email: user.email }).expect(200);
      const token = extractToken(await flows.sink.waitFor((m) => m.to.includes(user.email)), '/auth/reset/');
      const reset = await request(flows.server).post(`/auth/reset/${token}?include_auth_token`).send({ password: NEW_PASSWORD });
      expect(reset.status).toBe(200);
      expect(reset.body).toMatchObject({
        message: expect.any(String),
        user: { email: user.email },
        authentication_token: expect.any(String),
      });
      await request(flows.server).get('/auth/me').set('Cookie', cookiesOf(reset.headers['set-cookie'])).expect(200);
      await request(flows.server).get('/auth/me').set('Authentication-Token', reset.body.authentication_token).expect(200);
      expect(flows.events.find((event) => event.name === 'user.authenticated')?.payload).toEqual({ userId: user.id, via: 'reset' });
    });

    it('says a link expired, and mails a fresh one', async () => {
      const user = await makeUser('resend.reset@example.com');
      const sixDaysAgo = Math.floor(Date.now() / 1000) - 6 * 86400;
      const old = new URLSafeTimedSerializer(FLOWS_SECRET_KEY, { salt: 'reset-salt', now: () => sixDaysAgo }).dumps([
        user.fsUniquifier,
        hashData(user.password!),
      ]);
      const answer = await request(flows.server).post(`/auth/reset/${old}`).send({ password: NEW_PASSWORD });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'EXPIRED_TOKEN', resent: true });
      expect(answer.body.message).toContain(user.email);
      const mail = await flows.sink.waitFor((m) => m.to.includes(user.email));
      await request(flows.server)
        .post(`/auth/reset/${extractToken(mail, '/auth/reset/')}`)
        .send({ password: NEW_PASSWORD })
        .expect(200);
    });
  });

  describe('password reset with SPA redirects', () => {
    let flows: FlowsApp;
    beforeAll(async () => {
      flows = await createFlowsApp(
        {
          redirectBehavior: 'spa',
          redirects: { resetView: 'https://spa.example.test/reset', resetError: '/reset-error' },
          redirectAllowedHosts: ['spa.example.test'],
        },
        platform,
      );
    });
    afterAll(() => flows?.close());

    it('sends a followed link to the reset view with the token, and a bad one to the error view', async () => {
      const password = await flows.app.get(PasswordHasher).hash(OLD_PASSWORD);
      const user = await flows.datastore.createUser({ email: 'spa.reset@example.com', password, confirmedAt: new Date() });
      await request(flows.server).post('/auth/reset').send({ email: user.email }).expect(200);
      const token = extractToken(await flows.sink.waitFor((m) => m.to.includes(user.email)), '/auth/reset/');

      const good = await request(flows.server).get(`/auth/reset/${token}`);
      expect(good.status).toBe(302);
      const location = new URL(good.headers.location);
      expect(`${location.origin}${location.pathname}`).toBe('https://spa.example.test/reset');
      expect(location.searchParams.get('token')).toBe(token);
      // No address in the URL (Flask-Security 5.9; redirectIncludeIdentity puts it back).
      expect(location.searchParams.get('email')).toBeNull();
      expect(location.searchParams.get('identity')).toBeNull();

      const bad = await request(flows.server).get('/auth/reset/bogus.token.here');
      expect(bad.status).toBe(302);
      expect(bad.headers.location).toMatch(/^https:\/\/app\.example\.test\/reset-error\?/);
      expect(new URL(bad.headers.location).searchParams.get('code')).toBe('INVALID_TOKEN');
    });
  });
});
