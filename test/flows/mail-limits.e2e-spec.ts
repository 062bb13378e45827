import request from 'supertest';
import type { DataSource } from 'typeorm';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { SECURITY_DATA_SOURCE } from '../../src/security.constants.js';
import type { SecurityUser } from '../../src/storage/typeorm/entities/security-user.entity.js';
import { createFlowsApp, type FlowsApp } from '../support/flows-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';

/**
 * Every request that mails something is limited per account and per client
 * address, as logins are: past the limit 429 TOO_MANY_ATTEMPTS with
 * Retry-After, and an unknown address is answered exactly as a known one.
 */
describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  const PASSWORD = 'a long enough passphrase';
  const PER_ACCOUNT = 3;
  const PER_IP = 10;

  interface Outcome {
    status: number;
    body: string;
    retryAfter: boolean;
  }

  describe('limits on requests that send mail (real PostgreSQL, real SMTP)', () => {
    let flows: FlowsApp;
    let seq = 0;

    beforeAll(async () => {
      flows = await createFlowsApp(
        {
          passwordless: true,
          unifiedSignin: true,
          limits: { perAccount: { max: PER_ACCOUNT }, perIp: { max: PER_IP }, lockout: '15 minutes' },
        },
        platform,
      );
    });
    afterAll(() => flows?.close());
    // Each case starts from no counts (the per-address counters are per route, and locked ones stay locked).
    beforeEach(() => flows.app.get<DataSource>(SECURITY_DATA_SOURCE).query('DELETE FROM security_attempt'));

    const makeUser = async (confirmed = true): Promise<SecurityUser> => {
      const n = ++seq;
      const password = await flows.app.get(PasswordHasher).hash(PASSWORD);
      return flows.datastore.createUser({
        email: `limited${n}@example.com`,
        username: `limited${n}`,
        password,
        confirmedAt: confirmed ? new Date() : null,
      });
    };

    const routes: Array<{ route: string; body: (email: string) => Record<string, unknown>; confirmed?: boolean }> = [
      { route: '/auth/reset', body: (email) => ({ email }) },
      { route: '/auth/confirm', body: (email) => ({ email }), confirmed: false },
      { route: '/auth/recover-username', body: (email) => ({ email }) },
      { route: '/auth/login-link', body: (email) => ({ email }) },
      { route: '/auth/us-signin/send-code', body: (email) => ({ identity: email, chosen_method: 'email' }) },
    ];

    const send = async (route: string, body: Record<string, unknown>, email: string): Promise<Outcome> => {
      const answer = await request(flows.server).post(route).send(body);
      return {
        status: answer.status,
        body: JSON.stringify(answer.body).split(email).join('<email>'),
        retryAfter: answer.headers['retry-after'] !== undefined,
      };
    };

    it.each(routes)(
      'POST $route: 429 per account, the same for an unknown address, then per address',
      async ({ route, body, confirmed }) => {
        const user = await makeUser(confirmed ?? true);
        const known: Outcome[] = [];
        const unknown: Outcome[] = [];
        const ghost = `ghost${seq}@example.com`;
        for (let i = 0; i <= PER_ACCOUNT; i++) known.push(await send(route, body(user.email), user.email));
        for (let i = 0; i <= PER_ACCOUNT; i++) unknown.push(await send(route, body(ghost), ghost));

        expect(known.map((outcome) => outcome.status)).toEqual([...Array(PER_ACCOUNT).fill(200), 429]);
        expect(unknown).toEqual(known);
        expect(JSON.parse(known[PER_ACCOUNT]!.body)).toMatchObject({ statusCode: 429, code: 'TOO_MANY_ATTEMPTS' });
        expect(known[PER_ACCOUNT]!.retryAfter).toBe(true);
        expect(known[0]!.retryAfter).toBe(false);

        // The address has made 2 × (PER_ACCOUNT + 1) requests to this route: a few more accounts, and it is locked too.
        const statuses: number[] = [];
        for (let i = 0; i < PER_IP - 2 * (PER_ACCOUNT + 1) + 1; i++) {
          const other = `other${seq}-${i}@example.com`;
          statuses.push((await send(route, body(other), other)).status);
        }
        expect(statuses).toEqual([...Array(PER_IP - 2 * (PER_ACCOUNT + 1)).fill(200), 429]);
      },
    );

    it('counts an account once whatever spelling names it (unified sign-in: email and username)', async () => {
      const user = await makeUser();
      const statuses: number[] = [];
      for (const identity of [user.email, user.username!, user.email.toUpperCase(), user.username!]) {
        const answer = await request(flows.server).post('/auth/us-signin/send-code').send({ identity, chosen_method: 'email' });
        statuses.push(answer.status);
      }
      expect(statuses).toEqual([...Array(PER_ACCOUNT).fill(200), 429]);
    });
  });
});
