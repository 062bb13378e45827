import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';

/** The demo's settings, read once from the environment (SPEC 4a). */
export interface DemoEnv {
  port: number;
  databaseUrl: string | undefined;
  pglitePath: string;
  secretKey: string;
  passwordSalt: string;
  smtpUrl: string | undefined;
  appUrl: string;
  redisUrl: string | undefined;
  userCache: boolean;
}

const DATA_DIR = process.env.DEMO_DATA_DIR ?? '.data';

/**
 * SECRET_KEY and PASSWORD_SALT, or, for the demo only, values generated once
 * into ./.data so restarts keep sessions and passwords valid.
 */
function secretFromEnvOrFile(envName: string, file: string): string {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  const path = join(DATA_DIR, file);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(DATA_DIR, { recursive: true });
  const generated = randomBytes(32).toString('base64url');
  writeFileSync(path, generated + '\n', { mode: 0o600 });
  new Logger('Demo').warn(`${envName} not set: generated one into ${path} (demo only; set ${envName} in production)`);
  return generated;
}

export function readDemoEnv(): DemoEnv {
  const port = Number(process.env.PORT ?? 3000);
  return {
    port,
    databaseUrl: process.env.DATABASE_URL || undefined,
    pglitePath: join(DATA_DIR, 'pglite'),
    secretKey: secretFromEnvOrFile('SECRET_KEY', 'secret_key'),
    passwordSalt: secretFromEnvOrFile('PASSWORD_SALT', 'password_salt'),
    smtpUrl: process.env.SMTP_URL || undefined,
    appUrl: process.env.APP_URL ?? `http://localhost:${port}`,
    redisUrl: process.env.REDIS_URL || undefined,
    userCache: process.env.USER_CACHE === '1' || process.env.USER_CACHE === 'true',
  };
}
