import { Logger, type Provider } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { SECURITY_DATA_SOURCE, SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { AttemptStore } from './attempt-store.js';
import { DatabaseAttemptStore } from './database-attempt.store.js';
import { RedisAttemptStore } from './redis-attempt.store.js';

/** A RedisAttemptStore that closes its own connection when the app shuts down. */
class OwnedRedisAttemptStore extends RedisAttemptStore {
  constructor(private readonly connection: Redis) {
    super(connection);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}

/** Redis when `limits.redisUrl` is set, else the `security_attempt` table. */
export const attemptStoreProvider: Provider = {
  provide: AttemptStore,
  useFactory: async (options: ResolvedSecurityOptions, dataSource: DataSource): Promise<AttemptStore> => {
    if (!options.limits.redisUrl) return new DatabaseAttemptStore(dataSource);
    // ioredis is an optional peer, loaded only when Redis is configured.
    const { Redis } = await import('ioredis');
    const redis = new Redis(options.limits.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
    redis.on('error', (error: Error) => new Logger('AttemptStore').error(`Redis: ${error.message}`));
    return new OwnedRedisAttemptStore(redis);
  },
  inject: [SECURITY_OPTIONS, SECURITY_DATA_SOURCE],
};
