import request from 'supertest';
import { type AuthnApp, basic, createAuthnApp, type SignedIn } from '../support/authn-app.js';
import { AdminOnlyController, ProtectedController, PublicController, TokenOnlyController } from './protected.controller.js';
import { TEST_PLATFORMS } from '../support/platform.js';

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const PASSWORD = 'correct horse battery';

  /** How a caller authenticates in the matrix. */
  type Via = 'token' | 'session' | 'basic' | 'none';

  describe('SecurityGuard and the decorators, by token, session and Basic (real PostgreSQL)', () => {
    let authn: AuthnApp;
    const signedIn: Record<string, SignedIn> = {};

    beforeAll(async () => {
      authn = await createAuthnApp(
        { controllers: [ProtectedController, TokenOnlyController, PublicController, AdminOnlyController] },
        platform,
      );
      await authn.createUser('admin@example.com', PASSWORD, ['admin']);
      await authn.createUser('editor@example.com', PASSWORD, ['editor']);
      await authn.createUser('reporter@example.com', PASSWORD, ['reporter']);
      await authn.createUser('plain@example.com', PASSWORD);
      for (const email of ['admin@example.com', 'editor@example.com', 'reporter@example.com', 'plain@example.com']) {
        signedIn[email] = await authn.login(email, PASSWORD);
      }
    });

    afterAll(() => authn?.close());

    function get(path: string, email: string | null, via: Via) {
      const call = request(authn.server).get(path);
      if (!email || via === 'none') return call;
      if (via === 'token') return call.set('Authentication-Token', signedIn[email].token);
      if (via === 'session') return call.set('Cookie', signedIn[email].cookie);
      return call.set('Authorization', basic(email, PASSWORD));
    }

    describe.each<Via>(['token', 'session', 'basic'])('authenticated by %s', (via) => {
      it('@AuthRequired(method) accepts its own method only', async () => {
        for (const method of ['token', 'session', 'basic'] as const) {
          const response = await get(`/p/${method}`, 'plain@example.com', via);
          expect(response.status).toBe(method === via ? 200 : 401);
          if (method === via) expect(response.body).toEqual({ email: 'plain@example.com', via });
          else expect(response.body.code).toBe('UNAUTHENTICATED');
        }
      });

      it('@AuthRequired() takes the default methods (session, token), not Basic', async () => {
        const response = await get('/p/default', 'plain@example.com', via);
        expect(response.status).toBe(via === 'basic' ? 401 : 200);
      });

      it('@AuthRequired(several) takes any of them', async () => {
        const response = await get('/p/any', 'plain@example.com', via);
        expect(response.status).toBe(200);
        expect(response.body.via).toBe(via);
      });

      // Role and permission routes use the default methods; Basic is accepted where the route says so.
      const expectations: Array<[path: string, email: string, status: number]> = [
        ['/p/admin', 'admin@example.com', 200],
        ['/p/admin', 'editor@example.com', 403],
        ['/p/editor', 'editor@example.com', 200],
        ['/p/editor', 'admin@example.com', 200],
        ['/p/editor', 'plain@example.com', 403],
        ['/p/reports', 'reporter@example.com', 200],
        ['/p/reports', 'admin@example.com', 403],
        ['/p/reports-any', 'reporter@example.com', 200],
        ['/p/reports-any', 'plain@example.com', 403],
        ['/p/admin-any-order', 'admin@example.com', 200],
        ['/p/admin-any-order', 'plain@example.com', 403],
      ];
      it.each(expectations)('%s as %s', async (path, email, status) => {
        const basicAccepted = path === '/p/admin-any-order';
        const response = await get(path, email, via);
        const expected = via === 'basic' && !basicAccepted ? 401 : status;
        expect(response.status).toBe(expected);
        if (expected === 403) expect(response.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
        if (expected === 401) expect(response.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
      });

      it('@AnonymousRequired() refuses a signed-in caller with 400 ANONYMOUS_REQUIRED', async () => {
        const response = await get('/p/anonymous', 'plain@example.com', via);
        // Basic is not among the default methods: a Basic caller counts as anonymous there.
        if (via === 'basic') expect(response.status).toBe(200);
        else expect(response.body).toMatchObject({ statusCode: 400, code: 'ANONYMOUS_REQUIRED' });
      });
    });

    it('without credentials: 401 everywhere protected, with the Basic challenge where Basic is accepted', async () => {
      for (const path of ['/p/default', '/p/token', '/p/session', '/p/admin', '/p/reports', '/p/editor', '/c/inherited', '/pub/admin']) {
        const response = await request(authn.server).get(path);
        expect(response.status).toBe(401);
        expect(response.body).toEqual({
          statusCode: 401,
          error: 'Unauthorized',
          message: expect.any(String),
          code: 'UNAUTHENTICATED',
        });
        expect(response.headers['www-authenticate']).toBeUndefined();
      }
      for (const path of ['/p/basic', '/p/any', '/p/admin-any-order']) {
        const response = await request(authn.server).get(path);
        expect(response.status).toBe(401);
        expect(response.headers['www-authenticate']).toBe('Basic realm="Login Required"');
      }
    });

    it('authorization runs after authentication whatever the decorator order: no credentials is 401, not 403', async () => {
      const response = await request(authn.server).get('/p/admin-any-order');
      expect(response.status).toBe(401);
    });

    it('wrong Basic password: 401 with the challenge', async () => {
      const response = await request(authn.server).get('/p/basic').set('Authorization', basic('plain@example.com', 'wrong password'));
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Basic realm="Login Required"');
    });

    it('@Public() and undecorated routes are open when the guard is not global', async () => {
      expect((await request(authn.server).get('/p/public')).status).toBe(200);
      const plain = await request(authn.server).get('/p/plain');
      expect(plain.status).toBe(200);
      expect(plain.body).toEqual({ email: null, via: null });
      expect((await request(authn.server).get('/p/anonymous')).body).toEqual({ anonymous: true });
    });

    it('a controller-level requirement applies to its routes; a handler @Public() overrides it', async () => {
      expect((await get('/c/inherited', 'plain@example.com', 'token')).status).toBe(200);
      expect((await get('/c/inherited', 'plain@example.com', 'session')).status).toBe(401);
      expect((await request(authn.server).get('/c/opened')).status).toBe(200);
    });

    it('a roles decorator on a handler of a @Public() controller still requires a user', async () => {
      expect((await request(authn.server).get('/pub/open')).status).toBe(200);
      expect((await get('/pub/admin', 'admin@example.com', 'token')).status).toBe(200);
      expect((await get('/pub/admin', 'plain@example.com', 'token')).status).toBe(403);
    });

    it("a handler's @Public() does not loosen its controller's roles requirement", async () => {
      expect((await request(authn.server).get('/adm/not-really-public')).status).toBe(401);
      expect((await get('/adm/not-really-public', 'plain@example.com', 'token')).status).toBe(403);
      expect((await get('/adm/not-really-public', 'admin@example.com', 'session')).status).toBe(200);
    });

    it('GET /auth/me by token and session', async () => {
      for (const via of ['token', 'session'] as const) {
        const response = await get('/auth/me', 'admin@example.com', via);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ user: { id: expect.any(Number), email: 'admin@example.com', roles: ['admin'] } });
      }
      expect((await request(authn.server).get('/auth/me')).status).toBe(401);
    });
  });

  describe('SecurityGuard as APP_GUARD', () => {
    let authn: AuthnApp;
    let signed: SignedIn;

    beforeAll(async () => {
      authn = await createAuthnApp({ controllers: [ProtectedController, PublicController], globalGuard: true }, platform);
      await authn.createUser('admin@example.com', PASSWORD, ['admin']);
      await authn.createUser('plain@example.com', PASSWORD);
      signed = await authn.login('plain@example.com', PASSWORD);
    });

    afterAll(() => authn?.close());

    it('an undecorated route requires the default authentication', async () => {
      expect((await request(authn.server).get('/p/plain')).status).toBe(401);
      const response = await request(authn.server).get('/p/plain').set('Authentication-Token', signed.token);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ email: 'plain@example.com', via: 'token' });
    });

    it('@Public() opts out, and the sign-in endpoints stay reachable', async () => {
      expect((await request(authn.server).get('/p/public')).status).toBe(200);
      expect((await request(authn.server).get('/pub/open')).status).toBe(200);
      expect((await request(authn.server).post('/auth/login').send({ email: 'admin@example.com', password: PASSWORD })).status).toBe(200);
      expect((await request(authn.server).post('/auth/logout')).status).toBe(200);
    });

    it('route decorators still apply under the global guard (and it runs once)', async () => {
      expect((await request(authn.server).get('/p/admin').set('Authentication-Token', signed.token)).status).toBe(403);
      expect((await request(authn.server).get('/p/token').set('Cookie', signed.cookie)).status).toBe(401);
      expect((await request(authn.server).get('/p/session').set('Cookie', signed.cookie)).status).toBe(200);
    });
  });

  describe('concurrent requests', () => {
    let authn: AuthnApp;

    beforeAll(async () => {
      authn = await createAuthnApp({ controllers: [ProtectedController] }, platform);
    });

    afterAll(() => authn?.close());

    it('each of many simultaneous requests gets its own user, by every method', async () => {
      const users = await Promise.all(Array.from({ length: 8 }, (_, i) => authn.createUser(`c${i}@example.com`, PASSWORD)));
      const signed = await Promise.all(users.map((user) => authn.login(user.email, PASSWORD)));
      const calls = signed.flatMap((credentials, i) => {
        const email = users[i].email;
        return [0, 1, 2].flatMap(() => [
          request(authn.server)
            .get('/p/any')
            .set('Authentication-Token', credentials.token)
            .then((r) => [email, r.body.email]),
          request(authn.server)
            .get('/p/any')
            .set('Cookie', credentials.cookie)
            .then((r) => [email, r.body.email]),
          request(authn.server)
            .get('/p/any')
            .set('Authorization', basic(email, PASSWORD))
            .then((r) => [email, r.body.email]),
        ]);
      });
      const answers = await Promise.all(calls);
      for (const [expected, got] of answers) expect(got).toBe(expected);
    });
  });
});
