/**
 * `responseShape: 'flask-security'`: the flows driven the way a front end
 * written for Flask-Security's JSON API drives them, with its request bodies
 * and checked against the response schemas of its docs/openapi.yaml:
 *
 * - BaseJsonResponse: `{ meta: { code: <status> }, response: {...} }`, both required;
 * - DefaultJsonResponse: `response.user` (object), `response.csrf_token` (string);
 * - JsonResponseWithToken: `response.user.authentication_token`;
 * - DefaultJsonErrorResponse: `response.errors` (required, strings),
 *   `response.field_errors` ({ field: [strings] }) for form errors.
 */
import request from 'supertest';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { type AuthnApp, createAuthnApp } from '../support/authn-app.js';
import { cookiesOf, createFlowsApp, type FlowsApp } from '../support/flows-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';
import { extractToken } from '../support/smtp-sink.js';
import { ProtectedController } from '../authn/protected.controller.js';

const PASSWORD = 'a long enough passphrase';
const NEW_PASSWORD = 'another long passphrase';

type Body = { meta: { code: number }; response: Record<string, unknown> };

/** BaseJsonResponse, with meta.code the HTTP status. */
function expectEnvelope(answer: request.Response, status: number): Body {
  expect({ status: answer.status, body: answer.body }).toMatchObject({ status, body: { meta: { code: status } } });
  expect(Object.keys(answer.body).sort()).toEqual(['meta', 'response']);
  expect(typeof answer.body.response).toBe('object');
  return answer.body as Body;
}

/** DefaultJsonResponse (NoUser when `user` is false): a success with the csrf_token every Flask-Security JSON answer has. */
function expectSuccess(answer: request.Response, { user = false }: { user?: boolean } = {}): Record<string, unknown> {
  const { response } = expectEnvelope(answer, 200);
  expect(response.csrf_token).toEqual(expect.any(String));
  if (user) expect(response.user).toEqual(expect.objectContaining({ email: expect.any(String) }));
  // Nothing of our own shape at the top level.
  expect(answer.body).not.toHaveProperty('statusCode');
  return response;
}

/** JsonResponseWithToken: the auth token inside response.user, never beside it. */
function expectTokenResponse(answer: request.Response): { token: string; response: Record<string, unknown> } {
  const response = expectSuccess(answer, { user: true });
  const user = response.user as Record<string, unknown>;
  expect(user.authentication_token).toEqual(expect.any(String));
  expect(response).not.toHaveProperty('authentication_token');
  return { token: user.authentication_token as string, response };
}

