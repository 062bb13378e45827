/**
 * What depends on the platform, checked on each: link tokens longer than
 * Fastify's default route-parameter cap (100), the shape of link URLs kept
 * (one segment, as `:token`), session cookies written and read back, and
 * the client address taken from the platform (never from a header on our own).
 */
import request from 'supertest';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { createFlowsApp, type FlowsApp } from '../support/flows-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';
import { extractToken } from '../support/smtp-sink.js';

const PASSWORD = 'a long enough passphrase';

describe.each(TEST_PLATFORMS)('on %s (default adapter settings)', (platform) => {
  let flows: FlowsApp;
  let seq = 0;

  beforeAll(async () => {
    flows = await createFlowsApp({ passwordless: true, trackable: true }, platform);
  });
  afterAll(() => flows?.close());

  const makeUser = async () => {
    const password = await flows.app.get(PasswordHasher).hash(PASSWORD);
    return flows.datastore.createUser({ email: `platform${++seq}@example.com`, password, confirmedAt: new Date() });
  };

  const loginLinkToken = async (email: string): Promise<string> => {
    await request(flows.server).post('/auth/login-link').send({ email }).expect(200);
    const mail = await flows.sink.waitFor((m) => m.to.includes(email) && m.subject === 'Your login link');
    return extractToken(mail, '/auth/login/');
  };

  it('follows a login link once, by its one-segment URL', async () => {
    const user = await makeUser();
    const token = await loginLinkToken(user.email);
    const first = await request(flows.server).get(`/auth/login/${token}`).set('Accept', 'application/json');
    expect({ status: first.status, code: first.body.code }).toEqual({ status: 200, code: 'LOGIN_SUCCESSFUL' });
    const second = await request(flows.server).get(`/auth/login/${token}`).set('Accept', 'application/json');
    expect({ status: second.status, code: second.body.code }).toEqual({ status: 400, code: 'USED_TOKEN' });
  });

  it('confirms by a link whose token is longer than 100 characters', async () => {
    const email = `register${++seq}@example.com`;
    await request(flows.server).post('/auth/register').send({ email, password: PASSWORD }).expect(200);
    const mail = await flows.sink.waitFor((m) => m.to.includes(email) && m.subject === 'Welcome');
    const token = extractToken(mail, '/auth/confirm/');
    expect(token.length).toBeGreaterThan(100);
    const confirmed = await request(flows.server).get(`/auth/confirm/${token}`).expect(200);
    expect(confirmed.body.code).toBe('EMAIL_CONFIRMED');
    expect((await flows.datastore.findUser({ email }))?.confirmedAt).toBeInstanceOf(Date);
  });

  it('checks and uses a reset link whose token is longer than 100 characters (GET and POST /reset/:token)', async () => {
    const user = await makeUser();
    await request(flows.server).post('/auth/reset').send({ email: user.email }).expect(200);
    const mail = await flows.sink.waitFor((m) => m.to.includes(user.email) && m.subject === 'Password reset instructions');
    const token = extractToken(mail, '/auth/reset/');
    expect(token.length).toBeGreaterThan(100);
    await request(flows.server).get(`/auth/reset/${token}`).expect(200);
    const reset = await request(flows.server).post(`/auth/reset/${token}`).send({ password: 'another long passphrase' });
    expect(reset.status).toBe(200);
    // Not signed in by default (autoLoginAfterReset off): the new password is what changed.
    expect(reset.body).toEqual({ message: expect.any(String) });
    await request(flows.server).post('/auth/login').send({ email: user.email, password: 'another long passphrase' }).expect(200);
  });

  it('sets the session cookies on sign-in and accepts them back', async () => {
    const user = await makeUser();
    const login = await request(flows.server).post('/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);
    const setCookie = login.headers['set-cookie'] as unknown as string[];
    expect(setCookie.map((cookie) => cookie.split('=')[0])).toEqual(['nest_security_session', 'XSRF-TOKEN']);
    const cookie = setCookie.map((each) => each.split(';')[0]).join('; ');
    const me = await request(flows.server).get('/auth/me').set('Cookie', cookie).expect(200);
    expect(me.body.user.email).toBe(user.email);
    const logout = await request(flows.server)
      .post('/auth/logout')
      .set('Cookie', cookie)
      .set('X-XSRF-Token', login.body.csrf_token)
      .expect(200);
    expect((logout.headers['set-cookie'] as unknown as string[]).every((each) => each.includes('Max-Age=0'))).toBe(true);
  });

  it.each(['confirm', 'reset', 'login', 'change-email'])(
    'answers 404 for /auth/%s/ with no token or more than one segment',
    async (route) => {
      const empty = await request(flows.server).get(`/auth/${route}/`);
      if (route === 'login' && platform === 'express') {
        // Express's non-strict routing takes /login/ for GET /login (the sign-in form's answer), never for a login link.
        expect(empty.status).toBe(200);
        expect(empty.body.identity_attributes).toContain('email');
      } else {
        expect(empty.status).toBe(404);
      }
      const nested = await request(flows.server).get(`/auth/${route}/abc/def`).expect(404);
      expect(nested.body.code).toBe('NOT_FOUND');
    },
  );

  it('records the client address from the platform, ignoring X-Forwarded-For without trust proxy', async () => {
    const user = await makeUser();
    await request(flows.server)
      .post('/auth/login')
      .set('X-Forwarded-For', '203.0.113.9')
      .send({ email: user.email, password: PASSWORD })
      .expect(200);
    const stored = await flows.datastore.findUser({ email: user.email });
    expect(stored?.currentLoginIp).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
  });
});
