import request from 'supertest';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import type { SecurityUser } from '../../src/storage/typeorm/entities/security-user.entity.js';
import { TokenFactory } from '../../src/tokens/token.factory.js';
import { extractLink, extractToken } from '../support/smtp-sink.js';
import { createFlowsApp, type FlowsApp } from '../support/flows-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const PASSWORD = 'my current passphrase';
  const NEW_PASSWORD = 'my next passphrase';

  describe('change password, change email, username recovery (real PostgreSQL, real SMTP)', () => {
    let flows: FlowsApp;
    let seq = 0;

    beforeAll(async () => {
      flows = await createFlowsApp({}, platform);
    });
    afterAll(() => flows?.close());
    beforeEach(() => {
      flows.sink.clear();
      flows.events.length = 0;
    });

    const makeUser = async (extra: { username?: string } = {}): Promise<SecurityUser> => {
      const password = await flows.app.get(PasswordHasher).hash(PASSWORD);
      return flows.datastore.createUser({ email: `change${++seq}@example.com`, password, confirmedAt: new Date(), ...extra });
    };

    /** A fresh auth token (fs_paa now), bound to fs_token_uniquifier as the datastore sets up. */
    const tokenFor = (user: SecurityUser, authenticatedAt = new Date()) => flows.app.get(TokenFactory).auth(user, authenticatedAt);
    const login = (email: string, password: string) => request(flows.server).post('/auth/login').send({ email, password });

    describe('POST /auth/change', () => {
      it('needs a signed-in caller', async () => {
        const answer = await request(flows.server).post('/auth/change').send({ password: PASSWORD, new_password: NEW_PASSWORD });
        expect(answer.status).toBe(401);
        expect(answer.body.code).toBe('UNAUTHENTICATED');
      });

      it('needs a fresh sign-in (401 REAUTH_REQUIRED past `freshness`)', async () => {
        const user = await makeUser();
        const stale = tokenFor(user, new Date(Date.now() - 2 * 86400 * 1000));
        const answer = await request(flows.server)
          .post('/auth/change')
          .set('Authentication-Token', stale)
          .send({ password: PASSWORD, new_password: NEW_PASSWORD });
        expect(answer.status).toBe(401);
        expect(answer.body.code).toBe('REAUTH_REQUIRED');
      });

      it('requires the right current password and a different, acceptable new one', async () => {
        const user = await makeUser();
        const token = tokenFor(user);
        const change = (body: Record<string, unknown>) =>
          request(flows.server).post('/auth/change').set('Authentication-Token', token).send(body);

        const missing = await change({ new_password: NEW_PASSWORD });
        expect(missing.status).toBe(400);
        expect(missing.body.errors).toHaveProperty('password');
        const wrong = await change({ password: 'not my passphrase', new_password: NEW_PASSWORD });
        expect(wrong.status).toBe(400);
        expect(wrong.body.errors).toHaveProperty('password');
        const same = await change({ password: PASSWORD, new_password: PASSWORD });
        expect(same.status).toBe(400);
        expect(same.body.errors).toHaveProperty('new_password');
        const short = await change({ password: PASSWORD, new_password: 'tiny' });
        expect(short.status).toBe(400);
        expect(short.body.errors).toHaveProperty('new_password');
        const mismatch = await change({ password: PASSWORD, new_password: NEW_PASSWORD, new_password_confirm: 'other passphrase' });
        expect(mismatch.body.errors).toHaveProperty('new_password_confirm');
        for (const answer of [missing, wrong, same, short, mismatch]) expect(JSON.stringify(answer.body)).not.toContain(PASSWORD);
        expect((await login(user.email, PASSWORD)).status).toBe(200);
      });

      it('limits current-password guesses per account (429), counted with the logins; the right password resets the count', async () => {
        const user = await makeUser();
        const token = tokenFor(user);
        const guess = (password: string) =>
          request(flows.server).post('/auth/change').set('Authentication-Token', token).send({ password, new_password: NEW_PASSWORD });
        // One right guess in between resets the count (no new password set: it is refused as too short).
        const statuses: number[] = [];
        for (let i = 0; i < 9; i++) statuses.push((await guess(`wrong guess ${i}`)).status);
        const right = await request(flows.server)
          .post('/auth/change')
          .set('Authentication-Token', token)
          .send({ password: PASSWORD, new_password: 'tiny' });
        expect(right.body.errors).toHaveProperty('new_password');
        for (let i = 0; i < 12; i++) statuses.push((await guess(`wrong again ${i}`)).status);
        expect(statuses).toEqual([...Array(19).fill(400), 429, 429]);
        const locked = await guess(PASSWORD);
        expect({ status: locked.status, code: locked.body.code, retryAfter: Number(locked.headers['retry-after']) > 0 }).toEqual({
          status: 429,
          code: 'TOO_MANY_ATTEMPTS',
          retryAfter: true,
        });
        // The same account counter as login.
        expect((await login(user.email, PASSWORD)).status).toBe(429);
      });

      it('changes the password, ends other sessions and every auth token, mails a notice', async () => {
        const user = await makeUser();
        const other = await login(user.email, PASSWORD);
        const otherCookie = (other.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
        await request(flows.server).get('/auth/me').set('Cookie', otherCookie).expect(200);
        // Bound to fs_token_uniquifier, as users are made: it dies too unless keepAuthTokensOnPasswordChange.
        const token = tokenFor(user);

        const answer = await request(flows.server)
          .post('/auth/change?include_auth_token')
          .set('Authentication-Token', token)
          .send({ password: PASSWORD, new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD });
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({
          message: expect.any(String),
          user: { email: user.email },
          authentication_token: expect.any(String),
        });

        expect((await request(flows.server).get('/auth/me').set('Cookie', otherCookie)).status).toBe(401);
        expect((await request(flows.server).get('/auth/me').set('Authentication-Token', token)).status).toBe(401);
        expect((await request(flows.server).get('/auth/me').set('Authentication-Token', answer.body.authentication_token)).status).toBe(
          200,
        );
        const stale = await login(user.email, PASSWORD);
        expect(stale.status).not.toBe(200);
        expect(stale.body.code).toBe('INVALID_CREDENTIALS');
        expect((await login(user.email, NEW_PASSWORD)).status).toBe(200);

        const notice = await flows.sink.waitFor((m) => m.to.includes(user.email));
        expect(notice.subject).toBe('Your password has been changed');
        expect(flows.events.filter((event) => event.name === 'password.changed').map((event) => event.payload)).toEqual([
          { userId: user.id, email: user.email },
        ]);
      });
    });

    describe('change email', () => {
      it('mails a link to the new address; following it changes the address and tells the old one', async () => {
        const user = await makeUser();
        const answer = await request(flows.server)
          .post('/auth/change-email')
          .set('Authentication-Token', tokenFor(user))
          .send({ email: 'brand.new@example.com' });
        expect(answer.status).toBe(200);
        expect(answer.body).toEqual({ message: expect.stringContaining('brand.new@example.com') });
        expect((await flows.datastore.findUser({ id: user.id }))!.email).toBe(user.email);

        const mail = await flows.sink.waitFor((m) => m.to.includes('brand.new@example.com'));
        expect(mail.subject).toBe('Confirm your new email address');
        const link = extractLink(mail, '/auth/change-email/');
        expect(link.startsWith('https://app.example.test/auth/change-email/')).toBe(true);

        // Followed in another browser: no credentials needed.
        const done = await request(flows.server).get(new URL(link).pathname);
        expect(done.status).toBe(200);
        expect(done.body).toMatchObject({ code: 'CHANGE_EMAIL_CONFIRMED', email: 'brand.new@example.com' });
        expect((await flows.datastore.findUser({ id: user.id }))!.email).toBe('brand.new@example.com');

        const notice = await flows.sink.waitFor((m) => m.to.includes(user.email));
        expect(notice.subject).toBe('Your email address has been changed');
        expect((await login('brand.new@example.com', PASSWORD)).status).toBe(200);
        const stale = await login(user.email, PASSWORD);
        expect(stale.status).not.toBe(200);
        expect(stale.body.code).toBe('INVALID_CREDENTIALS');

        // Spent: the account's email no longer matches the link.
        const again = await request(flows.server).get(new URL(link).pathname);
        expect(again.status).toBe(400);
        expect(again.body.code).toBe('INVALID_TOKEN');

        expect(flows.events.filter((event) => event.name.startsWith('email.')).map((event) => [event.name, event.payload])).toEqual([
          ['email.change_requested', { userId: user.id, email: user.email, newEmail: 'brand.new@example.com' }],
          ['email.changed', { userId: user.id, email: 'brand.new@example.com', previousEmail: user.email }],
        ]);
        for (const event of flows.events) expect(JSON.stringify(event.payload)).not.toContain(extractToken(mail, '/auth/change-email/'));
      });

      it('fails cleanly (409 EMAIL_IN_USE) when the new address was taken in between', async () => {
        const user = await makeUser();
        await request(flows.server)
          .post('/auth/change-email')
          .set('Authentication-Token', tokenFor(user))
          .send({ email: 'contested@example.com' })
          .expect(200);
        const mail = await flows.sink.waitFor((m) => m.to.includes('contested@example.com'));
        await flows.datastore.createUser({ email: 'Contested@Example.com', password: null });

        const answer = await request(flows.server).get(new URL(extractLink(mail, '/auth/change-email/')).pathname);
        expect(answer.status).toBe(409);
        expect(answer.body).toMatchObject({ statusCode: 409, code: 'EMAIL_IN_USE' });
        expect((await flows.datastore.findUser({ id: user.id }))!.email).toBe(user.email);
      });

      it('answers a taken address like a free one (generic), mailing nothing; refuses the current address', async () => {
        const user = await makeUser();
        const holder = await makeUser();
        const token = tokenFor(user);
        const taken = await request(flows.server)
          .post('/auth/change-email')
          .set('Authentication-Token', token)
          .send({ email: holder.email });
        const free = await request(flows.server)
          .post('/auth/change-email')
          .set('Authentication-Token', token)
          .send({ email: 'free.address@example.com' });
        expect(taken.status).toBe(200);
        expect(taken.body.message.replace(holder.email, '<email>')).toBe(free.body.message.replace('free.address@example.com', '<email>'));
        await flows.sink.waitFor((m) => m.to.includes('free.address@example.com'));
        await flows.settleMail();
        expect(flows.sink.messages.some((m) => m.to.includes(holder.email))).toBe(false);

        const same = await request(flows.server)
          .post('/auth/change-email')
          .set('Authentication-Token', token)
          .send({ email: user.email.toUpperCase() });
        expect(same.status).toBe(400);
        expect(same.body.errors).toHaveProperty('email');
        expect((await request(flows.server).post('/auth/change-email').send({ email: 'x@example.com' })).status).toBe(401);
      });
    });

    describe('POST /auth/recover-username', () => {
      it('mails the username to a known address; the same answer for an unknown one', async () => {
        const user = await makeUser({ username: 'recoverme' });
        const known = await request(flows.server).post('/auth/recover-username').send({ email: user.email });
        const unknown = await request(flows.server).post('/auth/recover-username').send({ email: 'stranger@example.com' });
        expect(known.status).toBe(200);
        expect(unknown.status).toBe(200);
        expect(unknown.body.message.replace('stranger@example.com', '<email>')).toBe(known.body.message.replace(user.email, '<email>'));
        const mail = await flows.sink.waitFor((m) => m.to.includes(user.email));
        expect(mail.subject).toBe('Your username');
        expect(mail.text).toContain('recoverme');
        await flows.settleMail();
        expect(flows.sink.messages).toHaveLength(1);
        expect(flows.events.map((event) => [event.name, event.payload])).toEqual([
          ['username.recovery_sent', { userId: user.id, email: user.email }],
        ]);
      });
    });
  });

  describe('keepAuthTokensOnPasswordChange (Flask-Security’s way)', () => {
    let flows: FlowsApp;
    beforeAll(async () => {
      flows = await createFlowsApp({ keepAuthTokensOnPasswordChange: true }, platform);
    });
    afterAll(() => flows?.close());

    it('keeps auth tokens bound to fs_token_uniquifier through a change and a reset; sessions still die', async () => {
      const password = await flows.app.get(PasswordHasher).hash(PASSWORD);
      const user = await flows.datastore.createUser({ email: 'keeps@example.com', password, confirmedAt: new Date() });
      const signedIn = await request(flows.server).post('/auth/login?include_auth_token').send({ email: user.email, password: PASSWORD });
      const cookie = (signedIn.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
      const token: string = signedIn.body.authentication_token;

      await request(flows.server)
        .post('/auth/change')
        .set('Authentication-Token', token)
        .send({ password: PASSWORD, new_password: NEW_PASSWORD })
        .expect(200);
      expect((await request(flows.server).get('/auth/me').set('Cookie', cookie)).status).toBe(401);
      expect((await request(flows.server).get('/auth/me').set('Authentication-Token', token)).status).toBe(200);

      await request(flows.server).post('/auth/reset').send({ email: user.email }).expect(200);
      const mail = await flows.sink.waitFor((m) => m.to.includes(user.email) && m.text.includes('/auth/reset/'));
      await request(flows.server)
        .post(`/auth/reset/${extractToken(mail, '/auth/reset/')}`)
        .send({ password: 'a third passphrase' })
        .expect(200);
      expect((await request(flows.server).get('/auth/me').set('Authentication-Token', token)).status).toBe(200);
    });
  });
});
