/**
 * GET /login as Flask-Security's login view answers a JSON client: the
 * identity attributes and a CSRF token, and the user when the caller is
 * signed in already (a single page app after a reload). Both response
 * shapes, both platforms, real PostgreSQL.
 */
import request from 'supertest';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import type { ResponseShape } from '../../src/http/response-shape.js';
import { cookiesOf, createFlowsApp, type FlowsApp } from '../support/flows-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';

const PASSWORD = 'a long enough passphrase';
const SHAPES: readonly ResponseShape[] = ['nest-security', 'flask-security'];

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  describe.each(SHAPES)('GET /login, responseShape %s (real PostgreSQL)', (shape) => {
    let flows: FlowsApp;
    let seq = 0;

    beforeAll(async () => {
      flows = await createFlowsApp({ responseShape: shape, limits: { perIp: { max: 10_000 } } }, platform);
    });
    afterAll(() => flows?.close());

    /** The answer's fields, out of the envelope when the shape has one (which is checked). */
    function fieldsOf(answer: request.Response): Record<string, unknown> {
      expect(answer.status).toBe(200);
      if (shape === 'nest-security') return answer.body as Record<string, unknown>;
      expect(Object.keys(answer.body).sort()).toEqual(['meta', 'response']);
      expect(answer.body.meta).toEqual({ code: 200 });
      return answer.body.response as Record<string, unknown>;
    }

    const makeUser = async () => {
      const email = `login.form.${platform}.${++seq}@example.com`;
      await flows.datastore.createUser({ email, password: await flows.app.get(PasswordHasher).hash(PASSWORD), confirmedAt: new Date() });
      return email;
    };

    const signIn = async (email: string, query = '') => {
      const answer = await request(flows.server).post(`/auth/login${query}`).send({ email, password: PASSWORD });
      const fields = fieldsOf(answer);
      return { fields, cookie: cookiesOf(answer.headers['set-cookie']) };
    };

    it('anonymous: the identity attributes and a pre-session CSRF token that a sign-in form can post with', async () => {
      const answer = await request(flows.server).get('/auth/login');
      const fields = fieldsOf(answer);
      expect(fields).toEqual({ identity_attributes: ['email', 'username'], csrf_token: expect.any(String) });
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.headers.vary).toMatch(/Cookie/);

      // The token and its cookie are what a form post of the sign-in page needs (login CSRF protection).
      const email = await makeUser();
      const form = await request(flows.server)
        .post('/auth/login')
        .type('form')
        .set('Cookie', cookiesOf(answer.headers['set-cookie']))
        .send({ email, password: PASSWORD, csrf_token: fields.csrf_token as string });
      expect(fieldsOf(form).user).toMatchObject({ email });
      // Without them the same post is refused.
      const bare = await request(flows.server).post('/auth/login').type('form').send({ email, password: PASSWORD });
      expect(bare.status).toBe(400);
    });

    it("signed in by the session cookie: the user too, with the session's own CSRF token", async () => {
      const email = await makeUser();
      const { fields: signedIn, cookie } = await signIn(email);
      const answer = await request(flows.server).get('/auth/login').set('Cookie', cookie);
      const fields = fieldsOf(answer);
      expect(fields).toEqual({
        user: expect.objectContaining({ email }),
        csrf_token: signedIn.csrf_token,
        identity_attributes: ['email', 'username'],
      });
      // The answer is this user's: kept out of caches, varying with the cookie.
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.headers.vary).toMatch(/Cookie/);
    });

    it('signed in by an auth token: the user too', async () => {
      const email = await makeUser();
      const { fields: signedIn } = await signIn(email, '?include_auth_token');
      const token = (signedIn.authentication_token ?? (signedIn.user as Record<string, unknown>).authentication_token) as string;
      expect(token).toEqual(expect.any(String));
      const fields = fieldsOf(await request(flows.server).get('/auth/login').set('Authentication-Token', token));
      expect(fields.user).toMatchObject({ email });
      expect(fields.csrf_token).toEqual(expect.any(String));
    });

    it('a dead session or a forged token counts as anonymous (no user, no error)', async () => {
      const email = await makeUser();
      const { cookie, fields: signedIn } = await signIn(email);
      await request(flows.server)
        .post('/auth/logout')
        .set('Cookie', cookie)
        .set('X-XSRF-Token', signedIn.csrf_token as string)
        .send({})
        .expect(200);
      for (const answer of [
        await request(flows.server).get('/auth/login').set('Cookie', cookie),
        await request(flows.server).get('/auth/login').set('Authentication-Token', 'forged.token.value'),
      ]) {
        const fields = fieldsOf(answer);
        expect(fields).not.toHaveProperty('user');
        expect(fields.identity_attributes).toEqual(['email', 'username']);
      }
    });
  });

  it('without usernames, only email is an identity attribute', async () => {
    const flows = await createFlowsApp({ usernameEnable: false, usernameRecovery: false, changeUsername: false }, platform);
    try {
      const answer = await request(flows.server).get('/auth/login');
      expect(answer.status).toBe(200);
      expect(answer.body.identity_attributes).toEqual(['email']);
    } finally {
      await flows.close();
    }
  });
});
