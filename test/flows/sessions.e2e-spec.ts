import request from 'supertest';
import { sessionId } from '../../src/authn/session/session.service.js';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { SessionStore } from '../../src/storage/session-store.js';
import type { SecurityUser } from '../../src/storage/typeorm/entities/security-user.entity.js';
import { TokenFactory } from '../../src/tokens/token.factory.js';
import { cookiesOf, createFlowsApp, type FlowsApp } from '../support/flows-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';

const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

interface Browser {
  cookie: string;
  csrf: string;
  /** The cookie's session secret. */
  secret: string;
}

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const PASSWORD = 'a session list passphrase';

  describe('the session list: GET /sessions, DELETE /sessions/:id, DELETE /sessions (real PostgreSQL)', () => {
    let flows: FlowsApp;
    let seq = 0;

    beforeAll(async () => {
      // sessionList is left unset: it is on by default.
      flows = await createFlowsApp({ changeUsername: false }, platform);
    });
    afterAll(() => flows?.close());
    beforeEach(() => {
      flows.events.length = 0;
    });

    const makeUser = async (): Promise<SecurityUser> => {
      const password = await flows.app.get(PasswordHasher).hash(PASSWORD);
      return flows.datastore.createUser({ email: `sessions${++seq}@example.com`, password, confirmedAt: new Date() });
    };

    /** Signs in as a browser with this user agent would. */
    const signIn = async (user: SecurityUser, userAgent: string): Promise<Browser> => {
      const answer = await request(flows.server)
        .post('/auth/login')
        .set('User-Agent', userAgent)
        .send({ email: user.email, password: PASSWORD });
      expect(answer.status).toBe(200);
      const cookie = cookiesOf(answer.headers['set-cookie'] as unknown as string[]);
      const secret = /(?:^|; )nest_security_session=([^;]+)/.exec(cookie)![1];
      return { cookie, csrf: answer.body.csrf_token, secret };
    };
    const me = (browser: Browser) => request(flows.server).get('/auth/me').set('Cookie', browser.cookie);
    const list = (browser: Browser) => request(flows.server).get('/auth/sessions').set('Cookie', browser.cookie);
    const end = (browser: Browser, id: string) =>
      request(flows.server).delete(`/auth/sessions/${id}`).set('Cookie', browser.cookie).set('X-XSRF-Token', browser.csrf);
    const idOf = async (browser: Browser, device: string): Promise<string> =>
      ((await list(browser)).body.sessions as Array<{ id: string; device: string }>).find((session) => session.device === device)!.id;

    it('lists the caller’s sessions with device, ip, times and which is current; ids reveal no stored key', async () => {
      const user = await makeUser();
      const before = Date.now() - 1000;
      const laptop = await signIn(user, FIREFOX_LINUX);
      const phone = await signIn(user, SAFARI_IOS);

      const answer = await list(laptop);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        sessions: expect.arrayContaining([
          {
            id: expect.any(String),
            device: 'Firefox on Linux',
            ip: expect.any(String),
            created_at: expect.any(String),
            last_seen_at: expect.any(String),
            current: true,
          },
          {
            id: expect.any(String),
            device: 'Safari on iOS',
            ip: expect.any(String),
            created_at: expect.any(String),
            last_seen_at: expect.any(String),
            current: false,
          },
        ]),
      });
      expect(answer.body.sessions).toHaveLength(2);
      for (const session of answer.body.sessions) {
        expect(session.ip).toMatch(/127\.0\.0\.1|::1/);
        expect(Date.parse(session.created_at)).toBeGreaterThanOrEqual(before);
        expect(Date.parse(session.last_seen_at)).toBeGreaterThanOrEqual(before);
      }
      // From the other browser, the other one is current.
      const fromPhone = (await list(phone)).body.sessions as Array<{ device: string; current: boolean }>;
      expect(fromPhone.filter((session) => session.current).map((session) => session.device)).toEqual(['Safari on iOS']);

      const shown = JSON.stringify(answer.body);
      for (const browser of [laptop, phone]) {
        expect(shown).not.toContain(browser.secret);
        expect(shown).not.toContain(sessionId(browser.secret));
        expect(shown).not.toContain(sessionId(browser.secret).slice(0, 16));
      }
    });

    it('keeps at most 256 characters of the user agent', async () => {
      const user = await makeUser();
      const long = `${FIREFOX_LINUX} ${'x'.repeat(2000)}`;
      const browser = await signIn(user, long);
      const stored = await flows.app.get(SessionStore).find(sessionId(browser.secret));
      expect(stored?.userAgent).toBe(long.slice(0, 256));
      expect((await list(browser)).body.sessions[0].device).toBe('Firefox on Linux');
    });

    it('DELETE /sessions/:id ends that session at once; the caller’s own still works', async () => {
      const user = await makeUser();
      const laptop = await signIn(user, FIREFOX_LINUX);
      const phone = await signIn(user, SAFARI_IOS);
      await me(phone).expect(200);

      const ended = await end(laptop, await idOf(laptop, 'Safari on iOS'));
      expect(ended.status).toBe(200);
      expect(ended.body).toEqual({ ended: 1 });
      const refused = await me(phone);
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('UNAUTHENTICATED');
      await me(laptop).expect(200);
      expect((await list(laptop)).body.sessions.map((session: { device: string }) => session.device)).toEqual(['Firefox on Linux']);
      expect(flows.events.filter((event) => event.name === 'sessions.ended').map((event) => event.payload)).toEqual([
        { userId: user.id, email: user.email, ended: 1 },
      ]);
    });

    it('answers 404 alike for another user’s session and an unknown id, and ends nothing', async () => {
      const [alice, bob] = [await makeUser(), await makeUser()];
      const alices = await signIn(alice, FIREFOX_LINUX);
      const bobs = await signIn(bob, CHROME_WINDOWS);
      const bobsId = await idOf(bobs, 'Chrome on Windows');

      const foreign = await end(alices, bobsId);
      const unknown = await end(alices, 'A'.repeat(22));
      const malformed = await end(alices, 'not-an-id');
      // The stored key of Bob's session does not name it either.
      const storedKey = await end(alices, sessionId(bobs.secret));
      for (const answer of [foreign, unknown, malformed, storedKey]) {
        expect(answer.status).toBe(404);
        expect(answer.body).toEqual(foreign.body);
      }
      expect(foreign.body.code).toBe('NOT_FOUND');
      await me(bobs).expect(200);
      await me(alices).expect(200);
    });

    it('needs the CSRF token for a cookie-authenticated DELETE; a token caller needs none', async () => {
      const user = await makeUser();
      const laptop = await signIn(user, FIREFOX_LINUX);
      const phone = await signIn(user, SAFARI_IOS);
      const phoneId = await idOf(laptop, 'Safari on iOS');

      const forged = await request(flows.server).delete(`/auth/sessions/${phoneId}`).set('Cookie', laptop.cookie);
      expect(forged.status).toBe(400);
      expect(forged.body.code).toBe('CSRF_FAILED');
      const forgedAll = await request(flows.server).delete('/auth/sessions').set('Cookie', laptop.cookie).set('X-XSRF-Token', phone.csrf);
      expect(forgedAll.status).toBe(400);
      expect(forgedAll.body.code).toBe('CSRF_FAILED');
      await me(phone).expect(200);

      const token = flows.app.get(TokenFactory).auth(user);
      const viaToken = await request(flows.server).get('/auth/sessions').set('Authentication-Token', token);
      expect(viaToken.status).toBe(200);
      expect(viaToken.body.sessions).toHaveLength(2);
      expect(viaToken.body.sessions.every((session: { current: boolean }) => !session.current)).toBe(true);
      await request(flows.server).delete(`/auth/sessions/${phoneId}`).set('Authentication-Token', token).expect(200);
      expect((await me(phone)).status).toBe(401);
    });

    it('DELETE /sessions signs out everywhere else, and no other user', async () => {
      const [user, bystander] = [await makeUser(), await makeUser()];
      const laptop = await signIn(user, FIREFOX_LINUX);
      const phone = await signIn(user, SAFARI_IOS);
      const desktop = await signIn(user, CHROME_WINDOWS);
      const others = await signIn(bystander, CHROME_WINDOWS);

      const answer = await request(flows.server).delete('/auth/sessions').set('Cookie', laptop.cookie).set('X-XSRF-Token', laptop.csrf);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ ended: 2 });
      expect((await me(phone)).status).toBe(401);
      expect((await me(desktop)).status).toBe(401);
      await me(laptop).expect(200);
      await me(others).expect(200);
      const left = (await list(laptop)).body.sessions;
      expect(left).toEqual([expect.objectContaining({ device: 'Firefox on Linux', current: true })]);
    });

    it('ending the current session is a logout: cookies cleared, the cookie refused', async () => {
      const user = await makeUser();
      const laptop = await signIn(user, FIREFOX_LINUX);
      const answer = await end(laptop, await idOf(laptop, 'Firefox on Linux'));
      expect(answer.status).toBe(200);
      const cleared = answer.headers['set-cookie'] as unknown as string[];
      expect(cleared.some((cookie) => /^nest_security_session=;.*Max-Age=0/.test(cookie))).toBe(true);
      expect((await me(laptop)).status).toBe(401);
    });

    it('needs a signed-in caller; POST /change-username is off without changeUsername', async () => {
      expect((await request(flows.server).get('/auth/sessions')).status).toBe(401);
      expect((await request(flows.server).delete('/auth/sessions')).status).toBe(401);
      expect((await request(flows.server).delete(`/auth/sessions/${'A'.repeat(22)}`)).status).toBe(401);
      const user = await makeUser();
      const laptop = await signIn(user, FIREFOX_LINUX);
      const off = await request(flows.server)
        .post('/auth/change-username')
        .set('Cookie', laptop.cookie)
        .set('X-XSRF-Token', laptop.csrf)
        .send({ username: 'newname' });
      expect(off.status).toBe(404);
    });
  });
});
