// `nest-security/typeorm`: the TypeORM/PostgreSQL storage, its entities and migrations.
export { SecurityUser } from './entities/security-user.entity.js';
export { User } from './entities/user.entity.js';
export { Role } from './entities/role.entity.js';
export { SecuritySession } from './entities/security-session.entity.js';
export { SecurityAttempt } from './entities/security-attempt.entity.js';
export { UsedToken } from './entities/used-token.entity.js';
export { UsCode } from './entities/us-code.entity.js';
export { securityMigrations } from './migrations/index.js';
export { TypeOrmUserDatastore } from './typeorm-user-datastore.js';
export { DatabaseAttemptStore } from '../../authn/limits/database-attempt.store.js';
export { createSecurityDataSource, securityEntities, type SecurityDataSourceOptions } from './data-source.js';
