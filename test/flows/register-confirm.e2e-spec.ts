import request from 'supertest';
import { URLSafeTimedSerializer } from '../../src/core/signing/index.js';
import { hashData } from '../../src/core/passwords/index.js';
import { TokenFactory } from '../../src/tokens/token.factory.js';
import { extractLink, extractToken } from '../support/smtp-sink.js';
import { cookiesOf, createFlowsApp, FLOWS_APP_URL, FLOWS_SECRET_KEY, type FlowsApp } from '../support/flows-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const PASSWORD = 'a perfectly good passphrase';

  describe('register and confirm (real PostgreSQL, real SMTP)', () => {
    let flows: FlowsApp;

    beforeAll(async () => {
      flows = await createFlowsApp({ breachedPasswords: ['password123', 'Correct Horse Battery Staple'] }, platform);
    });
    afterAll(() => flows?.close());
    beforeEach(() => {
      flows.sink.clear();
      flows.events.length = 0;
    });

    const register = (body: Record<string, unknown>, host?: string) => {
      const call = request(flows.server).post('/auth/register');
      if (host) call.set('Host', host);
      return call.send(body);
    };

    it('registers, mails a confirm link built from appUrl, confirms by the link, and the user can sign in', async () => {
      const email = 'jane.register@example.com';
      const answer = await register({ email, password: PASSWORD }, 'evil.example.org');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ message: expect.stringContaining(email) });
      expect(answer.headers['set-cookie']).toBeUndefined();

      const user = await flows.datastore.findUser({ email });
      expect(user).toMatchObject({ email, confirmedAt: null, active: true });
      expect(user!.password).toMatch(/^\$argon2id\$/);

      const mail = await flows.sink.waitFor((m) => m.to.includes(email));
      expect(mail.subject).toBe('Welcome');
      const link = extractLink(mail, '/auth/confirm/');
      expect(link.startsWith(`${FLOWS_APP_URL}/auth/confirm/`)).toBe(true);
      expect(mail.text + mail.html).not.toContain('evil.example.org');
      expect(mail.html).toContain(link.replace(/&/g, '&amp;'));

      const confirmed = await request(flows.server).get(new URL(link).pathname);
      expect(confirmed.status).toBe(200);
      expect(confirmed.body).toMatchObject({ code: 'EMAIL_CONFIRMED', email });
      // autoLoginAfterConfirm is off by default (Flask-Security 5.3+): confirming does not sign in.
      expect(confirmed.body).not.toHaveProperty('user');
      expect(confirmed.headers['set-cookie']).toBeUndefined();
      expect((await flows.datastore.findUser({ email }))!.confirmedAt).toBeInstanceOf(Date);
      expect(flows.events.map((event) => event.name)).not.toContain('user.authenticated');

      const login = await request(flows.server).post('/auth/login').send({ email, password: PASSWORD });
      expect(login.status).toBe(200);
      expect(login.body.user).toMatchObject({ email });

      // A second click says so, and changes nothing.
      const again = await request(flows.server).get(new URL(link).pathname);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ code: 'ALREADY_CONFIRMED' });

      expect(flows.events.map((event) => event.name)).toEqual(expect.arrayContaining(['user.registered', 'user.confirmed']));
      expect(flows.events.find((event) => event.name === 'user.registered')!.payload).toEqual({ userId: user!.id, email });
      expect(flows.events.find((event) => event.name === 'user.confirmed')!.payload).toEqual({ userId: user!.id, email });
      const token = extractToken(mail, '/auth/confirm/');
      for (const event of flows.events) {
        const text = JSON.stringify(event.payload);
        for (const secret of [PASSWORD, token, user!.password!, user!.fsUniquifier]) expect(text).not.toContain(secret);
      }
    });

    it('refuses a signed-in caller with 400 ANONYMOUS_REQUIRED and creates nothing', async () => {
      const user = await flows.datastore.createUser({ email: 'already.in@example.com', password: null, confirmedAt: new Date() });
      const answer = await request(flows.server)
        .post('/auth/register')
        .set('Authentication-Token', flows.app.get(TokenFactory).auth(user))
        .send({ email: 'second.account@example.com', password: PASSWORD });
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 400, code: 'ANONYMOUS_REQUIRED' });
      expect(await flows.datastore.findUser({ email: 'second.account@example.com' })).toBeNull();
    });

    it('stores the username normalised (NFKD, lower case) and refuses a taken one only through a mail', async () => {
      const answer = await register({ email: 'ｊａｎｅ.name@example.com', username: 'ＪａｎｅＤｏｅ', password: PASSWORD });
      expect(answer.status).toBe(200);
      const user = await flows.datastore.findUser({ email: 'ｊａｎｅ.name@example.com' });
      expect(user!.username).toBe('janedoe');
      expect((await flows.datastore.findUser({ username: 'JANEDOE' }))!.id).toBe(user!.id);

      // A new address with that username: answered as a success, the new address is told.
      const taken = await register({ email: 'other.person@example.com', username: 'JaneDoe', password: PASSWORD });
      expect(taken.status).toBe(200);
      expect(taken.body).toEqual({ message: expect.stringContaining('other.person@example.com') });
      expect(await flows.datastore.findUser({ email: 'other.person@example.com' })).toBeNull();
      const mail = await flows.sink.waitFor((m) => m.to.includes('other.person@example.com'));
      expect(mail.subject).toBe('Account registration');
      expect(mail.text).toContain('janedoe');
      expect(mail.text).toContain('already taken');
      expect(mail.text).not.toContain('already yours');
    });

    it('answers a registration of an existing address exactly as a new one, and mails the owner instead', async () => {
      await register({ email: 'owner@example.com', password: PASSWORD }).expect(200);
      await flows.sink.waitFor((m) => m.to.includes('owner@example.com'));
      flows.sink.clear();
      flows.events.length = 0;

      const fresh = await register({ email: 'newcomer@example.com', password: 'another good passphrase' });
      const existing = await register({ email: 'OWNER@example.com', password: 'another good passphrase' });
      expect(existing.status).toBe(fresh.status);
      expect(existing.body.message.replace('OWNER@example.com', '<email>')).toBe(
        fresh.body.message.replace('newcomer@example.com', '<email>'),
      );
      expect(Object.keys(existing.body)).toEqual(Object.keys(fresh.body));
      expect(Object.keys(existing.headers).sort()).toEqual(Object.keys(fresh.headers).sort());

      const owned = await flows.sink.waitFor((m) => m.to.includes('owner@example.com'));
      expect(owned.subject).toBe('Account registration');
      expect(owned.text).not.toMatch(/\/auth\/confirm\//);
      await flows.settleMail();
      expect(flows.sink.messages.filter((m) => m.to.includes('owner@example.com'))).toHaveLength(1);
      expect(flows.events.filter((event) => event.name === 'user.registered')).toHaveLength(1);
      // Still one account, with its own password.
      const owner = await flows.datastore.findUser({ email: 'owner@example.com' });
      expect(owner!.email).toBe('owner@example.com');
    });

    it('takes about as long for an existing address as for a new one (the same password hash on both paths)', async () => {
      await register({ email: 'timing.owner@example.com', password: PASSWORD }).expect(200);
      const time = async (email: string) => {
        const started = process.hrtime.bigint();
        await register({ email, password: PASSWORD }).expect(200);
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      const fresh: number[] = [];
      const existing: number[] = [];
      for (let i = 0; i < 6; i++) {
        fresh.push(await time(`timing.new${i}@example.com`));
        existing.push(await time('timing.owner@example.com'));
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
      // Without the dummy hash the existing path would skip the hash entirely.
      expect(Math.abs(median(fresh) - median(existing))).toBeLessThan(Math.max(30, median(fresh) * 0.6));
    });

    it('reports bad passwords and usernames with field errors (400), also in generic mode', async () => {
      const short = await register({ email: 'short@example.com', password: 'short' });
      expect(short.status).toBe(400);
      expect(short.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_ERROR', errors: { password: [expect.any(String)] } });

      const breached = await register({ email: 'breached@example.com', password: 'correct horse battery staple' });
      expect(breached.status).toBe(400);
      expect(breached.body.errors.password[0]).toMatch(/breach/i);

      const mismatch = await register({ email: 'mismatch@example.com', password: PASSWORD, password_confirm: 'something else entirely' });
      expect(mismatch.status).toBe(400);
      expect(mismatch.body.errors).toHaveProperty('password_confirm');

      const badName = await register({ email: 'badname@example.com', username: 'no spaces!', password: PASSWORD });
      expect(badName.status).toBe(400);
      expect(badName.body.errors).toHaveProperty('username');

      const badEmail = await register({ email: 'not an email', password: PASSWORD });
      expect(badEmail.status).toBe(400);
      expect(badEmail.body.errors).toHaveProperty('email');
      for (const answer of [short, breached, mismatch, badName, badEmail]) expect(JSON.stringify(answer.body)).not.toContain(PASSWORD);
      expect(await flows.datastore.findUser({ email: 'short@example.com' })).toBeNull();
    });

    it('resends confirmation: the same answer for unknown, confirmed and waiting addresses; mail only to the waiting one', async () => {
      await register({ email: 'waiting@example.com', password: PASSWORD }).expect(200);
      await flows.sink.waitFor((m) => m.to.includes('waiting@example.com'));
      flows.sink.clear();

      const answers = await Promise.all(
        ['waiting@example.com', 'nobody@example.com'].map((email) => request(flows.server).post('/auth/confirm').send({ email })),
      );
      const [waiting, unknown] = answers;
      expect(waiting.status).toBe(200);
      expect(unknown.status).toBe(200);
      expect(unknown.body.message.replace('nobody@example.com', '<email>')).toBe(
        waiting.body.message.replace('waiting@example.com', '<email>'),
      );

      const mail = await flows.sink.waitFor((m) => m.to.includes('waiting@example.com'));
      expect(mail.subject).toBe('Please confirm your email address');
      await flows.settleMail();
      expect(flows.sink.messages.map((m) => m.to[0])).toEqual(['waiting@example.com']);
      expect(flows.events.filter((event) => event.name === 'confirm.instructions_sent').map((event) => event.payload)).toEqual([
        { userId: expect.any(Number), email: 'waiting@example.com' },
      ]);
    });

    it('tells an expired link from an invalid one, and mails nothing for the expired one; links last 2 days', async () => {
      await register({ email: 'late@example.com', password: PASSWORD }).expect(200);
      await flows.sink.waitFor((m) => m.to.includes('late@example.com'));
      flows.sink.clear();
      const user = (await flows.datastore.findUser({ email: 'late@example.com' }))!;
      const signedAt = (secondsAgo: number) =>
        new URLSafeTimedSerializer(FLOWS_SECRET_KEY, { salt: 'confirm-salt', now: () => Math.floor(Date.now() / 1000) - secondsAgo }).dumps(
          [user.fsUniquifier, hashData(user.email)],
        );
      const old = signedAt(2 * 86400 + 60);

      const expired = await request(flows.server).get(`/auth/confirm/${old}`);
      expect(expired.status).toBe(400);
      expect(expired.body).toMatchObject({ statusCode: 400, code: 'EXPIRED_TOKEN', resent: false });
      expect(expired.body.message).toMatch(/expired/);
      expect(expired.body.message).not.toContain('late@example.com');
      await flows.settleMail();
      expect(flows.sink.messages.filter((m) => m.to.includes('late@example.com'))).toEqual([]);
      expect((await request(flows.server).get(`/auth/confirm/${signedAt(2 * 86400 - 60)}`)).body.code).toBe('EMAIL_CONFIRMED');

      for (const bad of [`${old.slice(0, -2)}xx`, 'garbage', 'a'.repeat(5000)]) {
        const invalid = await request(flows.server).get(`/auth/confirm/${bad}`);
        expect(invalid.status).toBe(400);
        expect(invalid.body).toMatchObject({ code: 'INVALID_TOKEN' });
      }
    });

    it('kills a confirm link when the email changes before it is used', async () => {
      await register({ email: 'mover@example.com', password: PASSWORD }).expect(200);
      const mail = await flows.sink.waitFor((m) => m.to.includes('mover@example.com'));
      const user = (await flows.datastore.findUser({ email: 'mover@example.com' }))!;
      user.email = 'moved@example.com';
      await flows.datastore.saveUser(user);
      const answer = await request(flows.server).get(new URL(extractLink(mail, '/auth/confirm/')).pathname);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('INVALID_TOKEN');
    });

    it('confirms with a link minted here for a user row (TokenFactory), and never from the Host header', async () => {
      const user = await flows.datastore.createUser({ email: 'direct@example.com', password: null });
      const token = flows.app.get(TokenFactory).confirm(user);
      const answer = await request(flows.server).get(`/auth/confirm/${token}`).set('Host', 'attacker.example');
      expect(answer.body.code).toBe('EMAIL_CONFIRMED');
    });
  });

  describe('confirm with the 5.1.2 behaviour restored (autoLoginAfterConfirm, resendExpiredLinks)', () => {
    let flows: FlowsApp;
    beforeAll(async () => {
      flows = await createFlowsApp({ autoLoginAfterConfirm: true, resendExpiredLinks: true, confirmEmailWithin: '5 days' }, platform);
    });
    afterAll(() => flows?.close());

    it('signs the confirming browser in', async () => {
      const email = 'auto.confirm@example.com';
      await request(flows.server).post('/auth/register').send({ email, password: PASSWORD }).expect(200);
      const link = extractLink(await flows.sink.waitFor((m) => m.to.includes(email)), '/auth/confirm/');
      const user = (await flows.datastore.findUser({ email }))!;
      const confirmed = await request(flows.server).get(new URL(link).pathname);
      expect(confirmed.status).toBe(200);
      expect(confirmed.body).toMatchObject({ code: 'EMAIL_CONFIRMED', email, user: { id: user.id, email } });
      const cookie = cookiesOf(confirmed.headers['set-cookie']);
      expect(cookie).toContain('nest_security_session=');
      await request(flows.server).get('/auth/me').set('Cookie', cookie).expect(200);
    });

    it('mails a fresh link for an expired one', async () => {
      const email = 'resend.confirm@example.com';
      await request(flows.server).post('/auth/register').send({ email, password: PASSWORD }).expect(200);
      await flows.sink.waitFor((m) => m.to.includes(email));
      flows.sink.clear();
      const user = (await flows.datastore.findUser({ email }))!;
      const sixDaysAgo = Math.floor(Date.now() / 1000) - 6 * 86400;
      const old = new URLSafeTimedSerializer(FLOWS_SECRET_KEY, { salt: 'confirm-salt', now: () => sixDaysAgo }).dumps([
        user.fsUniquifier,
        hashData(user.email),
      ]);
      const expired = await request(flows.server).get(`/auth/confirm/${old}`);
      expect(expired.body).toMatchObject({ statusCode: 400, code: 'EXPIRED_TOKEN', resent: true });
      expect(expired.body.message).toContain(email);
      const fresh = await flows.sink.waitFor((m) => m.to.includes(email));
      expect((await request(flows.server).get(new URL(extractLink(fresh, '/auth/confirm/')).pathname)).body.code).toBe('EMAIL_CONFIRMED');
    });
  });

  describe('register with generic responses off', () => {
    let flows: FlowsApp;
    beforeAll(async () => {
      flows = await createFlowsApp({ returnGenericResponses: false, requirePasswordConfirm: true }, platform);
    });
    afterAll(() => flows?.close());

    it('says an address or username is taken, and that a confirm resend is for an unknown address', async () => {
      await request(flows.server)
        .post('/auth/register')
        .send({ email: 'taken@example.com', username: 'takenname', password: PASSWORD, password_confirm: PASSWORD })
        .expect(200);
      const again = await request(flows.server)
        .post('/auth/register')
        .send({ email: 'Taken@example.com', username: 'TakenName', password: PASSWORD, password_confirm: PASSWORD });
      expect(again.status).toBe(400);
      expect(again.body).toMatchObject({
        code: 'VALIDATION_ERROR',
        errors: { email: [expect.any(String)], username: [expect.any(String)] },
      });

      const noConfirm = await request(flows.server).post('/auth/register').send({ email: 'new@example.com', password: PASSWORD });
      expect(noConfirm.status).toBe(400);
      expect(noConfirm.body.errors).toHaveProperty('password_confirm');

      const unknown = await request(flows.server).post('/auth/confirm').send({ email: 'nobody@example.com' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toHaveProperty('email');
    });
  });

  describe('register without confirmation, SPA redirects', () => {
    let flows: FlowsApp;
    beforeAll(async () => {
      flows = await createFlowsApp(
        {
          redirectBehavior: 'spa',
          redirects: { postConfirm: 'https://spa.example.test/welcome?from=mail', confirmError: '/confirm-error' },
          redirectAllowedHosts: ['spa.example.test'],
        },
        platform,
      );
    });
    afterAll(() => flows?.close());

    it('redirects a followed confirm link to the SPA with the outcome in the query string', async () => {
      await request(flows.server)
        .post('/auth/register')
        .send({ email: 'spa@example.com', username: 'spauser', password: PASSWORD })
        .expect(200);
      const mail = await flows.sink.waitFor((m) => m.to.includes('spa@example.com'));
      const path = new URL(extractLink(mail, '/auth/confirm/')).pathname;

      const confirmed = await request(flows.server).get(path);
      expect(confirmed.status).toBe(302);
      const location = new URL(confirmed.headers.location);
      expect(`${location.origin}${location.pathname}`).toBe('https://spa.example.test/welcome');
      expect(Object.fromEntries(location.searchParams)).toEqual({
        from: 'mail',
        code: 'EMAIL_CONFIRMED',
        success: expect.any(String),
      });
      // Not signed in (autoLoginAfterConfirm off).
      expect(cookiesOf(confirmed.headers['set-cookie'])).not.toContain('nest_security_session=');

      const invalid = await request(flows.server).get('/auth/confirm/nonsense');
      expect(invalid.status).toBe(302);
      const error = new URL(invalid.headers.location);
      expect(`${error.origin}${error.pathname}`).toBe(`${FLOWS_APP_URL}/confirm-error`);
      expect(error.searchParams.get('code')).toBe('INVALID_TOKEN');
      expect(error.searchParams.get('error')).toBe('The confirmation link is invalid.');
      expect(error.searchParams.get('email')).toBeNull();
    });
  });

  describe('register when confirmation is off', () => {
    let flows: FlowsApp;
    beforeAll(async () => {
      flows = await createFlowsApp({ confirmable: false }, platform);
    });
    afterAll(() => flows?.close());

    it('signs the new user in (as Flask-Security) and returns the auth token when asked', async () => {
      const answer = await request(flows.server)
        .post('/auth/register?include_auth_token')
        .send({ email: 'instant@example.com', password: PASSWORD });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ user: { email: 'instant@example.com' }, authentication_token: expect.any(String) });
      const me = await request(flows.server).get('/auth/me').set('Authentication-Token', answer.body.authentication_token);
      expect(me.status).toBe(200);
      const mail = await flows.sink.waitFor((m) => m.to.includes('instant@example.com'));
      expect(mail.text).not.toContain('/auth/confirm/');
      expect((await request(flows.server).post('/auth/confirm').send({ email: 'instant@example.com' })).status).toBe(404);
    });
  });
});
