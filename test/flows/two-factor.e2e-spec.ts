import { readFileSync } from 'node:fs';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import type { SecurityUser } from '../../src/storage/typeorm/entities/security-user.entity.js';
import { SECURITY_DATA_SOURCE } from '../../src/security.constants.js';
import { RecordingSmsSender } from '../../src/testing/recording-sms.sender.js';
import { SerializerRegistry } from '../../src/tokens/serializer-registry.js';
import { cookiesOf, createFlowsApp, type FlowsApp } from '../support/flows-app.js';
import type { ReceivedMail } from '../support/smtp-sink.js';
import { TEST_PLATFORMS } from '../support/platform.js';

/** Flask-Security 5.1.2's tf_totp_secret rows (see test/fixtures/scripts/make_totp_fixtures.py). */
const FIXTURES = JSON.parse(readFileSync(new URL('../fixtures/totp.json', import.meta.url), 'utf8')) as {
  rows: Array<{ secrets: Record<string, string>; stored: string; base32Key: string; alg: string; digits: number; period: number }>;
};
const FLASK_ROW = FIXTURES.rows.find((row) => row.alg === 'sha1' && row.digits === 6 && row.period === 30 && row.secrets['1'])!;

/** An authenticator app, independent of nest-security: otpauth on the base32 key the setup answer showed. */
function authenticator(base32Key: string): { code(offsetSteps?: number): string } {
  const totp = new TOTP({ secret: Secret.fromBase32(base32Key.replace(/[-\s]/g, '')), digits: 6, period: 30, algorithm: 'SHA1' });
  return { code: (offsetSteps = 0) => totp.generate({ timestamp: Date.now() + offsetSteps * 30_000 }) };
}

