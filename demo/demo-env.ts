import { join } from 'node:path';
import { demoSecret } from './demo-secrets.js';

/** The demo's settings, read once from the environment (SPEC 4a). */
export interface DemoEnv {
  port: number;
  databaseUrl: string | undefined;
  pglitePath: string;
  secretKey: string;
  passwordSalt: string;
  /** TOTP_SECRETS, as Flask-Security's: JSON `{"1": "..."}`. */
  totpSecrets: Record<string, string>;
  smtpUrl: string | undefined;
  appUrl: string;
  redisUrl: string | undefined;
  userCache: boolean;
}

const DATA_DIR = process.env.DEMO_DATA_DIR ?? '.data';

export function readDemoEnv(): DemoEnv {
  const port = Number(process.env.PORT ?? 3000);
  return {
    port,
    databaseUrl: process.env.DATABASE_URL || undefined,
    pglitePath: join(DATA_DIR, 'pglite'),
    secretKey: demoSecret('SECRET_KEY', process.env.SECRET_KEY, DATA_DIR, 'secret_key'),
    passwordSalt: demoSecret('PASSWORD_SALT', process.env.PASSWORD_SALT, DATA_DIR, 'password_salt'),
    totpSecrets: totpSecrets(process.env.TOTP_SECRETS),
    smtpUrl: process.env.SMTP_URL || undefined,
    appUrl: process.env.APP_URL ?? `http://localhost:${port}`,
    redisUrl: process.env.REDIS_URL || undefined,
    userCache: process.env.USER_CACHE === '1' || process.env.USER_CACHE === 'true',
  };
}

/** TOTP_SECRETS from the environment (JSON, as Flask-Security takes it), else one generated into the data folder. */
function totpSecrets(env: string | undefined): Record<string, string> {
  if (!env) return { '1': demoSecret('TOTP_SECRETS', undefined, DATA_DIR, 'totp_secret') };
  let parsed: unknown;
  try {
    parsed = JSON.parse(env);
  } catch {
    throw new Error('TOTP_SECRETS must be JSON, e.g. {"1": "a long random value"}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('TOTP_SECRETS must be a JSON object');
  return parsed as Record<string, string>;
}
