/**
 * The name of the template database that holds the shipped migrations'
 * schema: a digest of what makes it (the migration sources, the DataSource
 * that runs them, TypeORM's version) is in it, so a changed or added
 * migration gets a template of its own, and checkouts on other branches
 * sharing the server keep theirs.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

const MIGRATIONS_DIR = new URL('../../src/storage/typeorm/migrations/', import.meta.url);
const INPUTS = [
  new URL('../../src/storage/typeorm/data-source.ts', import.meta.url),
  new URL('../../node_modules/typeorm/package.json', import.meta.url),
];

export function migratedTemplateName(): string {
  const migrations = readdirSync(MIGRATIONS_DIR)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
    .sort()
    .map((file) => new URL(file, MIGRATIONS_DIR));
  const digest = createHash('sha256');
  // File names, not paths: two checkouts of the same sources share one template.
  for (const input of [...migrations, ...INPUTS]) {
    digest.update(basename(input.pathname)).update('\0').update(readFileSync(input)).update('\0');
  }
  return `nest_security_template_${digest.digest('hex').slice(0, 16)}`;
}
