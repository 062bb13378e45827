import type { Type } from '@nestjs/common';
import { redisAttemptStore } from './redis/redis-attempt.store.js';
import { isShipped, type SecurityStorage, STORAGE_KEYS } from './security-storage.js';
import type { SecurityUser } from './typeorm/entities/security-user.entity.js';
import { typeormStorage } from './typeorm/typeorm-storage.js';
import type { UserDatastore } from './user-datastore.js';

/** The options that choose storage, old aliases included. */
export interface StorageOptions {
  storage?: Partial<SecurityStorage>;
  datastore?: Type<UserDatastore>;
  dataSourceName?: string;
  userEntity?: Type<SecurityUser>;
  limits?: { redisUrl?: string };
}

/**
 * Every store named: `storage` (default `typeormStorage()`), stores it
 * leaves out taken from `typeormStorage()`, and the aliases applied:
 * `datastore` replaces `users`, `limits.redisUrl` replaces `attempts`
 * (each only where `storage` does not name a store of its own),
 * `dataSourceName` / `userEntity` configure `typeormStorage()`.
 */
export function resolveStorage(options: StorageOptions, problems: string[]): SecurityStorage {
  const given = options.storage ?? {};
  if (typeof given !== 'object' || given === null) {
    problems.push('storage must be an object, such as typeormStorage() or memoryStorage()');
    return typeormStorage();
  }
  for (const key of Object.keys(given)) {
    if (![...STORAGE_KEYS, 'dataSourceName', 'userEntity'].includes(key)) {
      problems.push(`storage.${key} is not a store (${STORAGE_KEYS.join(', ')})`);
    }
  }
  const dataSourceName = options.dataSourceName ?? given.dataSourceName;
  const userEntity = options.userEntity ?? given.userEntity;
  const defaults = typeormStorage({ dataSourceName, userEntity });
  const storage: SecurityStorage = { ...defaults, dataSourceName, userEntity };
  for (const key of STORAGE_KEYS) {
    const source = given[key];
    if (source === undefined) continue;
    if ((typeof source !== 'object' && typeof source !== 'function') || source === null) {
      problems.push(`storage.${key} must be a store instance or class`);
      continue;
    }
    (storage as unknown as Record<string, unknown>)[key] = source;
  }
  if (options.datastore) {
    if (given.users !== undefined && !isShipped(given.users)) problems.push('datastore and storage.users are both set: keep storage.users');
    else storage.users = options.datastore;
  }
  const redisUrl = options.limits?.redisUrl;
  if (redisUrl) {
    if (given.attempts !== undefined && !isShipped(given.attempts))
      problems.push('limits.redisUrl and storage.attempts are both set: keep one');
    else storage.attempts = redisAttemptStore(redisUrl);
  }
  return storage;
}
