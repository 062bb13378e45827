import { jest } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import { type AuthnApp, createAuthnApp } from '../support/authn-app.js';
import { ProtectedController } from './protected.controller.js';
import { TEST_PLATFORMS } from '../support/platform.js';

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const PASSWORD = 'correct horse battery';

  /** Statements sent to PostgreSQL while `work` runs, counted at the driver. */
  async function statementsDuring(work: () => Promise<unknown>): Promise<number> {
    const spy = jest.spyOn(pg.Client.prototype, 'query');
    try {
      await work();
      return spy.mock.calls.length;
    } finally {
      spy.mockRestore();
    }
  }

  describe.each([false, true])('queries per token-authenticated request (user cache %s)', (userCache) => {
    let authn: AuthnApp;
    let token: string;

    beforeAll(async () => {
      authn = await createAuthnApp({ controllers: [ProtectedController], options: { userCache: { enabled: userCache } } }, platform);
      await authn.createUser('reporter@example.com', PASSWORD, ['admin', 'reporter']);
      token = (await authn.login('reporter@example.com', PASSWORD)).token;
      // Warm: the cache (when on) holds the user after a first request.
      await request(authn.server).get('/p/token').set('Authentication-Token', token).expect(200);
    });

    afterAll(() => authn?.close());

    it.each(['/p/token', '/p/admin', '/p/reports', '/p/reports-any'])(
      `%s costs ${userCache ? 'no query' : 'one query, the user lookup'}: roles and permissions come with the user`,
      async (path) => {
        const statements = await statementsDuring(() => request(authn.server).get(path).set('Authentication-Token', token).expect(200));
        expect(statements).toBe(userCache ? 0 : 1);
      },
    );

    it('finds a user whose tokens are bound to fs_uniquifier (no token uniquifier, as migrated rows) in the same one query', async () => {
      const user = await authn.createUser('migrated@example.com', PASSWORD, [], { fsTokenUniquifier: null });
      const legacy = authn.tokens.auth(user);
      const statements = await statementsDuring(() =>
        request(authn.server)
          .get('/p/token')
          .set('Authentication-Token', legacy)
          .expect(200, { email: 'migrated@example.com', via: 'token' }),
      );
      // The cache, when on, was cold for this user: exactly one query either way.
      expect(statements).toBe(1);
    });
  });

  describe('queries per session-authenticated request', () => {
    let authn: AuthnApp;
    let cookie: string;

    beforeAll(async () => {
      authn = await createAuthnApp({ controllers: [ProtectedController] }, platform);
      await authn.createUser('session.reader@example.com', PASSWORD, ['admin', 'reporter']);
      ({ cookie } = await authn.login('session.reader@example.com', PASSWORD));
    });

    afterAll(() => authn?.close());

    it.each(['/p/session', '/p/admin', '/p/reports'])('%s costs one query: the session joined with its user and roles', async (path) => {
      const statements = await statementsDuring(() => request(authn.server).get(path).set('Cookie', cookie).expect(200));
      expect(statements).toBe(1);
    });
  });
});
