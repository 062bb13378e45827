import request from 'supertest';
import { type AuthnApp, basic, createAuthnApp } from '../support/authn-app.js';
import { ProtectedController } from './protected.controller.js';
import { TEST_PLATFORMS } from '../support/platform.js';

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const PASSWORD = 'correct horse battery';

  interface Outcome {
    status: number;
    body: unknown;
    retryAfter: boolean;
  }

  describe('brute-force limits on password entry (real PostgreSQL)', () => {
    let authn: AuthnApp;
    let second: AuthnApp;

    beforeAll(async () => {
      authn = await createAuthnApp(
        { controllers: [ProtectedController], options: { limits: { perAccount: { max: 10 }, perIp: { max: 100_000 } } } },
        platform,
      );
      // A second instance on the same database: the counters are shared.
      second = await createAuthnApp(
        {
          controllers: [ProtectedController],
          database: authn.database,
          options: { limits: { perAccount: { max: 10 }, perIp: { max: 100_000 } } },
        },
        platform,
      );
      await authn.createUser('victim@example.com', PASSWORD);
    });

    afterAll(async () => {
      await second?.close();
      await authn?.close();
    });

    async function attempts(email: string, count: number): Promise<Outcome[]> {
      const outcomes: Outcome[] = [];
      for (let i = 0; i < count; i++) {
        const app = i % 2 === 0 ? authn : second;
        const response = await request(app.server)
          .post('/auth/login')
          .send({ email, password: `wrong password ${i}` });
        outcomes.push({ status: response.status, body: response.body, retryAfter: response.headers['retry-after'] !== undefined });
      }
      return outcomes;
    }

    it('30 wrong passwords: 429 for the account, exactly as for an account that does not exist', async () => {
      const existing = await attempts('victim@example.com', 30);
      const missing = await attempts('nobody-at-all@example.com', 30);
      expect(existing.map((o) => o.status)).toEqual([...Array(10).fill(400), ...Array(20).fill(429)]);
      expect(missing).toEqual(existing);
      expect(existing[10].body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: expect.any(String),
        code: 'TOO_MANY_ATTEMPTS',
      });
      expect(existing[10].retryAfter).toBe(true);
      expect(existing[9].retryAfter).toBe(false);
    });

    it('while locked, even the right password gets 429 (with Retry-After), on every instance', async () => {
      for (const app of [authn, second]) {
        const response = await request(app.server).post('/auth/login').send({ email: 'Victim@Example.com', password: PASSWORD });
        expect(response.status).toBe(429);
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
      }
      // Basic and /verify count against the same account.
      const byBasic = await request(authn.server).get('/p/basic').set('Authorization', basic('victim@example.com', PASSWORD));
      expect(byBasic.status).toBe(429);
      expect(byBasic.headers['retry-after']).toBeDefined();
    });

    it('unlocks by time; a success then resets the account counter', async () => {
      await authn.dataSource.query(`UPDATE security_attempt SET locked_until = now() - interval '1 second' WHERE locked_until IS NOT NULL`);
      const response = await request(authn.server).post('/auth/login').send({ email: 'victim@example.com', password: PASSWORD });
      expect(response.status).toBe(200);
      const after = await attempts('victim@example.com', 10);
      expect(after.every((o) => o.status === 400)).toBe(true);
      expect((await attempts('victim@example.com', 1))[0].status).toBe(429);
    });

    it('/verify is limited like login', async () => {
      const user = await authn.createUser('verifier@example.com', PASSWORD);
      const token = authn.tokens.auth(user);
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const response = await request(authn.server)
          .post('/auth/verify')
          .set('Authentication-Token', token)
          .send({ password: `nope nope ${i}` });
        statuses.push(response.status);
      }
      expect(statuses).toEqual([...Array(10).fill(400), 429, 429]);
    });

    it('concurrent attempts never get past the limit together', async () => {
      const responses = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          request(authn.server)
            .post('/auth/login')
            .send({ email: 'concurrent@example.com', password: `wrong ${i}` }),
        ),
      );
      expect(responses.filter((response) => response.status === 400)).toHaveLength(10);
      expect(responses.filter((response) => response.status === 429)).toHaveLength(15);
    });

    it('keeps no email in the counter table', async () => {
      const rows: Array<{ key: string }> = await authn.dataSource.query('SELECT key FROM security_attempt');
      expect(rows.length).toBeGreaterThan(0);
      for (const { key } of rows) expect(key).not.toContain('@');
    });
  });

  describe('one counter per account, whatever spelling names it', () => {
    let authn: AuthnApp;

    beforeAll(async () => {
      authn = await createAuthnApp(
        { options: { usernameEnable: true, limits: { perAccount: { max: 10 }, perIp: { max: 100_000 } } } },
        platform,
      );
    });

    afterAll(() => authn?.close());

    it('email and username share the account counter: 10 guesses in all, not 10 each', async () => {
      await authn.createUser('both@example.com', PASSWORD, [], { username: 'bothways' });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const body = i % 2 === 0 ? { email: i % 4 === 0 ? 'both@example.com' : 'BOTH@example.com' } : { username: 'bothways' };
        statuses.push(
          (
            await request(authn.server)
              .post('/auth/login')
              .send({ ...body, password: `wrong guess ${i}` })
          ).status,
        );
      }
      expect(statuses).toEqual([...Array(10).fill(400), 429, 429]);
      // Locked under every spelling, and for Basic with either identity.
      expect((await request(authn.server).post('/auth/login').send({ username: 'bothways', password: PASSWORD })).status).toBe(429);
      expect((await request(authn.server).post('/auth/login').send({ email: 'both@example.com', password: PASSWORD })).status).toBe(429);
    });

    it('an unknown identity is counted as typed (normalised), locked the same way', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        const email = i % 2 === 0 ? 'Ghost@Example.com' : ' ghost@example.com ';
        statuses.push(
          (
            await request(authn.server)
              .post('/auth/login')
              .send({ email, password: `wrong guess ${i}` })
          ).status,
        );
      }
      expect(statuses).toEqual([...Array(10).fill(400), 429]);
    });
  });

  describe('the per-address limit', () => {
    let authn: AuthnApp;

    beforeAll(async () => {
      authn = await createAuthnApp(
        { options: { limits: { perAccount: { max: 100 }, perIp: { max: 5, window: '1 minute' }, lockout: '1 minute' } } },
        platform,
      );
    });

    afterAll(() => authn?.close());

    it('locks an address that tries many accounts', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        statuses.push(
          (
            await request(authn.server)
              .post('/auth/login')
              .send({ email: `user${i}@example.com`, password: 'whatever1' })
          ).status,
        );
      }
      expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429]);
    });
  });
});
