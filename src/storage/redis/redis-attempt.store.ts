import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { type AttemptResult, AttemptStore } from '../attempt-store.js';
import { StoreFactory } from '../security-storage.js';

// KEYS[1] counter, KEYS[2] lock; ARGV window ms, max, lockout ms.
// Returns { allowed (1|0), retry after ms }.
const HIT_SCRIPT = `
local lockTtl = redis.call('PTTL', KEYS[2])
if lockTtl > 0 then return {0, lockTtl} end
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if n > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return {0, tonumber(ARGV[3])}
end
return {1, 0}`;

/**
 * Counters in Redis (`redisAttemptStore(url)`, or `limits.redisUrl`): one Lua script
 * per hit, atomic on the server. The counter expires with its window and
 * the lock with the lockout. Both keys of one counter share a hash tag, so
 * this works on a Redis Cluster too.
 */
export class RedisAttemptStore extends AttemptStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'nest_security:attempt:',
  ) {
    super();
  }

  async hit(key: string, windowSeconds: number, max: number, lockoutSeconds: number): Promise<AttemptResult> {
    const [counter, lock] = this.keys(key);
    const windowMs = Math.max(1, Math.ceil(windowSeconds * 1000));
    const lockoutMs = Math.max(1, Math.ceil(lockoutSeconds * 1000));
    const [allowed, retryMs] = (await this.redis.eval(HIT_SCRIPT, 2, counter, lock, windowMs, max, lockoutMs)) as [number, number];
    return allowed === 1 ? { allowed: true, retryAfter: 0 } : { allowed: false, retryAfter: retryMs / 1000 };
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(...this.keys(key));
  }

  private keys(key: string): [string, string] {
    const base = `${this.prefix}{${key}}`;
    return [`${base}:n`, `${base}:lock`];
  }
}

/** A RedisAttemptStore on a connection of its own, which it closes when the app shuts down. */
class OwnedRedisAttemptStore extends RedisAttemptStore implements OnApplicationShutdown {
  constructor(
    private readonly connection: Redis,
    prefix?: string,
  ) {
    super(connection, prefix);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}

/**
 * The attempts store on Redis: `storage: { ...typeormStorage(), attempts: redisAttemptStore('redis://...') }`.
 * ioredis is loaded only here, when the module starts with it (an optional peer).
 */
export function redisAttemptStore(url: string, { prefix }: { prefix?: string } = {}): StoreFactory<AttemptStore> {
  return new StoreFactory(async () => {
    const { Redis } = await import('ioredis');
    const redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
    redis.on('error', (error: Error) => new Logger('AttemptStore').error(`Redis: ${error.message}`));
    return new OwnedRedisAttemptStore(redis, prefix);
  });
}
