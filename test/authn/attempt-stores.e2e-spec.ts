import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { AttemptStore } from '../../src/authn/limits/attempt-store.js';
import { DatabaseAttemptStore } from '../../src/authn/limits/database-attempt.store.js';
import { RedisAttemptStore } from '../../src/authn/limits/redis-attempt.store.js';
import { createTestDataSource, type TestDataSource } from '../support/database.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The AttemptStore contract, run against each implementation. */
function attemptStoreContract(name: string, make: () => AttemptStore, expire: (key: string) => Promise<void>) {
  describe(`${name}: the AttemptStore contract`, () => {
    let store: AttemptStore;
    const key = () => `test:${randomBytes(6).toString('hex')}`;

    beforeAll(() => {
      store = make();
    });

    it('allows max attempts per window, refuses the next with the lockout as retryAfter', async () => {
      const k = key();
      for (let i = 0; i < 3; i++) expect(await store.hit(k, 60, 3, 120)).toEqual({ allowed: true, retryAfter: 0 });
      const refused = await store.hit(k, 60, 3, 120);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfter).toBeGreaterThan(119);
      expect(refused.retryAfter).toBeLessThanOrEqual(120);
      expect((await store.hit(k, 60, 3, 120)).allowed).toBe(false);
    });

    it('reset forgets count and lockout', async () => {
      const k = key();
      for (let i = 0; i < 4; i++) await store.hit(k, 60, 3, 120);
      await store.reset(k);
      expect((await store.hit(k, 60, 3, 120)).allowed).toBe(true);
    });

    it('unlocks by time, with a new window', async () => {
      const k = key();
      for (let i = 0; i < 4; i++) await store.hit(k, 60, 3, 120);
      await expire(k);
      for (let i = 0; i < 3; i++) expect((await store.hit(k, 60, 3, 120)).allowed).toBe(true);
      expect((await store.hit(k, 60, 3, 120)).allowed).toBe(false);
    });

    it('a window that ends starts the count again', async () => {
      const k = key();
      for (let i = 0; i < 3; i++) await store.hit(k, 0.3, 3, 120);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await store.hit(k, 0.3, 3, 120)).allowed).toBe(true);
    });

    it('of 40 concurrent attempts exactly max pass', async () => {
      const k = key();
      const results = await Promise.all(Array.from({ length: 40 }, () => store.hit(k, 60, 7, 120)));
      expect(results.filter((result) => result.allowed)).toHaveLength(7);
    });
  });
}

/** Redis is tested when it answers (CI starts it when it is installed). */
async function redisAnswers(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    console.warn(`Redis does not answer at ${REDIS_URL}: the RedisAttemptStore contract is skipped`);
    return false;
  } finally {
    probe.disconnect();
  }
}
const redisUp = await redisAnswers();

describe('DatabaseAttemptStore (real PostgreSQL)', () => {
  let database: TestDataSource;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDataSource();
    dataSource = database.dataSource;
  });

  afterAll(() => database?.drop());

  attemptStoreContract(
    'DatabaseAttemptStore',
    () => new DatabaseAttemptStore(dataSource),
    async (key) => {
      await dataSource.query(`UPDATE security_attempt SET locked_until = now() - interval '1 second' WHERE key = $1`, [key]);
    },
  );
});

(redisUp ? describe : describe.skip)('RedisAttemptStore (real Redis)', () => {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  const prefix = `nest_security_test:${randomBytes(4).toString('hex')}:`;

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  attemptStoreContract(
    'RedisAttemptStore',
    () => new RedisAttemptStore(redis, prefix),
    async (key) => {
      await redis.del(`${prefix}{${key}}:lock`);
    },
  );
});
