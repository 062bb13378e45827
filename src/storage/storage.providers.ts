import { Inject, Injectable, Optional, type Provider, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SECURITY_DATA_SOURCE, SECURITY_OPTIONS } from '../security.constants.js';
import type { ResolvedSecurityOptions } from '../security.options.js';
import { AttemptStore } from './attempt-store.js';
import { CodeStore } from './code-store.js';
import { RefreshTokenStore } from './refresh-token-store.js';
import { type SecurityStorage, type StorageContext, type StorageKey, StoreFactory } from './security-storage.js';
import { SessionStore } from './session-store.js';
import { UsedTokenStore } from './used-token-store.js';
import { UserChangeFeed } from './user-change-feed.js';
import { UserDatastore } from './user-datastore.js';
import { WebAuthnCredentialStore } from './webauthn-credential-store.js';

type Contract = abstract new (...args: never[]) => unknown;

/** Each contract (its injection token) and the `storage` key that names its store. */
const CONTRACTS: Array<[Contract, StorageKey]> = [
  [UserDatastore, 'users'],
  [SessionStore, 'sessions'],
  [UsedTokenStore, 'usedTokens'],
  [CodeStore, 'codes'],
  [AttemptStore, 'attempts'],
  [UserChangeFeed, 'userChanges'],
  [RefreshTokenStore, 'refreshTokens'],
  [WebAuthnCredentialStore, 'webauthn'],
];

/** Builds each store of `options.storage` once, whichever asks first (a store may need another). */
@Injectable()
export class StorageResolver {
  private readonly built = new Map<Contract, Promise<unknown>>();
  private readonly context: StorageContext;

  constructor(
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
    moduleRef: ModuleRef,
    @Optional() @Inject(SECURITY_DATA_SOURCE) dataSource: DataSource | null,
  ) {
    this.context = {
      moduleRef,
      userEntity: options.storage.userEntity,
      get: <T>(contract: abstract new (...args: never[]) => T) => this.get(contract) as Promise<T>,
      dataSource: () => {
        if (dataSource) return dataSource;
        const name = options.storage.dataSourceName;
        throw new Error(
          `nest-security: typeormStorage() needs the TypeORM DataSource${name ? ` "${name}"` : ''} (TypeOrmModule.forRoot(...)); ` +
            'without a database, use storage: memoryStorage() from nest-security/testing',
        );
      },
    };
  }

  get(contract: Contract): Promise<unknown> {
    let store = this.built.get(contract);
    if (!store) {
      const key = CONTRACTS.find(([each]) => each === contract)?.[1];
      if (!key) throw new Error(`nest-security: ${contract.name} is not a storage contract`);
      store = this.build(this.options.storage[key]);
      this.built.set(contract, store);
    }
    return store;
  }

  private async build(source: SecurityStorage[StorageKey]): Promise<unknown> {
    if (source instanceof StoreFactory) return source.create(this.context);
    if (typeof source === 'function') return this.context.moduleRef.create(source as Type<unknown>);
    return source;
  }
}

export const STORAGE_PROVIDERS: Provider[] = [
  {
    // The app's @nestjs/typeorm connection, looked up by name, or null (memoryStorage() needs none).
    // The default connection is also an (optional) dependency: Nest then waits for TypeOrmModule's
    // async factory before this one runs, instead of looking it up before it exists.
    provide: SECURITY_DATA_SOURCE,
    useFactory: (options: ResolvedSecurityOptions, moduleRef: ModuleRef, defaultDataSource?: DataSource): DataSource | null => {
      const name = options.storage.dataSourceName;
      if (name === undefined && defaultDataSource) return defaultDataSource;
      try {
        return moduleRef.get<DataSource>(getDataSourceToken(name) as string, { strict: false });
      } catch {
        return null;
      }
    },
    inject: [SECURITY_OPTIONS, ModuleRef, { token: getDataSourceToken(), optional: true }],
  },
  StorageResolver,
  ...CONTRACTS.map(([contract]) => ({
    provide: contract,
    useFactory: (resolver: StorageResolver) => resolver.get(contract),
    inject: [StorageResolver],
  })),
];

export const STORAGE_EXPORTS = [SECURITY_DATA_SOURCE, ...CONTRACTS.map(([contract]) => contract)];
