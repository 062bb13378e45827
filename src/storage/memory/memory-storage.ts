import type { Type } from '@nestjs/common';
import { markShipped, type SecurityStorage, type StorageContext, StoreFactory } from '../security-storage.js';
import type { SecurityUser } from '../typeorm/entities/security-user.entity.js';
import { UserChangeFeed } from '../user-change-feed.js';
import { UserDatastore } from '../user-datastore.js';
import { MemoryAttemptStore } from './memory-attempt.store.js';
import { MemoryCodeStore } from './memory-code.store.js';
import { MemoryRefreshTokenStore } from './memory-refresh-token.store.js';
import { MemorySessionStore } from './memory-session.store.js';
import { MemoryUsedTokenStore } from './memory-used-token.store.js';
import { MemoryUserChangeFeed } from './memory-user-change-feed.js';
import { MemoryUserDatastore } from './memory-user-datastore.js';
import { MemoryWebAuthnCredentialStore } from './memory-webauthn-credential.store.js';
import { refuseInProduction } from './refuse-production.js';

/**
 * Every store in this process, no database at all: for tests and
 * prototypes. Each app gets empty stores of its own; nothing survives a
 * restart. Refuses to start with NODE_ENV=production.
 */
export function memoryStorage({ userEntity }: { userEntity?: Type<SecurityUser> } = {}): SecurityStorage {
  const memory = <T>(create: (context: StorageContext) => T | Promise<T>) =>
    markShipped(
      new StoreFactory<T>((context) => {
        refuseInProduction('memoryStorage()');
        return create(context);
      }),
    );
  return {
    userEntity,
    users: memory((context) => new MemoryUserDatastore({ userEntity: userEntity ?? context.userEntity })),
    sessions: memory(async (context) => new MemorySessionStore(await context.get(UserDatastore))),
    usedTokens: memory(() => new MemoryUsedTokenStore()),
    codes: memory(() => new MemoryCodeStore()),
    attempts: memory(() => new MemoryAttemptStore()),
    refreshTokens: memory(() => new MemoryRefreshTokenStore()),
    webauthn: memory(() => new MemoryWebAuthnCredentialStore()),
    // The feed the memory datastore publishes to; a datastore of your own needs a feed of your own.
    userChanges: memory<UserChangeFeed>(async (context) => {
      const users = await context.get(UserDatastore);
      return users instanceof MemoryUserDatastore ? users.changes : new SilentUserChangeFeed();
    }),
  };
}

/** Hears nothing: refuses to subscribe, so the user cache stays off rather than serve stale users. */
class SilentUserChangeFeed extends MemoryUserChangeFeed {
  override async subscribe(): Promise<() => Promise<void>> {
    throw new Error(
      'memoryStorage() hears user changes only from its MemoryUserDatastore; give storage.userChanges a feed for your datastore',
    );
  }
}
