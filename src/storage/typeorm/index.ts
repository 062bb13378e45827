// nest-security/typeorm: the TypeORM storage (the default), its entities and migrations.
export { typeormStorage, type TypeOrmStorageOptions } from './typeorm-storage.js';
export { TypeOrmUserDatastore } from './typeorm-user-datastore.js';
export { TypeOrmSessionStore } from './typeorm-session.store.js';
export { TypeOrmUsedTokenStore } from './typeorm-used-token.store.js';
export { TypeOrmCodeStore } from './typeorm-code.store.js';
export { TypeOrmAttemptStore } from './typeorm-attempt.store.js';
export { TypeOrmUserChangeFeed } from './typeorm-user-change-feed.js';
export { TypeOrmWebAuthnCredentialStore } from './typeorm-webauthn-credential.store.js';
export { createSecurityDataSource, securityEntities, type SecurityDataSourceOptions } from './data-source.js';
export { securityMigrations } from './migrations/index.js';
export { SecurityUser } from './entities/security-user.entity.js';
export { User } from './entities/user.entity.js';
export { Role } from './entities/role.entity.js';
export { SecuritySession } from './entities/security-session.entity.js';
export { SecurityAttempt } from './entities/security-attempt.entity.js';
export { UsedToken } from './entities/used-token.entity.js';
export { UsCode } from './entities/us-code.entity.js';
export { WebAuthnCredentialRow } from './entities/webauthn-credential.entity.js';
