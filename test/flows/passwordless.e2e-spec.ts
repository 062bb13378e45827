import request from 'supertest';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { URLSafeTimedSerializer } from '../../src/core/signing/index.js';
import type { SecurityUser } from '../../src/storage/typeorm/entities/security-user.entity.js';
import { TokenFactory } from '../../src/tokens/token.factory.js';
import { cookiesOf, createFlowsApp, FLOWS_SECRET_KEY, type FlowsApp } from '../support/flows-app.js';
import { extractLink, extractToken, type ReceivedMail } from '../support/smtp-sink.js';
import { flask, insertFlaskUsers } from '../fixtures/flask-tokens.js';
import { TEST_PLATFORMS } from '../support/platform.js';

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const PASSWORD = 'a long enough passphrase';
  const JSON_ACCEPT = 'application/json';
  const LINK_SUBJECT = 'Your login link';

  /** Opens the link from `mail` as an API client would (JSON answer). */
  const follow = (flows: FlowsApp, token: string, cookie = '') => {
    const call = request(flows.server).get(`/auth/login/${token}`).set('Accept', JSON_ACCEPT);
    return cookie ? call.set('Cookie', cookie) : call;
  };

  describe('passwordless login links (real PostgreSQL, real SMTP)', () => {
    let flows: FlowsApp;
    let seq = 0;

    beforeAll(async () => {
      flows = await createFlowsApp(
        {
          passwordless: true,
          redirects: { postLogin: '/welcome', loginError: '/login-error' },
          limits: { perAccount: { max: 5 }, perIp: { max: 10_000 } },
        },
        platform,
      );
    });
    afterAll(() => flows?.close());
    beforeEach(() => {
      flows.events.length = 0;
    });

    const makeUser = async (overrides: Partial<SecurityUser> = {}): Promise<SecurityUser> => {
      const password = await flows.app.get(PasswordHasher).hash(PASSWORD);
      const user = await flows.datastore.createUser({ email: `pl${++seq}@example.com`, password, confirmedAt: new Date() });
      if (Object.keys(overrides).length > 0) return flows.datastore.saveUser(Object.assign(user, overrides));
      return user;
    };

    /** POST /login-link and the mail it sends. */
    const askForLink = async (email: string): Promise<{ token: string; mail: ReceivedMail }> => {
      const answer = await request(flows.server).post('/auth/login-link').send({ email });
      expect(answer.status).toBe(200);
      const mail = await flows.sink.waitFor((m) => m.to.includes(email) && m.subject === LINK_SUBJECT);
      return { token: extractToken(mail, '/auth/login/'), mail };
    };

    it('refuses a caller already signed in with 400 ANONYMOUS_REQUIRED, leaving the link unused', async () => {
      const user = await makeUser();
      const { token } = await askForLink(user.email);
      const signedIn = await request(flows.server).post('/auth/login').send({ email: user.email, password: PASSWORD });
      const cookie = (signedIn.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
      const refused = await follow(flows, token, cookie);
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 400, code: 'ANONYMOUS_REQUIRED' });
      expect((await follow(flows, token)).status).toBe(200);
    });

    it('mails a link that signs in; the session works', async () => {
      const user = await makeUser();
      const { token, mail } = await askForLink(user.email);
      expect(extractLink(mail, '/auth/login/')).toBe(`https://app.example.test/auth/login/${token}`);
      expect(mail.text).not.toContain(PASSWORD);

      const answer = await follow(flows, token);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ code: 'LOGIN_SUCCESSFUL', user: { id: user.id, email: user.email } });
      expect(answer.body.authentication_token).toBeUndefined();
      const me = await request(flows.server).get('/auth/me').set('Cookie', cookiesOf(answer.headers['set-cookie']));
      expect(me.status).toBe(200);
      expect(me.body.user.email).toBe(user.email);

      const sent = flows.events.find((event) => event.name === 'login.instructions_sent');
      expect(sent?.payload).toEqual({ userId: user.id, email: user.email });
      const authenticated = flows.events.find((event) => event.name === 'user.authenticated');
      expect(authenticated?.payload).toEqual({ userId: user.id, via: 'passwordless' });
      expect(JSON.stringify(flows.events)).not.toContain(token);
    });

    it('gives API clients an auth token with ?include_auth_token', async () => {
      const user = await makeUser();
      const { token } = await askForLink(user.email);
      const answer = await request(flows.server).get(`/auth/login/${token}?include_auth_token`);
      expect(answer.status).toBe(200);
      expect(answer.body.authentication_token).toEqual(expect.any(String));
      await request(flows.server).get('/auth/me').set('Authentication-Token', answer.body.authentication_token).expect(200);
    });

    it('redirects a browser to redirects.postLogin, signed in, and errors to redirects.loginError', async () => {
      const user = await makeUser();
      const { token } = await askForLink(user.email);
      const answer = await request(flows.server).get(`/auth/login/${token}`).set('Accept', 'text/html');
      expect(answer.status).toBe(302);
      const location = new URL(answer.headers.location);
      expect(`${location.origin}${location.pathname}`).toBe('https://app.example.test/welcome');
      expect(location.searchParams.get('email')).toBeNull();
      expect(answer.headers.location).not.toContain(token);
      await request(flows.server).get('/auth/me').set('Cookie', cookiesOf(answer.headers['set-cookie'])).expect(200);

      const again = await request(flows.server).get(`/auth/login/${token}`).set('Accept', 'text/html');
      expect(again.status).toBe(302);
      const error = new URL(again.headers.location);
      expect(error.pathname).toBe('/login-error');
      expect(error.searchParams.get('code')).toBe('USED_TOKEN');
      expect(error.searchParams.get('error')).toEqual(expect.any(String));
    });

    it('works once: the second click fails cleanly', async () => {
      const user = await makeUser();
      const { token } = await askForLink(user.email);
      expect((await follow(flows, token)).status).toBe(200);
      const second = await follow(flows, token);
      expect(second.status).toBe(400);
      expect(second.body).toMatchObject({ statusCode: 400, code: 'USED_TOKEN', message: expect.any(String) });
      expect(second.headers['set-cookie']).toBeUndefined();
    });

    it('of 10 concurrent clicks, exactly one signs in', async () => {
      const user = await makeUser();
      const { token } = await askForLink(user.email);
      const answers = await Promise.all(Array.from({ length: 10 }, () => follow(flows, token)));
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([200, ...Array(9).fill(400)]);
      for (const answer of answers.filter((each) => each.status === 400)) expect(answer.body.code).toBe('USED_TOKEN');
      const signIns = flows.events.filter((event) => event.name === 'user.authenticated');
      expect(signIns).toHaveLength(1);
    });

    it('tells an expired link (and mails a fresh one) from an invalid one', async () => {
      const user = await makeUser();
      const twoDaysAgo = Math.floor(Date.now() / 1000) - 2 * 86400;
      const old = new URLSafeTimedSerializer(FLOWS_SECRET_KEY, { salt: 'login-salt', now: () => twoDaysAgo }).dumps([user.fsUniquifier]);

      const expired = await follow(flows, old);
      expect(expired.status).toBe(400);
      expect(expired.body).toMatchObject({ code: 'EXPIRED_TOKEN', resent: true });
      expect(expired.body.message).toMatch(/expired/i);
      const fresh = await flows.sink.waitFor((m) => m.to.includes(user.email) && m.subject === LINK_SUBJECT);
      expect((await follow(flows, extractToken(fresh, '/auth/login/'))).status).toBe(200);

      const tampered = `${old.slice(0, -2)}${old.endsWith('AA') ? 'BB' : 'AA'}`;
      for (const token of [tampered, 'not-a-token', 'a.b.c', 'x'.repeat(3000)]) {
        const invalid = await follow(flows, token);
        expect({ token: token.slice(0, 20), status: invalid.status, code: invalid.body.code }).toEqual({
          token: token.slice(0, 20),
          status: 400,
          code: 'INVALID_TOKEN',
        });
      }
      // A login link is no other kind of token: a confirm token does not sign in.
      const confirm = flows.app.get(TokenFactory).confirm(user);
      expect((await follow(flows, confirm)).body.code).toBe('INVALID_TOKEN');
    });

    it('dies when the uniquifier rotates (password change, sign out everywhere)', async () => {
      const user = await makeUser();
      const { token } = await askForLink(user.email);
      await flows.datastore.setUniquifier(user);
      const answer = await follow(flows, token);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('INVALID_TOKEN');
    });

    it('dies with a password change through POST /change', async () => {
      const user = await makeUser();
      const login = await request(flows.server).post('/auth/login?include_auth_token').send({ email: user.email, password: PASSWORD });
      expect(login.status).toBe(200);
      const { token } = await askForLink(user.email);
      await request(flows.server)
        .post('/auth/change')
        .set('Authentication-Token', login.body.authentication_token)
        .send({ password: PASSWORD, new_password: 'another long passphrase' })
        .expect(200);
      expect((await follow(flows, token)).body.code).toBe('INVALID_TOKEN');
    });

    it('dies once the email changes: a link mailed to the old address signs nobody in', async () => {
      const user = await makeUser();
      const { token } = await askForLink(user.email);
      const login = await request(flows.server).post('/auth/login?include_auth_token').send({ email: user.email, password: PASSWORD });
      const newEmail = `pl-moved${++seq}@example.com`;
      await request(flows.server)
        .post('/auth/change-email')
        .set('Authentication-Token', login.body.authentication_token)
        .send({ email: newEmail })
        .expect(200);
      const mail = await flows.sink.waitFor((m) => m.to.includes(newEmail));
      const changed = await request(flows.server).get(`/auth/change-email/${extractToken(mail, '/auth/change-email/')}`);
      expect(changed.body.code).toBe('CHANGE_EMAIL_CONFIRMED');
      const answer = await follow(flows, token);
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 400, code: 'INVALID_TOKEN' });
      expect(answer.headers['set-cookie'] ?? []).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^nest_security_session=[^;]/)]),
      );
    });

    it('answers the same for unknown, disabled and good accounts, in body, status and time', async () => {
      const good = await makeUser();
      const disabled = await makeUser({ active: false });
      const ask = (email: string) => request(flows.server).post('/auth/login-link').send({ email });
      const shape = (answer: request.Response, email: string) => ({
        status: answer.status,
        body: JSON.parse(JSON.stringify(answer.body).split(email).join('<email>')),
        cookies: answer.headers['set-cookie'],
      });
      const known = shape(await ask(good.email), good.email);
      expect(shape(await ask('nobody@example.com'), 'nobody@example.com')).toEqual(known);
      expect(shape(await ask(disabled.email), disabled.email)).toEqual(known);
      await flows.settleMail();
      expect(flows.sink.messages.filter((m) => m.to.includes('nobody@example.com') || m.to.includes(disabled.email))).toEqual([]);
      expect(flows.events.filter((event) => event.name === 'login.instructions_sent')).toHaveLength(1);

      // Time: the mail goes out after the answer, so both paths do one lookup and two counter updates.
      const timings = { known: [] as number[], unknown: [] as number[] };
      for (let i = 0; i < 8; i++) {
        const user = await makeUser();
        for (const [kind, email] of [
          ['known', user.email],
          ['unknown', `ghost${seq}-${i}@example.com`],
        ] as const) {
          const started = process.hrtime.bigint();
          expect((await ask(email)).status).toBe(200);
          timings[kind].push(Number(process.hrtime.bigint() - started) / 1e6);
        }
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
      expect(Math.abs(median(timings.known) - median(timings.unknown))).toBeLessThan(25);
    });

    it('refuses a disabled account a link it already has', async () => {
      const user = await makeUser();
      const { token } = await askForLink(user.email);
      await flows.datastore.deactivateUser(user);
      expect((await follow(flows, token)).body.code).toBe('INVALID_TOKEN');
    });

    it('limits requests per account (429 with Retry-After), known or not', async () => {
      const user = await makeUser();
      for (const email of [user.email, 'nobody-limited@example.com']) {
        const statuses: number[] = [];
        let last: request.Response | undefined;
        for (let i = 0; i < 6; i++) {
          last = await request(flows.server).post('/auth/login-link').send({ email });
          statuses.push(last.status);
        }
        expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
        expect(last!.body.code).toBe('TOO_MANY_ATTEMPTS');
        expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
      }
    });

    const bodies: Array<[label: string, contentType: string, body: string]> = [
      ['broken JSON', 'application/json', '{"email": '],
      ['a JSON array', 'application/json', '[1, 2, 3]'],
      ['null', 'application/json', 'null'],
      ['a number for the email', 'application/json', '{"email": 12}'],
      ['an object for the email', 'application/json', '{"email": {"$ne": null}}'],
      ['no email', 'application/json', '{}'],
      ['not an address', 'application/json', '{"email": "nope"}'],
      ['an unknown field', 'application/json', '{"email": "a@example.com", "next": "https://evil.example"}'],
      ['an overlong email', 'application/json', JSON.stringify({ email: `${'a'.repeat(300)}@example.com` })],
      ['form encoding', 'application/x-www-form-urlencoded', 'email[]=x'],
      ['plain text', 'text/plain', 'email=a@example.com'],
    ];

    it.each(bodies)('answers a malformed body (%s) with 400, never 500', async (_label, contentType, body) => {
      const answer = await request(flows.server).post('/auth/login-link').set('Content-Type', contentType).send(body);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toMatch(/^(VALIDATION_ERROR|MALFORMED_BODY|CSRF_FAILED)$/);
    });

    it('is not there while unified sign-in is off (404)', async () => {
      const answer = await request(flows.server).post('/auth/us-signin').send({ identity: 'a@example.com', passcode: '123456' });
      expect(answer.status).toBe(404);
    });
  });

  describe('login links mailed by Flask-Security 5.1.2 sign in here', () => {
    let flows: FlowsApp;

    beforeAll(async () => {
      flows = await createFlowsApp(
        {
          secretKey: flask.secretKey,
          passwordSalt: flask.passwordSalt,
          passwordless: true,
          loginWithin: '100000 days', // the fixtures were minted once, on 2026-11-28
          returnGenericResponses: false,
        },
        platform,
      );
      await insertFlaskUsers(flows.datastore, { confirmed: true });
    });
    afterAll(() => flows?.close());

    it.each(flask.users.map((user) => [user.email, user] as const))('login link of %s, once', async (email, user) => {
      const answer = await follow(flows, user.loginToken);
      expect(answer.status).toBe(200);
      expect(answer.body.user.email).toBe(email);
      await request(flows.server).get('/auth/me').set('Cookie', cookiesOf(answer.headers['set-cookie'])).expect(200);
      expect((await follow(flows, user.loginToken)).body.code).toBe('USED_TOKEN');
    });

    it('mints links with the payload Flask-Security reads: [fs_uniquifier]', async () => {
      const user = flask.users[0]!;
      const mine = flows.app.get(TokenFactory).login((await flows.datastore.findUser({ email: user.email }))!);
      const loaded = new URLSafeTimedSerializer(flask.secretKey, { salt: 'login-salt' }).loads(mine);
      expect(loaded).toEqual([user.fsUniquifier]);
    });

    it('says so for an unknown address when generic responses are off', async () => {
      const answer = await request(flows.server).post('/auth/login-link').send({ email: 'nobody@example.com' });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'VALIDATION_ERROR', errors: { email: [expect.any(String)] } });
    });
  });

  describe('login links bound to the browser that asked (passwordlessBindToBrowser)', () => {
    let flows: FlowsApp;
    let seq = 0;

    beforeAll(async () => {
      flows = await createFlowsApp({ passwordless: true, passwordlessBindToBrowser: true }, platform);
    });
    afterAll(() => flows?.close());

    const makeUser = async (): Promise<SecurityUser> =>
      flows.datastore.createUser({ email: `bound${++seq}@example.com`, password: null, confirmedAt: new Date() });

    const askForLink = async (email: string, cookie = '') => {
      const call = request(flows.server).post('/auth/login-link');
      const answer = await (cookie ? call.set('Cookie', cookie) : call).send({ email });
      expect(answer.status).toBe(200);
      const mail = await flows.sink.waitFor((m) => m.to.includes(email) && m.subject === LINK_SUBJECT);
      return {
        token: extractToken(mail, '/auth/login/'),
        cookie: cookiesOf(answer.headers['set-cookie']),
        setCookie: answer.headers['set-cookie'],
      };
    };

    it('signs in only in the asking browser; elsewhere the link is refused without being used up', async () => {
      const user = await makeUser();
      const { token, cookie, setCookie } = await askForLink(user.email);
      expect(String(setCookie)).toMatch(/_login_link=[A-Za-z0-9_-]{22}; .*HttpOnly/);

      const elsewhere = await follow(flows, token);
      expect(elsewhere.status).toBe(400);
      expect(elsewhere.body.code).toBe('LINK_BROWSER_MISMATCH');

      const here = await follow(flows, token, cookie);
      expect(here.status).toBe(200);
      expect(here.body.user.email).toBe(user.email);
      expect((await follow(flows, token, cookie)).body.code).toBe('USED_TOKEN');
    });

    it('keeps several pending links of one browser', async () => {
      const first = await makeUser();
      const second = await makeUser();
      const a = await askForLink(first.email);
      const b = await askForLink(second.email, a.cookie);
      expect((await follow(flows, a.token, b.cookie)).status).toBe(200);
      expect((await follow(flows, b.token, b.cookie)).status).toBe(200);
    });

    it('sets the same cookie for an unknown address', async () => {
      const answer = await request(flows.server).post('/auth/login-link').send({ email: 'nobody@example.com' });
      expect(answer.status).toBe(200);
      expect(String(answer.headers['set-cookie'])).toMatch(/_login_link=[A-Za-z0-9_-]{22}; .*HttpOnly/);
    });
  });
});
