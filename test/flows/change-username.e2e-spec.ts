import request from 'supertest';
import { sessionId } from '../../src/authn/session/session.service.js';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { SessionStore } from '../../src/storage/session-store.js';
import type { SecurityUser } from '../../src/storage/typeorm/entities/security-user.entity.js';
import { TokenFactory } from '../../src/tokens/token.factory.js';
import { cookiesOf, createFlowsApp, type FlowsApp } from '../support/flows-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';

interface Browser {
  cookie: string;
  csrf: string;
  secret: string;
}

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const PASSWORD = 'a change username passphrase';

  describe('POST /auth/change-username (real PostgreSQL, real SMTP)', () => {
    let flows: FlowsApp;
    let seq = 0;

    beforeAll(async () => {
      flows = await createFlowsApp({ changeUsername: true, sessionList: false }, platform);
    });
    afterAll(() => flows?.close());
    beforeEach(() => {
      flows.sink.clear();
      flows.events.length = 0;
    });

    const makeUser = async (username: string): Promise<SecurityUser> => {
      const password = await flows.app.get(PasswordHasher).hash(PASSWORD);
      return flows.datastore.createUser({ email: `rename${++seq}@example.com`, username, password, confirmedAt: new Date() });
    };
    const loginAs = (username: string) => request(flows.server).post('/auth/login').send({ username, password: PASSWORD });
    const signIn = async (username: string): Promise<Browser> => {
      const answer = await loginAs(username);
      expect(answer.status).toBe(200);
      const cookie = cookiesOf(answer.headers['set-cookie'] as unknown as string[]);
      return { cookie, csrf: answer.body.csrf_token, secret: /(?:^|; )nest_security_session=([^;]+)/.exec(cookie)![1] };
    };
    const changeUsername = (browser: Browser, body: Record<string, unknown>) =>
      request(flows.server).post('/auth/change-username').set('Cookie', browser.cookie).set('X-XSRF-Token', browser.csrf).send(body);

    it('changes the username: the new one signs in, the old one does not; a notice is mailed, an event emitted', async () => {
      const user = await makeUser('oldname1');
      const browser = await signIn('oldname1');

      const answer = await changeUsername(browser, { username: 'NewName1' });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ message: expect.any(String), username: 'newname1' });
      expect((await flows.datastore.findUser({ id: user.id }))!.username).toBe('newname1');

      expect((await loginAs('newname1')).status).toBe(200);
      const old = await loginAs('oldname1');
      expect(old.status).toBe(400);
      expect(old.body.code).toBe('INVALID_CREDENTIALS');
      // The session is bound to the account, not to its name.
      await request(flows.server).get('/auth/me').set('Cookie', browser.cookie).expect(200);

      const notice = await flows.sink.waitFor((m) => m.to.includes(user.email));
      expect(notice.subject).toBe('Your username has been changed');
      expect(notice.text).toContain('oldname1');
      expect(notice.text).toContain('newname1');
      expect(flows.events.filter((event) => event.name === 'username.changed').map((event) => event.payload)).toEqual([
        { userId: user.id, email: user.email, username: 'newname1', previousUsername: 'oldname1' },
      ]);
    });

    it('normalises the new name as usernames are (NFKD, lower case)', async () => {
      const user = await makeUser('widename');
      const browser = await signIn('widename');
      // Full-width letters and a decomposable é.
      const answer = await changeUsername(browser, { username: 'ＪＡＮＥ\u00e9' });
      expect(answer.status).toBe(200);
      expect(answer.body.username).toBe('jane\u0065\u0301');
      expect((await flows.datastore.findUser({ id: user.id }))!.username).toBe('jane\u0065\u0301');
      expect((await loginAs('Jane\u00e9')).status).toBe(200);
    });

    it('refuses a taken name (also typed differently), an invalid one, the same one: 400 field errors, nothing changed', async () => {
      await makeUser('takenname');
      const user = await makeUser('freename');
      const browser = await signIn('freename');

      for (const username of ['takenname', 'TakenName', 'ｔａｋｅｎｎａｍｅ']) {
        const taken = await changeUsername(browser, { username });
        expect(taken.status).toBe(400);
        expect(taken.body.code).toBe('VALIDATION_ERROR');
        expect(taken.body.errors.username).toEqual([expect.stringContaining('already associated')]);
      }
      for (const username of ['abc', 'has space', 'semi;colon', '', 'x'.repeat(40)]) {
        const invalid = await changeUsername(browser, { username });
        expect(invalid.status).toBe(400);
        expect(invalid.body.errors).toHaveProperty('username');
      }
      for (const username of [42, null, ['a'], { a: 1 }]) {
        const wrongType = await changeUsername(browser, { username });
        expect(wrongType.status).toBe(400);
        expect(wrongType.body.errors).toHaveProperty('username');
      }
      const same = await changeUsername(browser, { username: 'FreeName' });
      expect(same.status).toBe(400);
      expect(same.body.errors).toHaveProperty('username');

      expect((await flows.datastore.findUser({ id: user.id }))!.username).toBe('freename');
      await flows.settleMail();
      expect(flows.sink.messages.filter((m) => m.to.includes(user.email))).toEqual([]);
      expect(flows.events.some((event) => event.name === 'username.changed')).toBe(false);
    });

    it('checks the password when one is given', async () => {
      const user = await makeUser('passname');
      const browser = await signIn('passname');
      const wrong = await changeUsername(browser, { username: 'passname2', password: 'not my passphrase' });
      expect(wrong.status).toBe(400);
      expect(wrong.body.errors).toHaveProperty('password');
      expect((await flows.datastore.findUser({ id: user.id }))!.username).toBe('passname');
      const right = await changeUsername(browser, { username: 'passname2', password: PASSWORD });
      expect(right.status).toBe(200);
      expect(right.body.username).toBe('passname2');
    });

    it('needs a fresh sign-in: a stale session gets 401 REAUTH_REQUIRED, and /verify makes it fresh', async () => {
      const user = await makeUser('stalename');
      const browser = await signIn('stalename');
      await flows.app.get(SessionStore).update(sessionId(browser.secret), { authenticatedAt: new Date(Date.now() - 2 * 86400 * 1000) });

      const stale = await changeUsername(browser, { username: 'freshname' });
      expect(stale.status).toBe(401);
      expect(stale.body.code).toBe('REAUTH_REQUIRED');
      expect((await flows.datastore.findUser({ id: user.id }))!.username).toBe('stalename');

      await request(flows.server)
        .post('/auth/verify')
        .set('Cookie', browser.cookie)
        .set('X-XSRF-Token', browser.csrf)
        .send({ password: PASSWORD })
        .expect(200);
      expect((await changeUsername(browser, { username: 'freshname' })).status).toBe(200);
    });

    it('needs a signed-in caller, the CSRF token with a cookie, and none with a token', async () => {
      const user = await makeUser('csrfname');
      const browser = await signIn('csrfname');
      const anonymous = await request(flows.server).post('/auth/change-username').send({ username: 'someone1' });
      expect(anonymous.status).toBe(401);
      const forged = await request(flows.server).post('/auth/change-username').set('Cookie', browser.cookie).send({ username: 'forged1' });
      expect(forged.status).toBe(400);
      expect(forged.body.code).toBe('CSRF_FAILED');
      expect((await flows.datastore.findUser({ id: user.id }))!.username).toBe('csrfname');

      const token = flows.app.get(TokenFactory).auth(user);
      const viaToken = await request(flows.server)
        .post('/auth/change-username')
        .set('Authentication-Token', token)
        .send({ username: 'tokenname' });
      expect(viaToken.status).toBe(200);
      expect(viaToken.body.username).toBe('tokenname');
    });

    it('GET /change-username answers the current username, fresh sign-in needed as for the change', async () => {
      const user = await makeUser('showname');
      const browser = await signIn('showname');
      const current = () => request(flows.server).get('/auth/change-username').set('Cookie', browser.cookie);

      const answer = await current();
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ user: expect.objectContaining({ id: user.id, email: user.email }), current_username: 'showname' });
      expect(answer.headers['cache-control']).toBe('no-store');
      expect((await changeUsername(browser, { username: 'shownew' })).status).toBe(200);
      expect((await current()).body.current_username).toBe('shownew');

      expect((await request(flows.server).get('/auth/change-username')).status).toBe(401);
      // A session signed in two days ago (and never fresh since, so no grace period either).
      const old = await signIn('shownew');
      await flows.app.get(SessionStore).update(sessionId(old.secret), { authenticatedAt: new Date(Date.now() - 2 * 86400 * 1000) });
      const stale = await request(flows.server).get('/auth/change-username').set('Cookie', old.cookie);
      expect({ status: stale.status, code: stale.body.code }).toEqual({ status: 401, code: 'REAUTH_REQUIRED' });
    });

    it('the session list is off with sessionList: false', async () => {
      await makeUser('listname');
      const browser = await signIn('listname');
      expect((await request(flows.server).get('/auth/sessions').set('Cookie', browser.cookie)).status).toBe(404);
    });
  });

  describe('without usernameEnable', () => {
    let flows: FlowsApp;
    beforeAll(async () => {
      flows = await createFlowsApp({ changeUsername: true, usernameEnable: false, usernameRecovery: false }, platform);
    });
    afterAll(() => flows?.close());

    it('GET and POST /change-username are not there', async () => {
      const token = flows.app
        .get(TokenFactory)
        .auth(await flows.datastore.createUser({ email: 'nousernames@example.com', password: null }));
      const answer = await request(flows.server)
        .post('/auth/change-username')
        .set('Authentication-Token', token)
        .send({ username: 'anyname' });
      expect(answer.status).toBe(404);
      expect((await request(flows.server).get('/auth/change-username').set('Authentication-Token', token)).status).toBe(404);
    });
  });
});
