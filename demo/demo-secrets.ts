import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';

/**
 * A secret from the environment or, for the demo only, generated once into
 * the demo's data folder, so restarts (and the admin CLI, which shares the
 * folder) keep sessions and password hashes valid.
 */
export function demoSecret(envName: string, envValue: string | undefined, dataDir: string, file: string): string {
  if (envValue) return envValue;
  const path = join(dataDir, file);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const generated = randomBytes(32).toString('base64url');
  writeFileSync(path, generated + '\n', { mode: 0o600 });
  new Logger('Demo').warn(`${envName} not set: generated one into ${path} (demo only; set ${envName} in production)`);
  return generated;
}
