import { SecurityInitial1795824000000 } from './1795824000000-security-initial.js';
import { UserChangeNotify1795824100000 } from './1795824100000-user-change-notify.js';
import { SecurityUsCode1795824200000 } from './1795824200000-security-us-code.js';
import { SecurityRefreshToken1795824300000 } from './1795824300000-security-refresh-token.js';
import { SecuritySessionDevice1795824400000 } from './1795824400000-security-session-device.js';
import { SecurityTwoFactor1795824500000 } from './1795824500000-security-two-factor.js';
import { SecurityWebAuthn1795824600000 } from './1795824600000-security-webauthn.js';

/**
 * nest-security's PostgreSQL migrations, oldest first. Add them to your own
 * DataSource's `migrations` (or run `nest-security db migrate`).
 */
export const securityMigrations = [
  SecurityInitial1795824000000,
  UserChangeNotify1795824100000,
  SecurityUsCode1795824200000,
  SecurityRefreshToken1795824300000,
  SecuritySessionDevice1795824400000,
  SecurityTwoFactor1795824500000,
  SecurityWebAuthn1795824600000,
];
