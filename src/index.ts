// The public API of nest-security: the only import path users need.

// Signing (framework-free, itsdangerous-compatible)
export * from './core/signing/index.js';
// Passwords (framework-free, Flask-Security-compatible)
export * from './core/passwords/index.js';

// Module and options
export { SecurityModule } from './security.module.js';
export { SECURITY_MODULE_OPTIONS, type SecurityModuleExtras } from './security.module-definition.js';
export {
  resolveSecurityOptions,
  SecurityOptionsError,
  type AuthMethod,
  type BuiltInAuthMethod,
  type PasswordScheme,
  type ResolvedSecurityOptions,
  type SecurityModuleOptions,
} from './security.options.js';
export { SECURITY_DATA_SOURCE, SECURITY_OPTIONS, SECURITY_URL_PREFIX } from './security.constants.js';
export { durationToSeconds, type Duration } from './common/duration.js';

// Tokens
export { SERIALIZER_NAMES, DEFAULT_SALTS, type SerializerName } from './tokens/serializer-names.js';
export { SerializerRegistry, getSerializerToken } from './tokens/serializer-registry.js';
export { InjectSerializer } from './tokens/inject-serializer.decorator.js';
export { TokenFactory } from './tokens/token.factory.js';
export { TokenStatusService, type TokenCheck, type TokenStatus } from './tokens/token-status.service.js';
export { OneTimeTokenService, tokenDigest } from './tokens/one-time-token.service.js';
export { parseAuthTokenData, type AuthTokenData } from './tokens/auth-token.js';

// Datastore
export {
  UserDatastore,
  type CreateRoleInput,
  type CreateUserInput,
  type UserLookup,
} from './storage/user-datastore.js';
export { TypeOrmUserDatastore } from './storage/typeorm/typeorm-user-datastore.js';
export { DuplicateValueError, RoleNotFoundError } from './storage/datastore.errors.js';
export { SecurityUser } from './storage/typeorm/entities/security-user.entity.js';
export { User } from './storage/typeorm/entities/user.entity.js';
export { Role } from './storage/typeorm/entities/role.entity.js';
export { SecuritySession } from './storage/typeorm/entities/security-session.entity.js';
export { SecurityAttempt } from './storage/typeorm/entities/security-attempt.entity.js';
export { UsedToken } from './storage/typeorm/entities/used-token.entity.js';
export { UsCode } from './storage/typeorm/entities/us-code.entity.js';
export { newUniquifier } from './storage/uniquifier.js';
// Storage contracts (each also its injection token) and the default storage
export { SessionStore, type StoredSession, type NewSession, type SessionPatch } from './storage/session-store.js';
export { UsedTokenStore } from './storage/used-token-store.js';
export { CodeStore, type StoredCode } from './storage/code-store.js';
export { UserChangeFeed, type UserChangeHandlers } from './storage/user-change-feed.js';
export { StoreFactory, type SecurityStorage, type StorageContext, type StoreSource } from './storage/security-storage.js';
export { typeormStorage, type TypeOrmStorageOptions } from './storage/typeorm/typeorm-storage.js';
export { securityMigrations } from './storage/typeorm/migrations/index.js';
export {
  createSecurityDataSource,
  securityEntities,
  type SecurityDataSourceOptions,
} from './storage/typeorm/data-source.js';

// Mail
export * from './mail/index.js';

// Errors and validation: the one place error responses are shaped
export * from './common/errors/index.js';
export * from './common/validation/index.js';
export { SecurityEvents } from './common/events/security-events.service.js';

// Sign-in and access control
export * from './authn/index.js';

// Authorization
export * from './authz/index.js';

// Account flows, passwordless links and unified sign-in
export * from './flows/index.js';
export * from './flows/passwordless/index.js';
export * from './flows/unified-signin/index.js';
