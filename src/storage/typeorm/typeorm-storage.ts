import type { Type } from '@nestjs/common';
import { markShipped, type SecurityStorage, StoreFactory } from '../security-storage.js';
import { UserDatastore } from '../user-datastore.js';
import type { SecurityUser } from './entities/security-user.entity.js';
import { TypeOrmAttemptStore } from './typeorm-attempt.store.js';
import { TypeOrmCodeStore } from './typeorm-code.store.js';
import { TypeOrmRefreshTokenStore } from './typeorm-refresh-token.store.js';
import { TypeOrmSessionStore } from './typeorm-session.store.js';
import { TypeOrmUsedTokenStore } from './typeorm-used-token.store.js';
import { TypeOrmUserChangeFeed } from './typeorm-user-change-feed.js';
import { TypeOrmUserDatastore } from './typeorm-user-datastore.js';
import { TypeOrmWebAuthnCredentialStore } from './typeorm-webauthn-credential.store.js';

export interface TypeOrmStorageOptions {
  /** The @nestjs/typeorm connection to use. Default: the default one. */
  dataSourceName?: string;
  /** Your SecurityUser subclass. Default: the shipped User. */
  userEntity?: Type<SecurityUser>;
}

/**
 * Every store on TypeORM and PostgreSQL, in the shipped tables (the shipped
 * migrations create them). The default `storage`. Single stores can be
 * replaced: `{ ...typeormStorage(), attempts: myStore }`.
 */
export function typeormStorage({ dataSourceName, userEntity }: TypeOrmStorageOptions = {}): SecurityStorage {
  return {
    dataSourceName,
    userEntity,
    users: markShipped(new StoreFactory((context) => new TypeOrmUserDatastore(context.dataSource(), userEntity ?? context.userEntity))),
    sessions: markShipped(
      new StoreFactory(async (context) => new TypeOrmSessionStore(context.dataSource(), await context.get(UserDatastore))),
    ),
    usedTokens: markShipped(new StoreFactory((context) => new TypeOrmUsedTokenStore(context.dataSource()))),
    codes: markShipped(new StoreFactory((context) => new TypeOrmCodeStore(context.dataSource()))),
    attempts: markShipped(new StoreFactory((context) => new TypeOrmAttemptStore(context.dataSource()))),
    userChanges: markShipped(new StoreFactory((context) => new TypeOrmUserChangeFeed(context.dataSource()))),
    refreshTokens: markShipped(new StoreFactory((context) => new TypeOrmRefreshTokenStore(context.dataSource()))),
    webauthn: markShipped(new StoreFactory((context) => new TypeOrmWebAuthnCredentialStore(context.dataSource()))),
  };
}
