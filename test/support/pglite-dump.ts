/**
 * A fresh, empty PGlite cluster without running initdb each time: initdb is
 * most of a new PGlite's start (about 6 s against under 2 s to load a dump).
 * The empty cluster is dumped once per PGlite version into the OS temp
 * directory and loaded from there (`loadDataDir`, PGlite's public API).
 * Only for tests that need *a* new database; the demo's first start in a new
 * directory (demo/pglite-data-source.spec.ts) still runs initdb for real.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const PGLITE_PACKAGE = new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url);

function dumpPath(): string {
  const { version } = JSON.parse(readFileSync(PGLITE_PACKAGE, 'utf8')) as { version: string };
  return join(tmpdir(), `nest-security-pglite-empty-${version}.tar.gz`);
}

/** The empty cluster's data directory, as `loadDataDir` takes it. */
export async function emptyPGliteDataDir(): Promise<Blob> {
  const path = dumpPath();
  if (!existsSync(path)) {
    const pglite = await PGlite.create();
    const dump = Buffer.from(await (await pglite.dumpDataDir('gzip')).arrayBuffer());
    await pglite.close();
    // Written aside, then renamed: a concurrent run never reads half a dump.
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, dump);
    renameSync(partial, path);
  }
  return new Blob([readFileSync(path)]);
}
