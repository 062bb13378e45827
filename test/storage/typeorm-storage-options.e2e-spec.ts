/** typeormStorage() with a single store replaced, on real PostgreSQL. */
import request from 'supertest';
import { AttemptStore } from '../../src/storage/attempt-store.js';
import { RedisAttemptStore } from '../../src/storage/redis/redis-attempt.store.js';
import { SessionStore } from '../../src/storage/session-store.js';
import { TypeOrmSessionStore, typeormStorage } from '../../src/storage/typeorm/index.js';
import { MemoryAttemptStore } from '../../src/testing/index.js';
import { type AuthnApp, createAuthnApp } from '../support/authn-app.js';
import { ProtectedController } from '../authn/protected.controller.js';

/** An app's own store: the memory counters, counting how often they are asked. */
class CountingAttemptStore extends MemoryAttemptStore {
  hits = 0;
  override hit(key: string, windowSeconds: number, max: number, lockoutSeconds: number) {
    this.hits++;
    return super.hit(key, windowSeconds, max, lockoutSeconds);
  }
}

describe('storage: { ...typeormStorage(), attempts: myStore }', () => {
  const attempts = new CountingAttemptStore();
  let authn: AuthnApp;

  beforeAll(async () => {
    authn = await createAuthnApp({ controllers: [ProtectedController], options: { storage: { ...typeormStorage(), attempts } } });
  });

  afterAll(() => authn?.close());

  it('counts attempts in the store given and keeps the TypeORM stores for the rest', async () => {
    expect(authn.app.get(AttemptStore)).toBe(attempts);
    expect(authn.app.get(SessionStore)).toBeInstanceOf(TypeOrmSessionStore);
    await authn.createUser('counted@example.com', 'correct horse 1');
    const { cookie } = await authn.login('counted@example.com', 'correct horse 1');
    expect(attempts.hits).toBe(2);
    await request(authn.server).get('/p/session').set('Cookie', cookie).expect(200, { email: 'counted@example.com', via: 'session' });
    const rows = await authn.dataSource.query('SELECT count(*)::int AS n FROM security_attempt');
    expect(rows[0].n).toBe(0);
  });
});

describe('limits.redisUrl (alias of storage.attempts: redisAttemptStore(url))', () => {
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  let authn: AuthnApp | undefined;
  let redisUp = false;

  beforeAll(async () => {
    const { Redis } = await import('ioredis');
    const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redisUp = await probe.connect().then(
      () => true,
      () => false,
    );
    probe.disconnect();
    if (!redisUp) console.warn(`Redis does not answer at ${redisUrl}: the limits.redisUrl test is skipped`);
    else authn = await createAuthnApp({ controllers: [ProtectedController], options: { limits: { redisUrl, perIp: { max: 100_000 } } } });
  });

  afterAll(() => authn?.close());

  it('counts attempts in Redis, on a connection the app closes on shutdown', async () => {
    if (!redisUp) return;
    expect(authn!.app.get(AttemptStore)).toBeInstanceOf(RedisAttemptStore);
    await authn!.createUser('redis.counted@example.com', 'correct horse 1');
    await authn!.login('redis.counted@example.com', 'correct horse 1');
    const rows = await authn!.dataSource.query('SELECT count(*)::int AS n FROM security_attempt');
    expect(rows[0].n).toBe(0);
  });
});
