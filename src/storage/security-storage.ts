import type { Type } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import type { SecurityUser } from './typeorm/entities/security-user.entity.js';
import type { AttemptStore } from './attempt-store.js';
import type { CodeStore } from './code-store.js';
import type { RefreshTokenStore } from './refresh-token-store.js';
import type { SessionStore } from './session-store.js';
import type { UsedTokenStore } from './used-token-store.js';
import type { UserChangeFeed } from './user-change-feed.js';
import type { UserDatastore } from './user-datastore.js';
import type { WebAuthnCredentialStore } from './webauthn-credential-store.js';

/** What a store factory may use while the module starts. */
export interface StorageContext {
  moduleRef: ModuleRef;
  /** Another store of the same module (one instance per contract). */
  get<T>(contract: abstract new (...args: never[]) => T): Promise<T>;
  /** The TypeORM DataSource (`typeormStorage`'s connection); throws when the app has none. */
  dataSource(): DataSource;
  /** The user entity (`userEntity` of the storage or of the options), for shipped datastores not given one. */
  userEntity: Type<SecurityUser> | undefined;
}

/** A store built when the module starts (what the shipped storages use). */
export class StoreFactory<T> {
  constructor(readonly create: (context: StorageContext) => T | Promise<T>) {}
}

/** A store: an instance, a class Nest instantiates (with injection), or a StoreFactory. */
export type StoreSource<T> = T | Type<T> | StoreFactory<T>;

/**
 * Where every piece of state lives, one store per contract. Build it with
 * `typeormStorage()` or `memoryStorage()`, and replace single stores by
 * spreading: `{ ...typeormStorage(), attempts: MyAttemptStore }`.
 */
export interface SecurityStorage {
  users: StoreSource<UserDatastore>;
  sessions: StoreSource<SessionStore>;
  usedTokens: StoreSource<UsedTokenStore>;
  codes: StoreSource<CodeStore>;
  attempts: StoreSource<AttemptStore>;
  userChanges: StoreSource<UserChangeFeed>;
  refreshTokens: StoreSource<RefreshTokenStore>;
  /** Passkeys (read only when the `webauthn` feature is on). */
  webauthn: StoreSource<WebAuthnCredentialStore>;
  /** The TypeORM connection the TypeORM stores use (`typeormStorage`'s `dataSourceName`). */
  dataSourceName?: string;
  /** The user entity the shipped datastores create (`typeormStorage` / `memoryStorage`'s `userEntity`). */
  userEntity?: Type<SecurityUser>;
}

const shipped = new WeakSet<object>();

/** Marks a store of a shipped storage, which the `datastore` and `limits.redisUrl` aliases may replace. */
export function markShipped<T>(factory: StoreFactory<T>): StoreFactory<T> {
  shipped.add(factory);
  return factory;
}

export function isShipped(source: unknown): boolean {
  return typeof source === 'object' && source !== null && shipped.has(source);
}

export const STORAGE_KEYS = ['users', 'sessions', 'usedTokens', 'codes', 'attempts', 'userChanges', 'refreshTokens', 'webauthn'] as const;
export type StorageKey = (typeof STORAGE_KEYS)[number];
