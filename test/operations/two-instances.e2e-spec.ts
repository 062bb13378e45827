/**
 * Two real app processes (test/apps/instance, the built package) on one
 * PostgreSQL database and one Redis, as behind a load balancer: what one
 * instance revokes the other refuses on the next request, with and without
 * the user cache; the brute-force limit counts across both; a one-time link
 * raced on both signs in once.
 */
import { randomInt } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { runCli } from '../../src/cli/cli.js';
import type { CliIo } from '../../src/cli/cli-io.js';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { cookiesOf } from '../support/authn-app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startInstance, type Instance } from '../support/instances.js';
import { extractToken, startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const PASSWORD = 'instance password 1';
const hasher = new PasswordHasher({ passwordSalt: 'instance-password-salt', argon2: { memoryCost: 1024, timeCost: 1 } });

describe.each([
  ['without the user cache', '0'],
  ['with the user cache', '1'],
])('two instances %s', (_label, userCache) => {
  let database: TestDatabase;
  let sink: SmtpSink;
  let a: Instance;
  let b: Instance;
  let db: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    sink = await startSmtpSink();
    const env = { DATABASE_URL: database.url, REDIS_URL: 'redis://127.0.0.1:6379/0', SMTP_URL: sink.url, USER_CACHE: userCache };
    // One after the other: the first applies the migrations.
    a = await startInstance(env);
    b = await startInstance(env);
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
  }, 60_000);

  afterAll(async () => {
    await db?.end();
    await Promise.all([a?.stop(), b?.stop()]);
    await sink?.close();
    await database?.drop();
  });

  /** A confirmed user with an id no earlier run used (the limit counters in the shared Redis are per user id). */
  async function createUser(email: string): Promise<void> {
    const id = randomInt(1_000_000, 2_000_000_000);
    await db.query(
      `INSERT INTO "user" (id, email, password, fs_uniquifier, confirmed_at) VALUES ($1, $2, $3, md5(random()::text), now())`,
      [id, email, await hasher.hash(PASSWORD)],
    );
  }

  async function login(on: Instance, email: string) {
    const answer = await request(on.url).post('/auth/login?include_auth_token').send({ email, password: PASSWORD });
    expect(answer.status).toBe(200);
    return {
      token: answer.body.authentication_token as string,
      cookie: cookiesOf(answer.headers['set-cookie']),
      csrf: answer.body.csrf_token as string,
    };
  }

  const me = (on: Instance, header: Record<string, string>) => request(on.url).get('/me').set(header);

  it('a password changed through one is refused by the other on the next request', async () => {
    await createUser('changer@example.com');
    const { token, cookie } = await login(a, 'changer@example.com');
    expect((await me(b, { 'Authentication-Token': token })).status).toBe(200);
    expect((await me(b, { Cookie: cookie })).status).toBe(200);
    const changed = await request(a.url)
      .post('/auth/change')
      .set('Authentication-Token', token)
      .send({ password: PASSWORD, new_password: 'a new instance password 2', new_password_confirm: 'a new instance password 2' });
    expect(changed.status).toBe(200);
    expect((await me(b, { Cookie: cookie })).status).toBe(401);
    expect((await me(b, { 'Authentication-Token': token })).status).toBe(401);
  });

  it('a password changed through the CLI is refused by both on the next request', async () => {
    await createUser('operator@example.com');
    const fromA = await login(a, 'operator@example.com');
    const fromB = await login(b, 'operator@example.com');
    expect((await me(b, { 'Authentication-Token': fromA.token })).status).toBe(200);
    const err: string[] = [];
    const io: CliIo = {
      env: { DATABASE_URL: database.url, PASSWORD_SALT: 'instance-password-salt' },
      out: () => undefined,
      err: (line) => void err.push(line),
      readPassword: async () => 'a password set by the operator 3',
    };
    expect(await runCli(['users', 'change-password', 'operator@example.com'], io)).toBe(0);
    expect(err).toEqual([]);
    for (const on of [a, b]) {
      expect((await me(on, { 'Authentication-Token': fromA.token })).status).toBe(401);
      expect((await me(on, { Cookie: fromB.cookie })).status).toBe(401);
    }
  });

  it('a session ended through one is refused by the other', async () => {
    await createUser('leaver@example.com');
    const { cookie, csrf } = await login(a, 'leaver@example.com');
    expect((await me(b, { Cookie: cookie })).status).toBe(200);
    expect((await request(a.url).post('/auth/logout').set('Cookie', cookie).set('X-XSRF-Token', csrf)).status).toBe(200);
    expect((await me(b, { Cookie: cookie })).status).toBe(401);
  });

  it('a token revoked through one is refused by the other', async () => {
    await createUser('revoker@example.com');
    const { token } = await login(a, 'revoker@example.com');
    expect((await me(b, { 'Authentication-Token': token })).status).toBe(200);
    expect((await request(a.url).post('/auth/tokens/revoke').set('Authentication-Token', token)).status).toBe(200);
    expect((await me(b, { 'Authentication-Token': token })).status).toBe(401);
    expect((await me(a, { 'Authentication-Token': token })).status).toBe(401);
  });

  it('brute-force attempts alternating between both still lock at the 11th (perAccount.max 10)', async () => {
    await createUser('target@example.com');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      const on = attempt % 2 === 0 ? a : b;
      statuses.push((await request(on.url).post('/auth/login').send({ email: 'target@example.com', password: 'guess' })).status);
    }
    expect(statuses.slice(0, 10).every((status) => status === 400 || status === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    // Locked on both: even the right password is refused now.
    for (const on of [a, b]) {
      expect((await request(on.url).post('/auth/login').send({ email: 'target@example.com', password: PASSWORD })).status).toBe(429);
    }
  });

  it('a sign-in link raced on both instances signs in once', async () => {
    await createUser('linked@example.com');
    expect((await request(a.url).post('/auth/login-link').send({ email: 'linked@example.com' })).status).toBe(200);
    const mail = await sink.waitFor((m) => m.to.includes('linked@example.com'));
    const token = extractToken(mail, '/auth/login/');
    const follow = (on: Instance) => request(on.url).get(`/auth/login/${token}`).set('Accept', 'application/json');
    const answers = await Promise.all([follow(a), follow(b), follow(a), follow(b)]);
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status !== 200).every((status) => status >= 400 && status < 500)).toBe(true);
  });
});