/** A six-digit code that is not `code` (a wrong guess). */
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const PASSWORD = 'a long enough passphrase';
  const MAX_PER_ACCOUNT = 6;
  const TF_SUBJECT = 'Your two-factor code';

  function codeOf(mail: ReceivedMail): string {
    const match = /code is: (\d{6})/.exec(mail.text);
    if (!match) throw new Error(`no code in mail "${mail.subject}"`);
    return match[1]!;
  }

  describe('remember this device (tf_validity, twoFactorAlwaysValidate off)', () => {
    let flows: FlowsApp;

    beforeAll(async () => {
      // Tag 2 is newer than the Flask row's tag 1: keys are re-encrypted under it at their next use.
      flows = await createFlowsApp(
        { twoFactor: true, totpSecrets: { ...FLASK_ROW.secrets, '2': 'a newer totp secret' }, twoFactorAlwaysValidate: false },
        platform,
      );
    });
    afterAll(() => flows?.close());

    it('skips the second step in the browser that asked, until the password changes; the Flask row moves to the newest TOTP secret', async () => {
      const password = await flows.app.get(PasswordHasher).hash(PASSWORD);
      const user = await flows.datastore.createUser({ email: `device-${platform}@example.com`, password, confirmedAt: new Date() });
      await flows.datastore.tfSet(user, 'authenticator', FLASK_ROW.stored);
      const app = authenticator(FLASK_ROW.base32Key);
      const login = () => request(flows.server).post('/auth/login').send({ email: user.email, password: PASSWORD, remember: true });

      const first = await login();
      expect(first.body).toMatchObject({ tf_required: true });
      const validated = await request(flows.server)
        .post('/auth/tf-validate')
        .set('Cookie', cookiesOf(first.headers['set-cookie']))
        .send({ code: app.code() });
      expect(validated.status).toBe(200);
      const device = cookiesOf(validated.headers['set-cookie'])
        .split('; ')
        .find((pair) => pair.startsWith('tf_validity='))!;
      expect(device).toBeDefined();
      const stored = await flows.app.get(SECURITY_DATA_SOURCE).query('SELECT tf_totp_secret FROM "user" WHERE id = $1', [user.id]);
      expect(JSON.parse(stored[0].tf_totp_secret).enckey.t).toBe('2');
      expect([validated.headers['set-cookie']].flat().find((c: string) => c.startsWith('tf_validity='))).toMatch(/HttpOnly/);

      // This browser: the password alone. Another browser: the second step.
      const remembered = await login().set('Cookie', device);
      expect(remembered.status).toBe(200);
      expect(remembered.body.user).toMatchObject({ id: user.id });
      expect((await login()).body).toMatchObject({ tf_required: true });

      // A password change rotates fs_uniquifier: the cookie dies with it.
      const s = { cookie: cookiesOf(remembered.headers['set-cookie']), csrf: remembered.body.csrf_token };
      await request(flows.server)
        .post('/auth/change')
        .set('Cookie', s.cookie)
        .set('X-XSRF-Token', s.csrf)
        .send({ password: PASSWORD, new_password: 'another long passphrase' })
        .expect(200);
      const after = await request(flows.server)
        .post('/auth/login')
        .set('Cookie', device)
        .send({ email: user.email, password: 'another long passphrase' });
      expect(after.body).toMatchObject({ tf_required: true });
    });

    it('recovery-code routes are 404 while multiFactorRecoveryCodes is off', async () => {
      const answer = await request(flows.server).post('/auth/mf-recovery').send({ code: '1a2b-3c4d-5e6f' });
      expect(answer.status).toBe(404);
      expect(answer.body.code).toBe('NOT_FOUND');
    });

    it('malformed bodies are 400 with field errors, never 500', async () => {
      for (const body of [
        {},
        { code: 123456 },
        { code: { $gt: '' } },
        { code: ['1'] },
        { code: null },
        { code: '1'.repeat(33) },
        { code: '123456', extra: 1 },
      ]) {
        const answer = await request(flows.server).post('/auth/tf-validate').send(body);
        expect({ body, status: answer.status, code: answer.body.code }).toEqual({ body, status: 400, code: 'VALIDATION_ERROR' });
      }
      const setup = await request(flows.server).post('/auth/tf-rescue').send({ help_setup: 'carrier-pigeon' });
      expect(setup.status).toBe(400);
    });

    it('a cookie of another user does not help', async () => {
      const password = await flows.app.get(PasswordHasher).hash(PASSWORD);
      const other = await flows.datastore.createUser({ email: `other-${platform}@example.com`, password, confirmedAt: new Date() });
      await flows.datastore.tfSet(other, 'authenticator', FLASK_ROW.stored);
      const forged = `tf_validity=${flows.app.get(SerializerRegistry).get('tf_validity').dumps('someone-else')}`;
      const answer = await request(flows.server).post('/auth/login').set('Cookie', forged).send({ email: other.email, password: PASSWORD });
      expect(answer.body).toMatchObject({ tf_required: true });
    });
  });

  describe('two-factor sign-in (real PostgreSQL, real SMTP)', () => {
    let flows: FlowsApp;
    let dataSource: DataSource;
    const sms = new RecordingSmsSender();
    let seq = 0;

    beforeAll(async () => {
      flows = await createFlowsApp(
        {
          twoFactor: true,
          totpSecrets: FLASK_ROW.secrets,
          twoFactorEnabledMethods: ['authenticator', 'email', 'sms'],
          multiFactorRecoveryCodes: true,
          smsSender: sms,
          twoFactorRequiredFor: (user) => user.email.startsWith('required-'),
          unifiedSignin: true,
          limits: { perAccount: { max: MAX_PER_ACCOUNT }, perIp: { max: 10_000 } },
        },
        platform,
      );
      dataSource = flows.app.get(SECURITY_DATA_SOURCE);
    });
    afterAll(() => flows?.close());
    beforeEach(() => {
      flows.events.length = 0;
    });

    const makeUser = async (extra: Record<string, unknown> = {}): Promise<SecurityUser> => {
      const n = ++seq;
      const password = await flows.app.get(PasswordHasher).hash(PASSWORD);
      return flows.datastore.createUser({ email: `tf${n}-${platform}@example.com`, password, confirmedAt: new Date(), ...extra });
    };

    const row = async (user: SecurityUser) =>
      (
        await dataSource.query('SELECT tf_primary_method, tf_totp_secret, tf_phone_number, mf_recovery_codes FROM "user" WHERE id = $1', [
          user.id,
        ])
      )[0];

    const login = (user: SecurityUser, extra: Record<string, unknown> = {}) =>
      request(flows.server)
        .post('/auth/login')
        .send({ email: user.email, password: PASSWORD, ...extra });

    /** Signed in with password alone (a user without two-factor): the session's cookies and CSRF token. */
    const session = async (user: SecurityUser) => {
      const answer = await login(user).expect(200);
      return { cookie: cookiesOf(answer.headers['set-cookie']), csrf: answer.body.csrf_token as string };
    };

    const authed = (method: 'get' | 'post', path: string, s: { cookie: string; csrf: string }) =>
      request(flows.server)[method](path).set('Cookie', s.cookie).set('X-XSRF-Token', s.csrf);

    /** Sets up an authenticator through the API; returns the app that computes its codes. */
    const setUpAuthenticator = async (user: SecurityUser) => {
      const s = await session(user);
      const started = await authed('post', '/auth/tf-setup', s).send({ setup: 'authenticator' });
      expect(started.status).toBe(200);
      const app = authenticator(started.body.tf_authr_key);
      await authed('post', `/auth/tf-setup/${started.body.tf_state_token}`, s).send({ code: app.code() }).expect(200);
      await authed('post', '/auth/logout', s).send({}).expect(200);
      return app;
    };

    /** POST /login for a user with two-factor: the pending sign-in's cookie. */
    const pendingSignIn = async (user: SecurityUser, extra: Record<string, unknown> = {}) => {
      const answer = await login(user, extra);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ tf_required: true, tf_state: 'ready' });
      return cookiesOf(answer.headers['set-cookie']);
    };

    const validate = (cookie: string, code: string, query = '') =>
      request(flows.server).post(`/auth/tf-validate${query}`).set('Cookie', cookie).send({ code });

    describe('an authenticator app', () => {
      it('is set up from the key of the tf-setup answer; nothing is stored before the first right code', async () => {
        const user = await makeUser();
        const s = await session(user);
        const info = await authed('get', '/auth/tf-setup', s).expect(200);
        expect(info.body).toMatchObject({ tf_required: false, tf_method: null, tf_available_methods: ['authenticator', 'email', 'sms'] });

        const started = await authed('post', '/auth/tf-setup', s).send({ setup: 'authenticator' });
        expect(started.status).toBe(200);
        expect(started.body).toMatchObject({
          tf_state: 'validating_profile',
          tf_method: 'authenticator',
          tf_authr_username: user.email,
          tf_authr_issuer: 'app.example.test',
        });
        expect(started.body.tf_authr_key).toMatch(/^([A-Z2-7]{4}-)+[A-Z2-7]{1,4}$/);
        expect(started.body.tf_authr_qrcode).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
        // The key and QR code are secrets: no cache keeps them.
        expect(started.headers['cache-control']).toBe('no-store');
        expect(started.body.tf_authr_uri).toContain(`secret=${started.body.tf_authr_key.replace(/-/g, '')}`);
        expect(await row(user)).toMatchObject({ tf_primary_method: null, tf_totp_secret: null });

        const app = authenticator(started.body.tf_authr_key);
        const token = started.body.tf_state_token;
        const bad = await authed('post', `/auth/tf-setup/${token}`, s).send({ code: wrong(app.code()) });
        expect(bad.status).toBe(400);
        expect(bad.body.code).toBe('INVALID_CODE');
        expect(await row(user)).toMatchObject({ tf_primary_method: null, tf_totp_secret: null });

        const confirmed = await authed('post', `/auth/tf-setup/${token}`, s).send({ code: app.code() });
        expect(confirmed.status).toBe(200);
        expect(confirmed.body).toMatchObject({ tf_method: 'authenticator' });
        const stored = await row(user);
        expect(stored.tf_primary_method).toBe('authenticator');
        // passlib's JSON with the key encrypted under TOTP_SECRETS tag 1: never the key itself.
        expect(JSON.parse(stored.tf_totp_secret)).toMatchObject({ type: 'totp', v: 1, enckey: { t: '1', v: 1 } });
        expect(stored.tf_totp_secret).not.toContain(started.body.tf_authr_key.replace(/-/g, ''));
        expect(flows.events.map((event) => event.name)).toContain('tf.profile_changed');
      });

      it('sign-in: the password alone gives no session; a wrong code fails; the right one signs in with a new session id', async () => {
        const user = await makeUser();
        const app = await setUpAuthenticator(user);

        const first = await login(user);
        expect(first.status).toBe(200);
        expect(first.body).toEqual({
          tf_required: true,
          tf_state: 'ready',
          tf_primary_method: 'authenticator',
          tf_method: 'authenticator',
        });
        const pending = cookiesOf(first.headers['set-cookie']);
        expect(pending).not.toContain('nest_security_session=');
        await request(flows.server).get('/auth/me').set('Cookie', pending).expect(401);
        const withToken = await login(user, {}).query('include_auth_token');
        expect(withToken.body.authentication_token).toBeUndefined();

        const pending2 = cookiesOf(withToken.headers['set-cookie']);
        const rejected = await validate(pending2, wrong(app.code(1)));
        expect(rejected.status).toBe(400);
        expect(rejected.body.code).toBe('INVALID_CODE');

        // The setup used this step's code: the next step's is what the app shows a moment later.
        const accepted = await validate(pending2, app.code(1), '?include_auth_token');
        expect(accepted.status).toBe(200);
        expect(accepted.body.user).toMatchObject({ id: user.id, email: user.email });
        expect(accepted.body.authentication_token).toEqual(expect.any(String));
        const signedIn = cookiesOf(accepted.headers['set-cookie']);
        expect(signedIn).toContain('nest_security_session=');
        await request(flows.server).get('/auth/me').set('Cookie', signedIn).expect(200);
        expect(flows.events).toEqual(
          expect.arrayContaining([
            { name: 'tf.code_confirmed', payload: { userId: user.id, method: 'authenticator' } },
            { name: 'user.authenticated', payload: { userId: user.id, via: 'tf-authenticator' } },
          ]),
        );
        // The pending sign-in is used up, and the first one was replaced by the second.
        expect((await validate(pending2, app.code())).body.code).toBe('TF_NOT_PENDING');
        expect((await validate(pending, app.code())).body.code).toBe('TF_NOT_PENDING');
      });

      it('a code is not accepted twice in its window', async () => {
        const user = await makeUser();
        const app = await setUpAuthenticator(user);
        const code = app.code(1);
        await validate(await pendingSignIn(user), code).expect(200);
        const again = await validate(await pendingSignIn(user), code);
        expect(again.status).toBe(400);
        expect(again.body.code).toBe('INVALID_CODE');
      });

      it('ten concurrent uses of one pending sign-in and code: one signs in', async () => {
        const user = await makeUser();
        const app = await setUpAuthenticator(user);
        const cookie = await pendingSignIn(user);
        const code = app.code(1);
        const answers = await Promise.all(Array.from({ length: 10 }, () => validate(cookie, code)));
        expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
      });

      it('a burst of wrong codes gets 429, and then the right code too', async () => {
        const user = await makeUser();
        const app = await setUpAuthenticator(user);
        const cookie = await pendingSignIn(user);
        const statuses: number[] = [];
        for (let i = 0; i < MAX_PER_ACCOUNT + 1; i++) statuses.push((await validate(cookie, wrong(app.code(1)))).status);
        expect(statuses.slice(0, MAX_PER_ACCOUNT).every((status) => status === 400)).toBe(true);
        expect(statuses[MAX_PER_ACCOUNT]).toBe(429);
        const locked = await validate(cookie, app.code(1));
        expect(locked.status).toBe(429);
        expect(locked.body.code).toBe('TOO_MANY_ATTEMPTS');
        expect(locked.headers['retry-after']).toEqual(expect.any(String));
      });

      it('guesses without a pending sign-in (or with a forged one) are counted and locked the same', async () => {
        const forged = `nest_security_tf=999999.0.${'A'.repeat(43)}`;
        const statuses: number[] = [];
        for (let i = 0; i < MAX_PER_ACCOUNT + 1; i++) statuses.push((await validate(forged, '123456')).status);
        expect(statuses.slice(0, MAX_PER_ACCOUNT)).toEqual(Array(MAX_PER_ACCOUNT).fill(400));
        expect(statuses[MAX_PER_ACCOUNT]).toBe(429);
      });

      it('a pending-sign-in cookie edited by the client (the remember flag, the user id) is no pending sign-in', async () => {
        const user = await makeUser();
        const app = await setUpAuthenticator(user);
        const cookie = await pendingSignIn(user);
        const flipped = cookie.replace(/nest_security_tf=(\d+)\.0\./, 'nest_security_tf=$1.1.');
        expect(flipped).not.toBe(cookie);
        expect((await validate(flipped, app.code(1))).body.code).toBe('TF_NOT_PENDING');
        const other = cookie.replace(/nest_security_tf=\d+\./, `nest_security_tf=${user.id + 1000}.`);
        expect((await validate(other, app.code(1))).body.code).toBe('TF_NOT_PENDING');
        await validate(cookie, app.code(1)).expect(200);
      });

      it('a user without two-factor signs in with the password alone', async () => {
        const user = await makeUser();
        const answer = await login(user).expect(200);
        expect(answer.body.user).toMatchObject({ id: user.id });
        expect(answer.body.tf_required).toBeUndefined();
      });

      it('disable removes it (fresh session), and the password alone signs in again', async () => {
        const user = await makeUser();
        const app = await setUpAuthenticator(user);
        const signedIn = await validate(await pendingSignIn(user), app.code(1)).expect(200);
        const s = { cookie: cookiesOf(signedIn.headers['set-cookie']), csrf: signedIn.body.csrf_token };
        const info = await authed('get', '/auth/tf-setup', s).expect(200);
        expect(info.body.tf_available_methods[0]).toBe('disable');
        await authed('post', '/auth/tf-setup', s).send({ setup: 'disable' }).expect(200);
        expect(await row(user)).toMatchObject({ tf_primary_method: null, tf_totp_secret: null });
        expect(flows.events.map((event) => event.name)).toContain('tf.disabled');
        expect((await login(user).expect(200)).body.user).toBeDefined();
      });
    });

    describe('required two-factor (the per-user hook)', () => {
      it('a user without a factor sets one up to finish signing in; before that there is no session', async () => {
        const user = await makeUser({ email: `required-${++seq}-${platform}@example.com` });
        const first = await login(user);
        expect(first.body).toEqual({ tf_required: true, tf_state: 'setup_from_login' });
        const pending = cookiesOf(first.headers['set-cookie']);
        await request(flows.server).get('/auth/me').set('Cookie', pending).expect(401);

        const info = await request(flows.server).get('/auth/tf-setup').set('Cookie', pending).expect(200);
        expect(info.body).toMatchObject({ tf_required: true, tf_method: null });
        expect(info.body.tf_available_methods).not.toContain('disable');
        const refused = await request(flows.server).post('/auth/tf-setup').set('Cookie', pending).send({ setup: 'disable' });
        expect(refused.body.code).toBe('TF_REQUIRED');

        const started = await request(flows.server)
          .post('/auth/tf-setup')
          .set('Cookie', pending)
          .send({ setup: 'authenticator' })
          .expect(200);
        const app = authenticator(started.body.tf_authr_key);
        const done = await request(flows.server)
          .post(`/auth/tf-setup/${started.body.tf_state_token}`)
          .set('Cookie', pending)
          .send({ code: app.code() });
        expect(done.status).toBe(200);
        expect(done.body).toMatchObject({ tf_method: 'authenticator', user: { id: user.id } });
        await request(flows.server).get('/auth/me').set('Cookie', cookiesOf(done.headers['set-cookie'])).expect(200);
        expect((await row(user)).tf_primary_method).toBe('authenticator');
        expect(flows.events.map((event) => event.name)).toContain('tf.code_confirmed');

        // Next time: the second factor, as for anyone who has one.
        await validate(await pendingSignIn(user), app.code(1)).expect(200);
      });

      it('a signed-in user needs a fresh session and its CSRF token to change the factor', async () => {
        const user = await makeUser();
        const s = await session(user);
        const noCsrf = await request(flows.server).post('/auth/tf-setup').set('Cookie', s.cookie).send({ setup: 'authenticator' });
        expect(noCsrf.status).toBe(400);
        expect(noCsrf.body.code).toBe('CSRF_FAILED');
        await dataSource.query(`UPDATE security_session SET authenticated_at = now() - interval '3 days' WHERE user_id = $1`, [user.id]);
        const stale = await authed('post', '/auth/tf-setup', s).send({ setup: 'authenticator' });
        expect(stale.status).toBe(401);
        expect(stale.body.code).toBe('REAUTH_REQUIRED');
      });

      it('without a pending sign-in or a session, /tf-setup is 401', async () => {
        await request(flows.server).get('/auth/tf-setup').expect(401);
        await request(flows.server).post('/auth/tf-setup').send({ setup: 'authenticator' }).expect(401);
      });

      it('a user whose factor is set up gets the second step, not a new setup, from a pending cookie', async () => {
        const user = await makeUser();
        await setUpAuthenticator(user);
        const pending = await pendingSignIn(user);
        await request(flows.server).get('/auth/tf-setup').set('Cookie', pending).expect(401);
      });
    });

    describe('rescue', () => {
      it("'email' mails a code of the user's key that completes the sign-in; 'help' mails the app", async () => {
        const user = await makeUser();
        await setUpAuthenticator(user);
        const pending = await pendingSignIn(user);
        const seen = flows.sink.messages.length;
        const rescued = await request(flows.server).post('/auth/tf-rescue').set('Cookie', pending).send({ help_setup: 'email' });
        expect(rescued.status).toBe(200);
        expect(rescued.body.recovery_options).toMatchObject({ help: 'help', email: 'email' });
        const mail = await flows.sink.waitFor(
          (m) => m.to.includes(user.email) && m.subject === TF_SUBJECT && flows.sink.messages.indexOf(m) >= seen,
        );
        await validate(pending, codeOf(mail)).expect(200);

        const again = await pendingSignIn(user);
        await request(flows.server).post('/auth/tf-rescue').set('Cookie', again).send({ help_setup: 'help' }).expect(200);
        await flows.sink.waitFor((m) => m.subject === 'Two-factor rescue request' && m.text.includes(user.email));
        expect((await request(flows.server).post('/auth/tf-rescue').send({ help_setup: 'email' })).body.code).toBe('TF_NOT_PENDING');
      });
    });

    describe('after unified sign-in (usMfaRequired)', () => {
      it('POST /us-signin with the password starts the second step instead of a session', async () => {
        const user = await makeUser();
        const app = await setUpAuthenticator(user);
        const first = await request(flows.server).post('/auth/us-signin').send({ identity: user.email, passcode: PASSWORD });
        expect(first.status).toBe(200);
        expect(first.body).toMatchObject({ tf_required: true, tf_state: 'ready', tf_method: 'authenticator' });
        const pending = cookiesOf(first.headers['set-cookie']);
        expect(pending).not.toContain('nest_security_session=');
        await validate(pending, app.code(1)).expect(200);
      });

      it('the one-click link of the code mail starts the second step too', async () => {
        const user = await makeUser();
        const app = await setUpAuthenticator(user);
        const seen = flows.sink.messages.length;
        await request(flows.server).post('/auth/us-signin/send-code').send({ identity: user.email, chosen_method: 'email' }).expect(200);
        const mail = await flows.sink.waitFor(
          (m) => m.to.includes(user.email) && m.subject === 'Your sign-in code' && flows.sink.messages.indexOf(m) >= seen,
        );
        const link = new URL(/https?:\/\/\S+us-verify-link\S+/.exec(mail.text)![0]);
        const followed = await request(flows.server)
          .get(link.pathname + link.search)
          .set('Accept', 'application/json');
        expect(followed.status).toBe(200);
        expect(followed.body).toMatchObject({ tf_required: true, tf_method: 'authenticator' });
        expect(cookiesOf(followed.headers['set-cookie'])).not.toContain('nest_security_session=');
        await validate(cookiesOf(followed.headers['set-cookie']), app.code(1)).expect(200);
      });
    });

    describe('rows written by Flask-Security', () => {
      it('a tf_totp_secret from Flask-Security 5.1.2 signs in with the authenticator code of its key', async () => {
        const user = await makeUser({ tfPrimaryMethod: 'authenticator', tfTotpSecret: FLASK_ROW.stored });
        const cookie = await pendingSignIn(user);
        const answer = await validate(cookie, authenticator(FLASK_ROW.base32Key).code());
        expect(answer.status).toBe(200);
        expect(answer.body.user).toMatchObject({ id: user.id });
      });
    });

    describe('email and SMS codes', () => {
      it('email: set up and sign in with the codes from the mails', async () => {
        const user = await makeUser();
        const s = await session(user);
        let seen = flows.sink.messages.length;
        const started = await authed('post', '/auth/tf-setup', s).send({ setup: 'email' });
        expect(started.status).toBe(200);
        expect(started.body.tf_authr_key).toBeUndefined();
        const setupMail = await flows.sink.waitFor(
          (m) => m.to.includes(user.email) && m.subject === TF_SUBJECT && flows.sink.messages.indexOf(m) >= seen,
        );
        await authed('post', `/auth/tf-setup/${started.body.tf_state_token}`, s)
          .send({ code: codeOf(setupMail) })
          .expect(200);
        expect((await row(user)).tf_primary_method).toBe('email');
        await authed('post', '/auth/logout', s).send({}).expect(200);

        seen = flows.sink.messages.length;
        const first = await login(user);
        expect(first.body).toMatchObject({ tf_required: true, tf_method: 'email' });
        const mail = await flows.sink.waitFor(
          (m) => m.to.includes(user.email) && m.subject === TF_SUBJECT && flows.sink.messages.indexOf(m) >= seen,
        );
        expect(mail.text).toMatch(/expires in 5 minutes/);
        expect(codeOf(mail)).not.toBe(codeOf(setupMail));
        const answer = await validate(cookiesOf(first.headers['set-cookie']), codeOf(mail));
        expect(answer.status).toBe(200);
        expect(answer.body.user).toMatchObject({ id: user.id });
      });

      it('sms: the code goes to the SmsSender, to the phone given at setup', async () => {
        const user = await makeUser();
        const s = await session(user);
        const phone = `+1555000${String(seq).padStart(4, '0')}`;
        const started = await authed('post', '/auth/tf-setup', s).send({ setup: 'sms', phone });
        expect(started.status).toBe(200);
        await authed('post', `/auth/tf-setup/${started.body.tf_state_token}`, s)
          .send({ code: sms.lastCode(phone)! })
          .expect(200);
        expect(await row(user)).toMatchObject({ tf_primary_method: 'sms', tf_phone_number: phone });
        await authed('post', '/auth/logout', s).send({}).expect(200);

        const before = sms.sent.length;
        const first = await login(user);
        expect(first.body).toMatchObject({ tf_required: true, tf_method: 'sms' });
        expect(sms.sent.length).toBe(before + 1);
        await validate(cookiesOf(first.headers['set-cookie']), sms.lastCode(phone)!).expect(200);
      });

      it('sms needs a phone number', async () => {
        const s = await session(await makeUser());
        const answer = await authed('post', '/auth/tf-setup', s).send({ setup: 'sms' });
        expect(answer.status).toBe(400);
        expect(answer.body.errors.phone).toBeDefined();
      });
    });

    describe('recovery codes', () => {
      const recover = (cookie: string, code: string) =>
        request(flows.server).post('/auth/mf-recovery').set('Cookie', cookie).send({ code });

      it('are shown once, stored hashed; one signs in once; ten concurrent uses give one success', async () => {
        const user = await makeUser();
        const app = await setUpAuthenticator(user);
        const signedIn = await validate(await pendingSignIn(user), app.code(1)).expect(200);
        const s = { cookie: cookiesOf(signedIn.headers['set-cookie']), csrf: signedIn.body.csrf_token };
        const generated = await authed('post', '/auth/mf-recovery-codes', s).send({});
        expect(generated.status).toBe(200);
        const codes: string[] = generated.body.recovery_codes;
        expect(codes).toHaveLength(5);
        expect(generated.headers['cache-control']).toBe('no-store');
        for (const code of codes) expect(code).toMatch(/^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/);
        const stored: string = (await row(user)).mf_recovery_codes;
        for (const code of codes) expect(stored).not.toContain(code);
        expect((await authed('get', '/auth/mf-recovery-codes', s).expect(200)).body).toEqual({ recovery_codes_count: 5 });
        expect(flows.events.map((event) => event.name)).toContain('mf.recovery_codes_generated');

        const used = await recover(await pendingSignIn(user), codes[0]!);
        expect(used.status).toBe(200);
        expect(used.body.user).toMatchObject({ id: user.id });
        await request(flows.server).get('/auth/me').set('Cookie', cookiesOf(used.headers['set-cookie'])).expect(200);
        const reused = await recover(await pendingSignIn(user), codes[0]!);
        expect(reused.status).toBe(400);
        expect(reused.body.code).toBe('INVALID_CODE');

        const cookie = await pendingSignIn(user);
        const answers = await Promise.all(Array.from({ length: 10 }, () => recover(cookie, codes[1]!)));
        expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
        expect((await row(user)).mf_recovery_codes.split(',')).toHaveLength(3);
      });

      it('plain codes in a row Flask-Security wrote still work, once', async () => {
        const user = await makeUser({
          tfPrimaryMethod: 'authenticator',
          tfTotpSecret: FLASK_ROW.stored,
          mfRecoveryCodes: ['1a2b-3c4d-5e6f', 'aaaa-bbbb-cccc'],
        });
        await recover(await pendingSignIn(user), '1a2b-3c4d-5e6f').expect(200);
        expect((await recover(await pendingSignIn(user), '1a2b-3c4d-5e6f')).status).toBe(400);
        expect((await row(user)).mf_recovery_codes).toBe('aaaa-bbbb-cccc');
      });

      it('without a pending sign-in, a recovery code does nothing', async () => {
        const answer = await recover('', '1a2b-3c4d-5e6f');
        expect(answer.status).toBe(400);
        expect(answer.body.code).toBe('TF_NOT_PENDING');
      });
    });
  });
  describe("the code mail's link with redirectBehavior 'spa' (real PostgreSQL, real SMTP)", () => {
    let flows: FlowsApp;

    beforeAll(async () => {
      flows = await createFlowsApp(
        {
          twoFactor: true,
          totpSecrets: FLASK_ROW.secrets,
          unifiedSignin: true,
          redirectBehavior: 'spa',
          redirects: { loginError: '/signin-problem', postLogin: '/home' },
          limits: { perIp: { max: 10_000 } },
        },
        platform,
      );
    });
    afterAll(() => flows?.close());

    /** Mails a sign-in code to `email` and answers the link of that mail. */
    const mailedLink = async (email: string): Promise<string> => {
      const seen = flows.sink.messages.length;
      await request(flows.server).post('/auth/us-signin/send-code').send({ identity: email, chosen_method: 'email' }).expect(200);
      const mail = await flows.sink.waitFor((m) => m.to.includes(email) && flows.sink.messages.indexOf(m) >= seen);
      const link = new URL(/https?:\/\/\S+us-verify-link\S+/.exec(mail.text)![0]);
      return link.pathname + link.search;
    };

    it('needing a second factor, a browser lands on the login error view with tf_required=1, signed in to nothing', async () => {
      const user = await flows.datastore.createUser({ email: `spa-tf-${platform}@example.com`, password: null, confirmedAt: new Date() });
      await flows.datastore.tfSet(user, 'authenticator', FLASK_ROW.stored);

      const followed = await request(flows.server).get(await mailedLink(user.email));
      expect(followed.status).toBe(302);
      expect(followed.headers.location).toBe('https://app.example.test/signin-problem?tf_required=1');
      // No session, and no pending sign-in: Flask-Security starts none for a SPA.
      const cookies = cookiesOf(followed.headers['set-cookie']);
      expect(cookies).not.toContain('nest_security_session=');
      const code = authenticator(FLASK_ROW.base32Key).code();
      const validated = await request(flows.server).post('/auth/tf-validate').set('Cookie', cookies).send({ code });
      expect(validated.body.code).toBe('TF_NOT_PENDING');

      // A JSON client following such a link still gets the second step.
      const asJson = await request(flows.server)
        .get(await mailedLink(user.email))
        .set('Accept', 'application/json');
      expect(asJson.body).toMatchObject({ tf_required: true, tf_method: 'authenticator' });
    });

    it('without two-factor the link signs in and goes to the post-login view, as before', async () => {
      const user = await flows.datastore.createUser({
        email: `spa-plain-${platform}@example.com`,
        password: null,
        confirmedAt: new Date(),
      });
      const followed = await request(flows.server).get(await mailedLink(user.email));
      expect(followed.status).toBe(302);
      expect(followed.headers.location).toBe('https://app.example.test/home');
      expect(cookiesOf(followed.headers['set-cookie'])).toContain('nest_security_session=');
    });
  });
});
