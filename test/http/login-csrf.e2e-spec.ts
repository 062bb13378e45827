/**
 * Login CSRF: a page on another site can make the browser post an HTML form
 * (`application/x-www-form-urlencoded`, no CORS preflight) to the module's
 * routes. Without a check, `email=attacker&password=...` posted to /login
 * signs the victim's browser in to the attacker's account. The module's POST
 * routes take form bodies only with a valid CSRF token, as Flask-Security's
 * forms do; JSON bodies are unaffected (a cross-site page cannot send them
 * without a preflight).
 */
import request from 'supertest';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { cookiesOf, createFlowsApp, type FlowsApp } from '../support/flows-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';

const PASSWORD = 'a long enough passphrase';
const FORM = 'application/x-www-form-urlencoded';

/** What an attacker's page posts: a plain HTML form, with the browser's cookies for our site (none here). */
const crossSiteForm = (flows: FlowsApp, path: string, fields: Record<string, string>) =>
  request(flows.server).post(path).type('form').set('Origin', 'https://evil.example').send(fields);

function setCookies(response: request.Response): string[] {
  const header = response.headers['set-cookie'] as string | string[] | undefined;
  return Array.isArray(header) ? header : header ? [header] : [];
}

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  describe('form-encoded bodies need a CSRF token (real PostgreSQL, real SMTP)', () => {
    let flows: FlowsApp;
    let seq = 0;

    beforeAll(async () => {
      flows = await createFlowsApp({ unifiedSignin: true, passwordless: true, limits: { perIp: { max: 10_000 } } }, platform);
    });
    afterAll(() => flows?.close());

    const makeUser = async () => {
      const email = `victim${++seq}@example.com`;
      await flows.datastore.createUser({ email, password: await flows.app.get(PasswordHasher).hash(PASSWORD), confirmedAt: new Date() });
      return email;
    };

    /** GET /csrf before any session: the pre-session token and the cookies that bind it to this browser. */
    const preSession = async () => {
      const response = await request(flows.server).get('/auth/csrf');
      expect(response.status).toBe(200);
      expect(response.body.csrf_token).toEqual(expect.any(String));
      return { token: response.body.csrf_token as string, cookie: cookiesOf(response.headers['set-cookie']) };
    };

    it.each([
      ['/auth/login', (email: string) => ({ email, password: PASSWORD })],
      ['/auth/us-signin', (email: string) => ({ identity: email, passcode: PASSWORD })],
      ['/auth/register', () => ({ email: `new${++seq}@example.com`, password: PASSWORD })],
    ])('a cross-site form post to %s is refused (400 CSRF_FAILED) and sets no cookie', async (path, fieldsFor) => {
      const fields: Record<string, string> = fieldsFor(await makeUser());
      const response = await crossSiteForm(flows, path, fields);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'CSRF_FAILED' });
      expect(setCookies(response)).toEqual([]);
      // Nothing was created or signed in.
      if (path === '/auth/register') expect(await flows.datastore.findUser({ email: fields.email! })).toBeNull();
    });

    it('a form carrying a forged, foreign or expired-looking token is refused too', async () => {
      const email = await makeUser();
      const mine = await preSession();
      const other = await preSession();
      const attempts: Array<{ token: string; cookie?: string }> = [
        { token: 'forged' },
        // A token the attacker fetched for themselves, without their nonce cookie in the victim's browser.
        { token: other.token },
        // The victim's nonce cookie with the attacker's token.
        { token: other.token, cookie: mine.cookie },
        { token: mine.token.slice(0, -2) + 'xx', cookie: mine.cookie },
      ];
      for (const { token, cookie } of attempts) {
        const post = request(flows.server).post('/auth/login').type('form');
        if (cookie) post.set('Cookie', cookie);
        const response = await post.send({ email, password: PASSWORD, csrf_token: token });
        expect(response.status).toBe(400);
        expect(response.body.code).toBe('CSRF_FAILED');
        expect(setCookies(response).some((c) => c.startsWith('nest_security_session='))).toBe(false);
      }
    });

    it('with the pre-session token of GET /csrf (body field or header) a form post signs in', async () => {
      const email = await makeUser();
      const { token, cookie } = await preSession();
      const byField = await request(flows.server)
        .post('/auth/login')
        .type('form')
        .set('Cookie', cookie)
        .send({ email, password: PASSWORD, csrf_token: token });
      expect(byField.status).toBe(200);
      expect(byField.body.user).toMatchObject({ email });
      const session = cookiesOf(byField.headers['set-cookie']);
      expect(session).toContain('nest_security_session=');
      await request(flows.server).get('/auth/me').set('Cookie', session).expect(200);

      const again = await preSession();
      const byHeader = await request(flows.server)
        .post('/auth/us-signin')
        .set('Content-Type', FORM)
        .set('Cookie', again.cookie)
        .set('X-XSRF-Token', again.token)
        .send(`identity=${encodeURIComponent(email)}&passcode=${encodeURIComponent(PASSWORD)}`);
      expect(byHeader.status).toBe(200);
      expect(byHeader.body.user).toMatchObject({ email });
    });

    it("reads a form's fields as Flask-Security's forms do: remember=y is true, the submit button is ignored", async () => {
      const email = await makeUser();
      const { token, cookie } = await preSession();
      const remembered = await request(flows.server)
        .post('/auth/login')
        .type('form')
        .set('Cookie', cookie)
        .send({ email, password: PASSWORD, remember: 'y', submit: 'Login', csrf_token: token });
      expect(remembered.status).toBe(200);
      // A "remember me" session cookie is persistent.
      expect(setCookies(remembered).find((c) => c.startsWith('nest_security_session='))).toMatch(/Max-Age=\d+/);
      const again = await preSession();
      const plain = await request(flows.server)
        .post('/auth/login')
        .type('form')
        .set('Cookie', again.cookie)
        .send({ email, password: PASSWORD, remember: '', csrf_token: again.token });
      expect(plain.status).toBe(200);
      expect(setCookies(plain).find((c) => c.startsWith('nest_security_session='))).not.toContain('Max-Age');
    });

    it('a signed-in session may post forms with its own token', async () => {
      const email = await makeUser();
      const signedIn = await request(flows.server).post('/auth/login').send({ email, password: PASSWORD });
      const cookie = cookiesOf(signedIn.headers['set-cookie']);
      const withoutToken = await request(flows.server).post('/auth/logout').type('form').set('Cookie', cookie).send({});
      expect(withoutToken.status).toBe(400);
      expect(withoutToken.body.code).toBe('CSRF_FAILED');
      const withToken = await request(flows.server)
        .post('/auth/logout')
        .type('form')
        .set('Cookie', cookie)
        .send({ csrf_token: signedIn.body.csrf_token });
      expect(withToken.status).toBe(200);
      await request(flows.server).get('/auth/me').set('Cookie', cookie).expect(401);
    });

    it('GET /csrf with a session gives the session token; the pre-session nonce cookie is HttpOnly', async () => {
      const first = await request(flows.server).get('/auth/csrf');
      const nonce = setCookies(first).find((c) => c.startsWith('nest_security_session_csrf='));
      expect(nonce).toContain('HttpOnly');
      expect(setCookies(first).find((c) => c.startsWith('XSRF-TOKEN='))).toContain(first.body.csrf_token);
      // The same browser asking again keeps its nonce: both tokens stay good.
      const cookie = cookiesOf(first.headers['set-cookie']);
      const second = await request(flows.server).get('/auth/csrf').set('Cookie', cookie);
      expect(setCookies(second).some((c) => c.startsWith('nest_security_session_csrf='))).toBe(false);
    });

    it('JSON bodies need no token (a cross-site page cannot send them without a preflight)', async () => {
      const email = await makeUser();
      const response = await request(flows.server).post('/auth/login').send({ email, password: PASSWORD });
      expect(response.status).toBe(200);
    });
  });

  describe('with CSRF protection off', () => {
    let flows: FlowsApp;

    beforeAll(async () => {
      flows = await createFlowsApp({ csrf: { enabled: false } }, platform);
    });
    afterAll(() => flows?.close());

    it('form bodies are refused with 415 (they could not be protected); JSON still works', async () => {
      const response = await crossSiteForm(flows, '/auth/login', { email: 'x@example.com', password: PASSWORD });
      expect(response.status).toBe(415);
      expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(setCookies(response)).toEqual([]);
      expect((await request(flows.server).post('/auth/login').send({ email: 'x@example.com', password: PASSWORD })).status).toBe(400);
      expect((await request(flows.server).get('/auth/csrf')).body).toEqual({ csrf_token: null });
    });
  });
});
