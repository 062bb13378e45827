import request from 'supertest';
import { extractLink } from '../support/smtp-sink.js';
import { cookiesOf, createFlowsApp, FLOWS_APP_URL, type FlowsApp } from '../support/flows-app.js';

const PASSWORD = 'a perfectly good passphrase';

/** The path of a mailed link, to follow it against the test server. */
const pathOf = (link: string) => {
  const url = new URL(link);
  return url.pathname + url.search;
};

describe("flows under urlPrefix '/api/auth': every mailed link uses the prefix the routes are mounted under", () => {
  let flows: FlowsApp;
  beforeAll(async () => {
    flows = await createFlowsApp({ urlPrefix: '/api/auth', passwordless: true, autoLoginAfterConfirm: true });
  });
  afterAll(() => flows?.close());
  beforeEach(() => flows.sink.clear());

  it('mounts the routes under the prefix only', async () => {
    expect((await request(flows.server).post('/auth/reset').send({ email: 'x@example.com' })).status).toBe(404);
    expect((await request(flows.server).post('/api/auth/reset').send({ email: 'x@example.com' })).status).toBe(200);
  });

  it('register: the confirm link says /api/auth and confirms', async () => {
    const email = 'prefix.confirm@example.com';
    await request(flows.server).post('/api/auth/register').send({ email, password: PASSWORD }).expect(200);
    const link = extractLink(await flows.sink.waitFor((m) => m.to.includes(email)), '/confirm/');
    expect(link.startsWith(`${FLOWS_APP_URL}/api/auth/confirm/`)).toBe(true);
    const confirmed = await request(flows.server).get(pathOf(link));
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ code: 'EMAIL_CONFIRMED', email });
    const me = await request(flows.server).get('/api/auth/me').set('Cookie', cookiesOf(confirmed.headers['set-cookie']));
    expect(me.status).toBe(200);
  });

  it('reset: the reset link says /api/auth and sets the new password', async () => {
    const email = 'prefix.reset@example.com';
    await flows.datastore.createUser({ email, password: null, confirmedAt: new Date() });
    await request(flows.server).post('/api/auth/reset').send({ email }).expect(200);
    const link = extractLink(await flows.sink.waitFor((m) => m.to.includes(email)), '/reset/');
    expect(link.startsWith(`${FLOWS_APP_URL}/api/auth/reset/`)).toBe(true);
    await request(flows.server).post(pathOf(link)).send({ password: PASSWORD }).expect(200);
    await request(flows.server).post('/api/auth/login').send({ email, password: PASSWORD }).expect(200);
  });

  it('passwordless: the login link says /api/auth and signs in', async () => {
    const email = 'prefix.link@example.com';
    await flows.datastore.createUser({ email, password: null, confirmedAt: new Date() });
    await request(flows.server).post('/api/auth/login-link').send({ email }).expect(200);
    const link = extractLink(await flows.sink.waitFor((m) => m.to.includes(email)), '/login/');
    expect(link.startsWith(`${FLOWS_APP_URL}/api/auth/login/`)).toBe(true);
    const signedIn = await request(flows.server).get(pathOf(link)).set('Accept', 'application/json');
    expect(signedIn.status).toBe(200);
    expect(cookiesOf(signedIn.headers['set-cookie'])).toContain('nest_security_session=');
  });
});