/** DefaultJsonErrorResponse; `fields`: the fields field_errors must name. */
function expectError(answer: request.Response, status: number, fields: string[] = []): Record<string, unknown> {
  const { response } = expectEnvelope(answer, status);
  expect(response.errors).toEqual(expect.arrayContaining([expect.any(String)]));
  for (const error of response.errors as unknown[]) expect(typeof error).toBe('string');
  if (fields.length > 0) {
    const fieldErrors = response.field_errors as Record<string, string[]>;
    expect(Object.keys(fieldErrors)).toEqual(expect.arrayContaining(fields));
    // Every field message is in the plain list too, as Flask-Security's json_error_response makes it.
    for (const messages of Object.values(fieldErrors)) expect(response.errors).toEqual(expect.arrayContaining(messages));
  } else {
    expect(response).not.toHaveProperty('field_errors');
  }
  return response;
}

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  describe("the flows in Flask-Security's JSON API shape (real PostgreSQL, real SMTP)", () => {
    let flows: FlowsApp;
    let seq = 0;

    beforeAll(async () => {
      flows = await createFlowsApp(
        { responseShape: 'flask-security', unifiedSignin: true, passwordless: true, limits: { perIp: { max: 10_000 } } },
        platform,
      );
    });
    afterAll(() => flows?.close());

    const makeUser = async () => {
      const email = `fs${++seq}@example.com`;
      await flows.datastore.createUser({ email, password: await flows.app.get(PasswordHasher).hash(PASSWORD), confirmedAt: new Date() });
      return email;
    };
    const mailTo = (email: string, subject?: string) =>
      flows.sink.waitFor((m) => m.to.includes(email) && (subject === undefined || m.subject === subject));
    const login = (email: string, password = PASSWORD) =>
      request(flows.server).post('/auth/login?include_auth_token').send({ email, password });

    it('register → confirm link → login: the envelope at every step', async () => {
      const email = `newcomer${++seq}@example.com`;
      const registered = await request(flows.server).post('/auth/register').send({ email, password: PASSWORD });
      expectSuccess(registered);

      const confirmToken = extractToken(await mailTo(email), '/auth/confirm/');
      const confirmed = await request(flows.server).get(`/auth/confirm/${confirmToken}`);
      expect(expectEnvelope(confirmed, 200).response).toMatchObject({ code: 'EMAIL_CONFIRMED', message: expect.any(String) });

      const signedIn = await login(email);
      const { response } = expectTokenResponse(signedIn);
      expect(response.user).toMatchObject({ email });
      // The same link again says so; a tampered one is an error, in the envelope.
      const again = await request(flows.server).get(`/auth/confirm/${confirmToken}`);
      expect(expectEnvelope(again, 200).response).toMatchObject({ code: 'ALREADY_CONFIRMED' });
      expect(expectError(await request(flows.server).get(`/auth/confirm/${confirmToken}x`), 400).code).toBe('INVALID_TOKEN');
    });

    it('register with bad fields: 400 with field_errors per field, all of them in errors', async () => {
      const answer = await request(flows.server).post('/auth/register').send({ email: 'not an address', password: PASSWORD });
      expect(expectError(answer, 400, ['email']).code).toBe('VALIDATION_ERROR');
      const short = await request(flows.server)
        .post('/auth/register')
        .send({ email: `short${++seq}@example.com`, password: 'short' });
      expectError(short, 400, ['password']);
      // A wrong type is a field error as well, never a 500.
      expectError(
        await request(flows.server)
          .post('/auth/register')
          .send({ email: ['x'], password: PASSWORD }),
        400,
        ['email'],
      );
    });

    it('login failures answer 400 with errors, as Flask-Security; a malformed body too', async () => {
      const email = await makeUser();
      expectError(await login(email, 'wrong password here'), 400);
      expectError(await login('nobody@example.com'), 400);
      const malformed = await request(flows.server).post('/auth/login').set('Content-Type', 'application/json').send('{"email": ');
      expect(expectError(malformed, 400).code).toBe('MALFORMED_BODY');
      expectError(await request(flows.server).get('/auth/no-such-route'), 404);
    });

    it('GET /me, POST /verify: the user (and a new token) under response.user; 401 without credentials', async () => {
      const email = await makeUser();
      const { token } = expectTokenResponse(await login(email));
      const me = await request(flows.server).get('/auth/me').set('Authentication-Token', token);
      expect(expectSuccess(me, { user: true }).user).toMatchObject({ email });
      const verified = await request(flows.server)
        .post('/auth/verify?include_auth_token')
        .set('Authentication-Token', token)
        .send({ password: PASSWORD });
      expectTokenResponse(verified);
      const wrong = await request(flows.server)
        .post('/auth/verify')
        .set('Authentication-Token', token)
        .send({ password: 'not my password' });
      expectError(wrong, 400);
      const anonymous = await request(flows.server).get('/auth/me');
      expect(expectError(anonymous, 401).code).toBe('UNAUTHENTICATED');
    });

    it('POST /change over the session, with the csrf_token of the login answer', async () => {
      const email = await makeUser();
      const signedIn = await login(email);
      const { response } = expectTokenResponse(signedIn);
      const cookie = cookiesOf(signedIn.headers['set-cookie']);
      const csrf = response.csrf_token as string;
      const noCsrf = await request(flows.server)
        .post('/auth/change')
        .set('Cookie', cookie)
        .send({ password: PASSWORD, new_password: NEW_PASSWORD });
      expect(expectError(noCsrf, 400).code).toBe('CSRF_FAILED');
      const badCurrent = await request(flows.server)
        .post('/auth/change')
        .set('Cookie', cookie)
        .set('X-XSRF-Token', csrf)
        .send({ password: 'not the password', new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD });
      expectError(badCurrent, 400, ['password']);
      const changed = await request(flows.server)
        .post('/auth/change?include_auth_token')
        .set('Cookie', cookie)
        .set('X-XSRF-Token', csrf)
        .send({ password: PASSWORD, new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD });
      expectTokenResponse(changed);
      expectTokenResponse(await login(email, NEW_PASSWORD));
    });

    it('POST /reset, then POST /reset/<token>; a bad token is a 400 error', async () => {
      const email = await makeUser();
      expectSuccess(await request(flows.server).post('/auth/reset').send({ email }));
      const token = extractToken(await mailTo(email, 'Password reset instructions'), '/auth/reset/');
      expectEnvelope(await request(flows.server).get(`/auth/reset/${token}`), 200);
      const reset = await request(flows.server)
        .post(`/auth/reset/${token}`)
        .send({ password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
      expect(expectEnvelope(reset, 200).response).toMatchObject({ message: expect.any(String), csrf_token: expect.any(String) });
      expectError(await request(flows.server).post(`/auth/reset/${token}`).send({ password: PASSWORD, password_confirm: PASSWORD }), 400);
      expectTokenResponse(await login(email, NEW_PASSWORD));
    });

    it('POST /logout: 200 in the envelope, and the session is gone', async () => {
      const email = await makeUser();
      const signedIn = await login(email);
      const cookie = cookiesOf(signedIn.headers['set-cookie']);
      const csrf = expectTokenResponse(signedIn).response.csrf_token as string;
      const out = await request(flows.server).post('/auth/logout').set('Cookie', cookie).set('X-XSRF-Token', csrf).send({});
      expectEnvelope(out, 200);
      expectError(await request(flows.server).get('/auth/me').set('Cookie', cookie), 401);
    });

    it('POST /login-link, then GET /login/<token>: signed in, the token under response.user', async () => {
      const email = await makeUser();
      expectSuccess(await request(flows.server).post('/auth/login-link').send({ email }));
      const token = extractToken(await mailTo(email, 'Your login link'), '/auth/login/');
      const followed = await request(flows.server).get(`/auth/login/${token}?include_auth_token`);
      const { response } = expectEnvelope(followed, 200);
      expect(response.user).toMatchObject({ email, authentication_token: expect.any(String) });
      expect(response).not.toHaveProperty('authentication_token');
      expectError(await request(flows.server).get(`/auth/login/${token}`), 400);
    });

    it('POST /us-signin/send-code, then POST /us-signin with the code; a wrong passcode is a 400 error', async () => {
      const email = await makeUser();
      expectSuccess(await request(flows.server).post('/auth/us-signin/send-code').send({ identity: email, chosen_method: 'email' }));
      const mail = await mailTo(email, 'Your sign-in code');
      const code = /code is: (\d{6})/.exec(mail.text)![1]!;
      expectError(await request(flows.server).post('/auth/us-signin').send({ identity: email, passcode: '000000' }), 400);
      const signedIn = await request(flows.server)
        .post('/auth/us-signin?include_auth_token')
        .send({ identity: email, passcode: code, remember: true });
      expect(expectTokenResponse(signedIn).response.user).toMatchObject({ email });
    });

    it('a form post with the pre-session token works and answers in the envelope', async () => {
      const email = await makeUser();
      const csrf = await request(flows.server).get('/auth/csrf');
      const token = expectSuccess(csrf).csrf_token as string;
      const signedIn = await request(flows.server)
        .post('/auth/login?include_auth_token')
        .type('form')
        .set('Cookie', cookiesOf(csrf.headers['set-cookie']))
        .send({ email, password: PASSWORD, csrf_token: token });
      expectTokenResponse(signedIn);
      expect(expectError(await request(flows.server).post('/auth/login').type('form').send({ email, password: PASSWORD }), 400).code).toBe(
        'CSRF_FAILED',
      );
    });
  });

  describe("the guard's answers on the app's own routes", () => {
    let authn: AuthnApp;

    beforeAll(async () => {
      authn = await createAuthnApp({ controllers: [ProtectedController], options: { responseShape: 'flask-security' } }, platform);
      await authn.createUser('member@example.com', PASSWORD);
    });
    afterAll(() => authn?.close());

    it('401 and 403 are in the envelope; the route itself answers as the app wrote it', async () => {
      expect(expectError(await request(authn.server).get('/p/default'), 401).code).toBe('UNAUTHENTICATED');
      const signedIn = await request(authn.server)
        .post('/auth/login?include_auth_token')
        .send({ email: 'member@example.com', password: PASSWORD });
      const { token } = expectTokenResponse(signedIn);
      const forbidden = await request(authn.server).get('/p/admin').set('Authentication-Token', token);
      expect(expectError(forbidden, 403).code).toBe('FORBIDDEN');
      const allowed = await request(authn.server).get('/p/default').set('Authentication-Token', token);
      expect(allowed.status).toBe(200);
      expect(allowed.body).toEqual({ email: 'member@example.com', via: 'token' });
      // Errors off the module's prefix keep nest-security's shape.
      const unknown = await request(authn.server).get('/elsewhere');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    });

    it('a stale session gets 401 with reauth_required, as Flask-Security', async () => {
      const signedIn = await request(authn.server)
        .post('/auth/login?include_auth_token')
        .send({ email: 'member@example.com', password: PASSWORD });
      const { token } = expectTokenResponse(signedIn);
      // A token made long ago is not fresh for @AuthRequired({ within: 5 }).
      const user = (await authn.datastore.findUser({ email: 'member@example.com' }))!;
      const old = authn.tokens.auth(user, new Date(Date.now() - 60 * 60 * 1000));
      expect(token).not.toBe(old);
      const stale = await request(authn.server).get('/p/fresh').set('Authentication-Token', old);
      expect(expectError(stale, 401)).toMatchObject({ code: 'REAUTH_REQUIRED', reauth_required: true });
    });
  });
});
