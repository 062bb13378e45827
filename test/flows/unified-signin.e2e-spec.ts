import request from 'supertest';
import type { DataSource } from 'typeorm';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { URLSafeTimedSerializer } from '../../src/core/signing/index.js';
import type { SecurityUser } from '../../src/storage/typeorm/entities/security-user.entity.js';
import { SECURITY_DATA_SOURCE } from '../../src/security.constants.js';
import { cookiesOf, createFlowsApp, FLOWS_SECRET_KEY, type FlowsApp } from '../support/flows-app.js';
import type { ReceivedMail } from '../support/smtp-sink.js';
import { TEST_PLATFORMS } from '../support/platform.js';

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const PASSWORD = 'a long enough passphrase';
  const CODE_SUBJECT = 'Your sign-in code';
  const MAX_PER_ACCOUNT = 5;

  /** The six-digit code of a code mail. */
  function codeOf(mail: ReceivedMail): string {
    const match = /code is: (\d{6})/.exec(mail.text);
    if (!match) throw new Error(`no code in mail "${mail.subject}"`);
    return match[1]!;
  }

  describe('unified sign-in (real PostgreSQL, real SMTP)', () => {
    let flows: FlowsApp;
    let dataSource: DataSource;
    let seq = 0;

    beforeAll(async () => {
      flows = await createFlowsApp(
        {
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

    const makeUser = async (overrides: Partial<SecurityUser> = {}): Promise<SecurityUser> => {
      const n = ++seq;
      const password = await flows.app.get(PasswordHasher).hash(PASSWORD);
      const user = await flows.datastore.createUser({
        email: `us${n}@example.com`,
        username: `ususer${n}`,
        password,
        confirmedAt: new Date(),
      });
      return Object.keys(overrides).length > 0 ? flows.datastore.saveUser(Object.assign(user, overrides)) : user;
    };

    const sendCode = (identity: string) =>
      request(flows.server).post('/auth/us-signin/send-code').send({ identity, chosen_method: 'email' });

    /** Asks for a code and reads it from the mail (only mails that arrive after the request count). */
    const codeFor = async (user: SecurityUser, identity = user.email): Promise<{ code: string; mail: ReceivedMail }> => {
      const seen = flows.sink.messages.length;
      expect((await sendCode(identity)).status).toBe(200);
      const mail = await flows.sink.waitFor(
        (m) => m.to.includes(user.email) && m.subject === CODE_SUBJECT && flows.sink.messages.indexOf(m) >= seen,
      );
      return { code: codeOf(mail), mail };
    };

    const signIn = (identity: string, passcode: string, query = '') =>
      request(flows.server).post(`/auth/us-signin${query}`).send({ identity, passcode });

    describe('POST /us-signin with an emailed code', () => {
      it('mails a code that signs in; the session works', async () => {
        const user = await makeUser();
        const { code, mail } = await codeFor(user);
        expect(mail.text).toMatch(/expires in 2 minutes/);

        const answer = await signIn(user.email, code);
        expect(answer.status).toBe(200);
        expect(answer.body.user).toMatchObject({ id: user.id, email: user.email });
        await request(flows.server).get('/auth/me').set('Cookie', cookiesOf(answer.headers['set-cookie'])).expect(200);

        const sent = flows.events.find((event) => event.name === 'us.code_sent');
        expect(sent?.payload).toEqual({ userId: user.id, method: 'email', purpose: 'signin', withLink: true });
        expect(flows.events.find((event) => event.name === 'user.authenticated')?.payload).toEqual({ userId: user.id, via: 'us-email' });
        expect(JSON.stringify(flows.events)).not.toContain(code);
      });

      it('stores only a hash of the code, and uses it up', async () => {
        const user = await makeUser();
        const { code } = await codeFor(user);
        const rows: Array<{ code_hash: string }> = await dataSource.query('SELECT code_hash FROM security_us_code WHERE user_id = $1', [
          user.id,
        ]);
        expect(rows).toHaveLength(1);
        expect(rows[0]!.code_hash).toMatch(/^[0-9a-f]{64}$/);
        expect(rows[0]!.code_hash).not.toContain(code);

        expect((await signIn(user.email, code)).status).toBe(200);
        const again = await signIn(user.email, code);
        expect(again.status).toBe(400);
        expect(again.body.code).toBe('INVALID_CREDENTIALS');
        expect(await dataSource.query('SELECT 1 FROM security_us_code WHERE user_id = $1', [user.id])).toEqual([]);
      });

      it('accepts the username as identity and an auth token with ?include_auth_token', async () => {
        const user = await makeUser();
        const { code } = await codeFor(user, user.username!.toUpperCase());
        const answer = await signIn(user.username!, code, '?include_auth_token');
        expect(answer.status).toBe(200);
        await request(flows.server).get('/auth/me').set('Authentication-Token', answer.body.authentication_token).expect(200);
      });

      it('refuses a wrong code, and the right one still works after it', async () => {
        const user = await makeUser();
        const { code } = await codeFor(user);
        const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
        const answer = await signIn(user.email, wrong);
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({ code: 'INVALID_CREDENTIALS', message: expect.any(String) });
        expect((await signIn(user.email, code)).status).toBe(200);
      });

      it('only the newest code counts', async () => {
        const user = await makeUser();
        const first = await codeFor(user);
        const second = await codeFor(user);
        if (first.code !== second.code) expect((await signIn(user.email, first.code)).status).toBe(400);
        expect((await signIn(user.email, second.code)).status).toBe(200);
      });

      it('tells an expired code from a wrong one', async () => {
        const user = await makeUser();
        const { code } = await codeFor(user);
        // Time passes: the code is past usTokenValidity.
        await dataSource.query(`UPDATE security_us_code SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
        const late = await signIn(user.email, code);
        expect(late.status).toBe(400);
        expect(late.body.code).toBe('EXPIRED_CODE');
        expect(late.body.message).toMatch(/expired/i);
        const wrong = await signIn(user.email, code === '000000' ? '000001' : '000000');
        expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
      });

      it('limits a burst of wrong codes (429 with Retry-After); even the right code waits out the lockout', async () => {
        const user = await makeUser();
        const { code } = await codeFor(user);
        const wrong = code === '111111' ? '222222' : '111111';
        const statuses: number[] = [];
        for (let i = 0; i < MAX_PER_ACCOUNT + 2; i++) statuses.push((await signIn(user.email, wrong)).status);
        expect(statuses).toEqual([...Array(MAX_PER_ACCOUNT).fill(400), 429, 429]);
        const locked = await signIn(user.email, code);
        expect(locked.status).toBe(429);
        expect(locked.body.code).toBe('TOO_MANY_ATTEMPTS');
        expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
        // The username is the same account.
        expect((await signIn(user.username!, code)).status).toBe(429);
      });

      it('limits an unknown identity the same way (no enumeration through the lockout)', async () => {
        const statuses: number[] = [];
        for (let i = 0; i < MAX_PER_ACCOUNT + 1; i++) statuses.push((await signIn('ghost@example.com', '123456')).status);
        expect(statuses).toEqual([...Array(MAX_PER_ACCOUNT).fill(400), 429]);
      });

      it('of 5 concurrent uses of one code, exactly one signs in', async () => {
        const user = await makeUser();
        const { code } = await codeFor(user);
        const answers = await Promise.all(Array.from({ length: 5 }, () => signIn(user.email, code)));
        expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400, 400, 400, 400]);
      });

      it('kills pending codes when the uniquifier rotates', async () => {
        const user = await makeUser();
        const { code } = await codeFor(user);
        await flows.datastore.setUniquifier(user);
        expect((await signIn(user.email, code)).body.code).toBe('INVALID_CREDENTIALS');
      });

      it('signs in with the link of the code mail, once', async () => {
        const user = await makeUser();
        const { code, mail } = await codeFor(user);
        const link = new URL(/https?:\/\/\S+us-verify-link\S+/.exec(mail.text)![0]);
        expect(`${link.origin}${link.pathname}`).toBe('https://app.example.test/auth/us-verify-link');
        expect(link.searchParams.get('email')).toBe(user.email);
        expect(link.searchParams.get('code')).toBe(code);

        const answer = await request(flows.server).get(`${link.pathname}${link.search}`).set('Accept', 'application/json');
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ code: 'LOGIN_SUCCESSFUL', user: { email: user.email } });
        await request(flows.server).get('/auth/me').set('Cookie', cookiesOf(answer.headers['set-cookie'])).expect(200);
        expect(flows.events.find((event) => event.name === 'user.authenticated')?.payload).toEqual({ userId: user.id, via: 'us-email' });

        const again = await request(flows.server).get(`${link.pathname}${link.search}`).set('Accept', 'application/json');
        expect(again.status).toBe(400);
        expect(again.body.code).toBe('INVALID_CODE');
        expect((await signIn(user.email, code)).status).toBe(400);
        for (const query of ['', '?email=x@example.com', `?email=${user.email}&code=abc`, `?email[]=a&code[]=b`]) {
          const bad = await request(flows.server).get(`/auth/us-verify-link${query}`).set('Accept', 'application/json');
          expect({ query, status: bad.status, code: bad.body.code }).toEqual({ query, status: 400, code: 'INVALID_CODE' });
        }
      });

      it('GET /us-verify-link is for callers not signed in, as Flask-Security 5.9: a signed-in browser keeps its session', async () => {
        const owner = await makeUser();
        const signedIn = await signIn(owner.email, PASSWORD);
        const ownerCookie = cookiesOf(signedIn.headers['set-cookie']);
        const other = await makeUser();
        const { code, mail } = await codeFor(other);
        const link = new URL(/https?:\/\/\S+us-verify-link\S+/.exec(mail.text)![0]);

        const refused = await request(flows.server)
          .get(`${link.pathname}${link.search}`)
          .set('Cookie', ownerCookie)
          .set('Accept', 'application/json');
        expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 400, code: 'ANONYMOUS_REQUIRED' });
        expect(refused.headers['set-cookie']).toBeUndefined();
        const me = await request(flows.server).get('/auth/me').set('Cookie', ownerCookie);
        expect(me.status).toBe(200);
        expect(me.body.user.email).toBe(owner.email);
        // The code is not spent: the link still works where nobody is signed in.
        expect((await signIn(other.email, code)).status).toBe(200);
      });
    });

    describe('POST /us-signin with the password', () => {
      it('signs in with the password, via "us-password"', async () => {
        const user = await makeUser();
        const answer = await signIn(user.email, PASSWORD);
        expect(answer.status).toBe(200);
        expect(flows.events.find((event) => event.name === 'user.authenticated')?.payload).toEqual({ userId: user.id, via: 'us-password' });
        const wrong = await signIn(user.email, 'not the passphrase');
        expect(wrong.status).toBe(400);
        expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
      });
    });

    describe('generic answers', () => {
      it('send-code answers the same for unknown, disabled, unconfirmed and good identities, and mails only the good one', async () => {
        const good = await makeUser();
        const disabled = await makeUser({ active: false });
        const unconfirmed = await makeUser({ confirmedAt: null });
        const shape = (answer: request.Response) => ({ status: answer.status, body: answer.body });
        const expected = shape(await sendCode(good.email));
        expect(expected.status).toBe(200);
        for (const identity of ['ghost@example.com', 'ghostuser', disabled.email, unconfirmed.email]) {
          expect(shape(await sendCode(identity))).toEqual(expected);
        }
        await flows.settleMail();
        expect(flows.sink.messages.filter((m) => m.to.includes(disabled.email) || m.to.includes(unconfirmed.email))).toEqual([]);
        expect(flows.events.filter((event) => event.name === 'us.code_sent')).toHaveLength(1);
      });

      it('a code for an unknown identity fails exactly as a wrong code', async () => {
        const user = await makeUser();
        const shape = (answer: request.Response) => ({ status: answer.status, body: answer.body });
        expect(shape(await signIn('ghost2@example.com', '123456'))).toEqual(shape(await signIn(user.email, '123456')));
        expect(shape(await signIn('ghost2@example.com', 'some password'))).toEqual(shape(await signIn(user.email, 'some password')));
      });
    });

    describe('re-authentication: POST /us-verify/send-code and /us-verify', () => {
      const loginToken = async (user: SecurityUser) => {
        const answer = await request(flows.server).post('/auth/login?include_auth_token').send({ email: user.email, password: PASSWORD });
        expect(answer.status).toBe(200);
        return answer.body.authentication_token as string;
      };

      it('requires a signed-in user', async () => {
        expect((await request(flows.server).post('/auth/us-verify').send({ passcode: '123456' })).status).toBe(401);
        expect((await request(flows.server).post('/auth/us-verify/send-code').send({ chosen_method: 'email' })).status).toBe(401);
      });

      it('verifies with an emailed code, or the password, and returns a fresh auth token', async () => {
        const user = await makeUser();
        const token = await loginToken(user);
        const send = await request(flows.server)
          .post('/auth/us-verify/send-code')
          .set('Authentication-Token', token)
          .send({ chosen_method: 'email' });
        expect(send.status).toBe(200);
        const mail = await flows.sink.waitFor((m) => m.to.includes(user.email) && m.subject === CODE_SUBJECT);
        expect(mail.text).not.toContain('us-verify-link');
        expect(flows.events.find((event) => event.name === 'us.code_sent')?.payload).toMatchObject({ purpose: 'verify', withLink: false });

        const verify = (passcode: string) =>
          request(flows.server).post('/auth/us-verify').set('Authentication-Token', token).send({ passcode });
        expect((await verify('000000' === codeOf(mail) ? '000001' : '000000')).body.code).toBe('INVALID_CREDENTIALS');
        const answer = await verify(codeOf(mail));
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ user: { email: user.email }, authentication_token: expect.any(String) });
        await request(flows.server).get('/auth/me').set('Authentication-Token', answer.body.authentication_token).expect(200);
        expect((await verify(PASSWORD)).status).toBe(200);
        expect((await verify('wrong password')).body.code).toBe('INVALID_CREDENTIALS');
      });

      it('a sign-in replacing a live session must carry its CSRF token, as POST /login', async () => {
        const user = await makeUser();
        const login = await request(flows.server).post('/auth/login').send({ email: user.email, password: PASSWORD });
        const cookie = cookiesOf(login.headers['set-cookie']);
        const signIn = () => request(flows.server).post('/auth/us-signin').set('Cookie', cookie);
        const refused = await signIn().send({ identity: user.email, passcode: PASSWORD });
        expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 400, code: 'CSRF_FAILED' });
        const accepted = await signIn().set('X-XSRF-Token', login.body.csrf_token).send({ identity: user.email, passcode: PASSWORD });
        expect(accepted.status).toBe(200);
      });

      it('makes a stale session fresh again (us-setup needs freshness)', async () => {
        const user = await makeUser();
        const login = await request(flows.server).post('/auth/login').send({ email: user.email, password: PASSWORD });
        const cookie = cookiesOf(login.headers['set-cookie']);
        const csrf = login.body.csrf_token ?? '';
        await dataSource.query(`UPDATE security_session SET authenticated_at = now() - interval '2 days', data = '{}' WHERE user_id = $1`, [
          user.id,
        ]);
        const setup = () => request(flows.server).get('/auth/us-setup').set('Cookie', cookie);
        const stale = await setup();
        expect(stale.status).toBe(401);
        expect(stale.body.code).toBe('REAUTH_REQUIRED');

        await request(flows.server)
          .post('/auth/us-verify/send-code')
          .set('Cookie', cookie)
          .set('X-XSRF-Token', csrf)
          .send({ chosen_method: 'email' })
          .expect(200);
        const mail = await flows.sink.waitFor((m) => m.to.includes(user.email) && m.subject === CODE_SUBJECT);
        await request(flows.server)
          .post('/auth/us-verify')
          .set('Cookie', cookie)
          .set('X-XSRF-Token', csrf)
          .send({ passcode: codeOf(mail) })
          .expect(200);
        expect((await setup()).status).toBe(200);
      });
    });

    describe('setup: POST /us-setup and /us-setup/:state', () => {
      const tokenOf = async (user: SecurityUser) =>
        (await request(flows.server).post('/auth/login?include_auth_token').send({ email: user.email, password: PASSWORD })).body
          .authentication_token as string;

      it('removes email, then adds it back with a mailed code tied to the state token', async () => {
        const user = await makeUser();
        const token = await tokenOf(user);
        const as = (call: request.Test) => call.set('Authentication-Token', token);

        const info = await as(request(flows.server).get('/auth/us-setup'));
        expect(info.body).toEqual({
          available_methods: ['password', 'email'],
          setup_methods: ['email'],
          active_methods: ['password', 'email'],
          code_methods: ['email'],
        });

        const removed = await as(request(flows.server).post('/auth/us-setup')).send({ delete_method: ['email'] });
        expect(removed.status).toBe(200);
        expect(removed.body.active_methods).toEqual(['password']);
        expect((await flows.datastore.findUser({ id: user.id }))!.usMethods).toEqual([]);
        expect(flows.events.find((event) => event.name === 'us.profile_changed')?.payload).toEqual({
          userId: user.id,
          methods: ['email'],
          delete: true,
        });
        // No code by mail for this user any more (the answer stays generic).
        await sendCode(user.email).expect(200);
        await flows.settleMail();
        expect(flows.sink.messages.filter((m) => m.to.includes(user.email))).toEqual([]);

        const chosen = await as(request(flows.server).post('/auth/us-setup')).send({ chosen_method: 'email' });
        expect(chosen.status).toBe(200);
        expect(chosen.body).toMatchObject({ chosen_method: 'email', state: expect.any(String) });
        const mail = await flows.sink.waitFor((m) => m.to.includes(user.email) && m.subject === CODE_SUBJECT);
        const code = codeOf(mail);
        const validate = (state: string, passcode: string) => as(request(flows.server).post(`/auth/us-setup/${state}`)).send({ passcode });

        expect((await validate(chosen.body.state, code === '000000' ? '000001' : '000000')).body.code).toBe('INVALID_CODE');
        expect((await validate('garbage', code)).body.code).toBe('INVALID_TOKEN');
        const otherState = new URLSafeTimedSerializer(FLOWS_SECRET_KEY, { salt: 'us-setup-salt' }).dumps({
          uid: 'someone-else',
          chosen_method: 'email',
          nonce: 'x',
        });
        expect((await validate(otherState, code)).body.code).toBe('INVALID_TOKEN');
        const hourAgo = Math.floor(Date.now() / 1000) - 3600;
        const state = JSON.parse(Buffer.from(chosen.body.state.split('.')[0], 'base64url').toString()) as Record<string, unknown>;
        const expiredState = new URLSafeTimedSerializer(FLOWS_SECRET_KEY, { salt: 'us-setup-salt', now: () => hourAgo }).dumps(state);
        expect((await validate(expiredState, code)).body.code).toBe('EXPIRED_TOKEN');
        // A sign-in code is no setup code.
        expect((await signIn(user.email, code)).status).toBe(400);

        const done = await validate(chosen.body.state, code);
        expect(done.status).toBe(200);
        expect(done.body).toMatchObject({ chosen_method: 'email', active_methods: ['password', 'email'] });
        expect((await flows.datastore.findUser({ id: user.id }))!.usMethods).toEqual(['email']);
        expect(flows.events.filter((event) => event.name === 'us.profile_changed').map((event) => event.payload)).toContainEqual({
          userId: user.id,
          methods: ['email'],
          delete: false,
        });
        expect((await validate(chosen.body.state, code)).body.code).toBe('INVALID_CODE');
        const { code: signinCode } = await codeFor(user);
        expect((await signIn(user.email, signinCode)).status).toBe(200);
      });

      it('refuses unknown methods and empty requests', async () => {
        const user = await makeUser();
        const token = await tokenOf(user);
        const setup = (body: unknown) =>
          request(flows.server)
            .post('/auth/us-setup')
            .set('Authentication-Token', token)
            .send(body as object);
        for (const body of [
          {},
          { chosen_method: 'sms' },
          { chosen_method: 'password' },
          { delete_method: ['authenticator'] },
          { delete_method: 'email' },
        ]) {
          const answer = await setup(body);
          expect({ body, status: answer.status, code: answer.body.code }).toEqual({ body, status: 400, code: 'VALIDATION_ERROR' });
        }
        expect((await request(flows.server).post('/auth/us-setup').send({ chosen_method: 'email' })).status).toBe(401);
      });
    });

    const ROUTES = ['/auth/us-signin', '/auth/us-signin/send-code'];
    const bodies: Array<[label: string, contentType: string, body: string]> = [
      ['broken JSON', 'application/json', '{"identity": '],
      ['a JSON array', 'application/json', '[1, 2, 3]'],
      ['null', 'application/json', 'null'],
      ['numbers for strings', 'application/json', '{"identity": 12, "passcode": 34, "chosen_method": 5}'],
      ['objects for strings', 'application/json', '{"identity": {"$ne": null}, "passcode": ["x"], "chosen_method": {}}'],
      ['nothing', 'application/json', '{}'],
      [
        'an unknown field',
        'application/json',
        '{"identity": "a@example.com", "passcode": "123456", "chosen_method": "email", "admin": true}',
      ],
      ['a non-boolean remember', 'application/json', '{"identity": "a@example.com", "passcode": "123456", "remember": "yes"}'],
      ['a method that sends no code', 'application/json', '{"identity": "a@example.com", "chosen_method": "sms"}'],
      ['an overlong passcode', 'application/json', JSON.stringify({ identity: 'a@example.com', passcode: 'p'.repeat(5000) })],
      [
        'an overlong identity',
        'application/json',
        JSON.stringify({ identity: 'a'.repeat(5000), passcode: '123456', chosen_method: 'email' }),
      ],
      ['plain text', 'text/plain', 'identity=a'],
    ];

    it.each(ROUTES)('answers malformed bodies on %s with 400, never 500', async (path) => {
      for (const [label, contentType, body] of bodies) {
        const answer = await request(flows.server).post(path).set('Content-Type', contentType).send(body);
        expect({ label, status: answer.status }).toEqual({ label, status: 400 });
        expect(answer.body.code).toMatch(/^(VALIDATION_ERROR|MALFORMED_BODY)$/);
      }
    });

    it('is not there while passwordless links are off (404)', async () => {
      expect((await request(flows.server).post('/auth/login-link').send({ email: 'a@example.com' })).status).toBe(404);
    });
  });

  describe('unified sign-in with email codes only', () => {
    let flows: FlowsApp;

    beforeAll(async () => {
      flows = await createFlowsApp({ unifiedSignin: true, usEnabledMethods: ['email'], usEmailLink: false }, platform);
    });
    afterAll(() => flows?.close());

    it('refuses the password, and mails codes without a link', async () => {
      const password = await flows.app.get(PasswordHasher).hash(PASSWORD);
      const user = await flows.datastore.createUser({ email: 'only-codes@example.com', password, confirmedAt: new Date() });
      const refused = await request(flows.server).post('/auth/us-signin').send({ identity: user.email, passcode: PASSWORD });
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('INVALID_CREDENTIALS');

      await request(flows.server).post('/auth/us-signin/send-code').send({ identity: user.email, chosen_method: 'email' }).expect(200);
      const mail = await flows.sink.waitFor((m) => m.to.includes(user.email));
      expect(mail.text).not.toContain('us-verify-link');
      const answer = await request(flows.server)
        .post('/auth/us-signin')
        .send({ identity: user.email, passcode: codeOf(mail) });
      expect(answer.status).toBe(200);
    });
  });

  describe('unified sign-in limits per client address', () => {
    let flows: FlowsApp;

    beforeAll(async () => {
      flows = await createFlowsApp({ unifiedSignin: true, limits: { perAccount: { max: 100 }, perIp: { max: 3 } } }, platform);
    });
    afterAll(() => flows?.close());

    it('locks an address that tries codes across many identities', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push(
          (
            await request(flows.server)
              .post('/auth/us-signin')
              .send({ identity: `spray${i}@example.com`, passcode: '123456' })
          ).status,
        );
      }
      expect(statuses).toEqual([400, 400, 400, 429, 429]);
    });
  });
});
