/**
 * PostgreSQL taken away under load (a TCP proxy in front of it, cut for ~2 s):
 * every request that needs the database answers 503 STORE_UNAVAILABLE with
 * Retry-After, none 500, none succeeds without its checks (revoked
 * credentials are sent throughout and never get a 200), and the app recovers
 * by itself once the database is back.
 */
import request from 'supertest';
import type { Server } from 'node:http';
import { createAuthnApp, type AuthnApp, type SignedIn } from '../support/authn-app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { TEST_PLATFORMS } from '../support/platform.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { ProtectedController } from '../authn/protected.controller.js';

const PASSWORD = 'correct horse battery 1';

interface Probe {
  name: string;
  /** Whether a 2xx is right for it while the database answers. */
  valid: boolean;
  send(server: Server): request.Test;
}

function probes(valid: SignedIn, revoked: SignedIn): Probe[] {
  return [
    { name: 'valid token', valid: true, send: (s) => request(s).get('/p/token').set('Authentication-Token', valid.token) },
    { name: 'valid session', valid: true, send: (s) => request(s).get('/p/session').set('Cookie', valid.cookie) },
    { name: 'revoked token', valid: false, send: (s) => request(s).get('/p/token').set('Authentication-Token', revoked.token) },
    { name: 'revoked session', valid: false, send: (s) => request(s).get('/p/session').set('Cookie', revoked.cookie) },
    { name: 'login', valid: true, send: (s) => request(s).post('/auth/login').send({ email: 'valid@example.com', password: PASSWORD }) },
    {
      name: 'wrong password',
      valid: false,
      send: (s) => request(s).post('/auth/login').send({ email: 'guessed@example.com', password: 'not the password' }),
    },
  ];
}

interface Tally {
  byStatus: Record<number, number>;
  /** Answers that must not happen: 500s, and 2xx for a credential that is not valid. */
  wrong: string[];
  unavailable: number;
}

/** `workers` loops sending the probes round-robin until `until()` says stop. */
async function load(server: Server, list: Probe[], until: () => boolean, tally: Tally, workers = 4): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (!until()) {
      const probe = list[next++ % list.length];
      const response = await probe.send(server);
      tally.byStatus[response.status] = (tally.byStatus[response.status] ?? 0) + 1;
      if (response.status >= 500 && response.status !== 503) tally.wrong.push(`${probe.name}: ${response.status} ${response.text}`);
      if (response.status < 300 && !probe.valid) tally.wrong.push(`${probe.name}: ${response.status} without a valid credential`);
      if (response.status === 503) {
        if (response.body.code !== 'STORE_UNAVAILABLE' || response.headers['retry-after'] !== '5' || /at \w+ \(/.test(response.text)) {
          tally.wrong.push(`${probe.name}: 503 ${JSON.stringify(response.headers['retry-after'])} ${response.text}`);
        }
        tally.unavailable += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(TEST_PLATFORMS)('PostgreSQL outage on %s', (platform) => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let authn: AuthnApp;
  let list: Probe[];

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await startTcpProxy(5432);
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    authn = await createAuthnApp({ controllers: [ProtectedController], database: { ...database, url: viaProxy.toString() } }, platform);
    await authn.createUser('valid@example.com', PASSWORD);
    const revokedUser = await authn.createUser('revoked@example.com', PASSWORD);
    await authn.createUser('guessed@example.com', PASSWORD);
    const valid = await authn.login('valid@example.com', PASSWORD);
    const revoked = await authn.login('revoked@example.com', PASSWORD);
    // A password change's rotation: every session and token of the user is dead from now on.
    await authn.dataSource.query(
      `UPDATE "user" SET fs_uniquifier = md5(random()::text), fs_token_uniquifier = md5(random()::text) WHERE id = $1`,
      [revokedUser.id],
    );
    list = probes(valid, revoked);
  });

  afterAll(async () => {
    await proxy?.restore().catch(() => undefined);
    await authn?.close();
    await proxy?.close();
    await database?.drop();
  });

  it('answers 503 STORE_UNAVAILABLE while the database is away, never 500 or a success without checks, and recovers', async () => {
    const before: Tally = { byStatus: {}, wrong: [], unavailable: 0 };
    const startedAt = Date.now();
    await load(authn.server, list, () => Date.now() - startedAt > 500, before);
    expect(before.wrong).toEqual([]);
    expect(before.unavailable).toBe(0);
    expect(before.byStatus[200]).toBeGreaterThan(0);

    const during: Tally = { byStatus: {}, wrong: [], unavailable: 0 };
    let down = true;
    const loading = load(authn.server, list, () => !down, during);
    await sleep(100);
    await proxy.cut();
    await sleep(2000);
    await proxy.restore();
    down = false;
    await loading;
    expect(during.wrong).toEqual([]);
    expect(during.unavailable).toBeGreaterThan(0);

    // Recovery without a restart: the pool opens new connections once the database is back.
    const recoveredBy = Date.now() + 5000;
    let status = 0;
    while (Date.now() < recoveredBy && status !== 200) {
      status = (await list[0].send(authn.server)).status;
      if (status !== 200) await sleep(100);
    }
    expect(status).toBe(200);
    const after: Tally = { byStatus: {}, wrong: [], unavailable: 0 };
    const recoveredAt = Date.now();
    await load(authn.server, list, () => Date.now() - recoveredAt > 500, after);
    expect(after.wrong).toEqual([]);
    expect(after.unavailable).toBe(0);
    for (const probe of list.filter((p) => p.valid)) expect((await probe.send(authn.server)).status).toBe(200);
    for (const probe of list.filter((p) => !p.valid)) expect((await probe.send(authn.server)).status).toBeGreaterThanOrEqual(400);
  }, 30_000);
});

describe.each(TEST_PLATFORMS)('Redis holding the limits down on %s', (platform) => {
  let proxy: TcpProxy;
  let authn: AuthnApp;

  beforeAll(async () => {
    proxy = await startTcpProxy(6379);
    authn = await createAuthnApp(
      {
        options: { limits: { perIp: { max: 100_000 }, redisUrl: `redis://127.0.0.1:${proxy.port}/0` } },
        controllers: [ProtectedController],
      },
      platform,
    );
    await authn.createUser('limited@example.com', PASSWORD);
  });

  afterAll(async () => {
    await proxy?.restore().catch(() => undefined);
    await authn?.close();
    await proxy?.close();
  });

  const login = (password: string) => request(authn.server).post('/auth/login').send({ email: 'limited@example.com', password });

  it('fails closed: sign-ins, which must be counted, answer 503 while Redis is away, and work again after', async () => {
    expect((await login(PASSWORD)).status).toBe(200);
    await proxy.cut();
    for (const password of [PASSWORD, 'wrong password']) {
      const response = await login(password);
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('STORE_UNAVAILABLE');
      expect(response.headers['retry-after']).toBe('5');
    }
    await proxy.restore();
    let status = 0;
    for (const deadline = Date.now() + 5000; Date.now() < deadline && status !== 200; await sleep(100))
      status = (await login(PASSWORD)).status;
    expect(status).toBe(200);
  }, 20_000);
});
