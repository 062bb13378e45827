/** The AttemptStore contract against RedisAttemptStore on real Redis (skipped, saying so, when Redis does not answer). */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisAttemptStore } from '../../src/storage/redis/redis-attempt.store.js';
import { describeAttemptStoreContract } from '../../src/testing/index.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

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

(redisUp ? describe : describe.skip)('RedisAttemptStore (real Redis)', () => {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  const prefix = `nest_security_test:${randomBytes(4).toString('hex')}:`;

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  describeAttemptStoreContract('RedisAttemptStore', () => new RedisAttemptStore(redis, prefix));
});
