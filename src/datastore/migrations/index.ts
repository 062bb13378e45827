import { SecurityInitial1795824000000 } from './1795824000000-security-initial.js';

/**
 * nest-security's PostgreSQL migrations, oldest first. Add them to your own
 * DataSource's `migrations` (or run `nest-security db migrate`).
 */
export const securityMigrations = [SecurityInitial1795824000000];
