import { MemoryAttemptStore } from './memory/memory-attempt.store.js';
import { memoryStorage } from './memory/memory-storage.js';
import { resolveStorage } from './resolve-storage.js';
import { isShipped, StoreFactory } from './security-storage.js';
import { typeormStorage } from './typeorm/typeorm-storage.js';
import { TypeOrmUserDatastore } from './typeorm/typeorm-user-datastore.js';

describe('resolveStorage', () => {
  it('defaults to typeormStorage(), store by store', () => {
    const problems: string[] = [];
    const storage = resolveStorage({}, problems);
    expect(problems).toEqual([]);
    for (const key of ['users', 'sessions', 'usedTokens', 'codes', 'attempts', 'userChanges', 'webauthn'] as const) {
      expect(storage[key]).toBeInstanceOf(StoreFactory);
      expect(isShipped(storage[key])).toBe(true);
    }
  });

  it('keeps a replaced store and fills the ones left out', () => {
    const attempts = new MemoryAttemptStore();
    const problems: string[] = [];
    const storage = resolveStorage({ storage: { attempts } }, problems);
    expect(problems).toEqual([]);
    expect(storage.attempts).toBe(attempts);
    expect(isShipped(storage.sessions)).toBe(true);
  });

  it('applies the old aliases: dataSourceName, datastore, limits.redisUrl', () => {
    const problems: string[] = [];
    const storage = resolveStorage(
      { dataSourceName: 'auth', datastore: TypeOrmUserDatastore, limits: { redisUrl: 'redis://127.0.0.1:6379' } },
      problems,
    );
    expect(problems).toEqual([]);
    expect(storage.dataSourceName).toBe('auth');
    expect(storage.users).toBe(TypeOrmUserDatastore);
    expect(storage.attempts).toBeInstanceOf(StoreFactory);
    expect(storage.attempts).not.toBe(typeormStorage().attempts);
  });

  it('reports an alias that contradicts a store of your own, and unknown or malformed entries', () => {
    const problems: string[] = [];
    resolveStorage(
      {
        storage: { ...memoryStorage(), attempts: new MemoryAttemptStore(), sesions: {}, codes: 42 } as never,
        limits: { redisUrl: 'redis://127.0.0.1:6379' },
      },
      problems,
    );
    expect(problems).toEqual([
      'storage.sesions is not a store (users, sessions, usedTokens, codes, attempts, userChanges, webauthn)',
      'storage.codes must be a store instance or class',
      'limits.redisUrl and storage.attempts are both set: keep one',
    ]);
  });
});
