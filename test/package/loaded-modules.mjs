// Usage: node loaded-modules.mjs <specifier> [--postgres-data-source]
// Imports <specifier> in this fresh process and prints, as JSON, the packages
// whose files got loaded: ESM through a resolve hook, CommonJS from require's
// cache (CommonJS packages such as typeorm load their dependencies with
// require(), which ESM hooks do not see on Node 20). With
// --postgres-data-source it then builds (not connects) a PostgreSQL DataSource,
// the moment TypeORM loads `pg`: a control that the CommonJS side is seen.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [specifier, control] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'nest-security-loads-'));
const file = join(dir, 'resolved');
register('./record-resolve.hooks.mjs', import.meta.url, { data: { file } });

await import(specifier);
if (control === '--postgres-data-source') {
  const { createSecurityDataSource } = await import('nest-security/typeorm');
  createSecurityDataSource({ url: 'postgres://nobody@127.0.0.1:1/none' });
}

let esm = [];
try {
  esm = readFileSync(file, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith('file:'))
    .map((url) => fileURLToPath(url));
} catch {
  // nothing resolved from a file
}
rmSync(dir, { recursive: true, force: true });
const cjs = Object.keys(createRequire(import.meta.url).cache);

/** The package a file belongs to: the path after its last node_modules/. */
function packageOf(path) {
  const parts = path.split(/[\\/]node_modules[\\/]/);
  if (parts.length < 2) return undefined;
  const [first, second] = parts[parts.length - 1].split(/[\\/]/);
  return first.startsWith('@') ? `${first}/${second}` : first;
}

const packages = [...new Set([...esm, ...cjs].map(packageOf).filter(Boolean))].sort();
console.log(JSON.stringify(packages));
